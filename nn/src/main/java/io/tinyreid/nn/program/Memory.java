package io.tinyreid.nn.program;

/** Where a slot lives: the on-chip arena ("L2") or external RAM ("L3", spilled activations). */
public enum Memory { L2, L3 }
