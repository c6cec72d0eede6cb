package io.tinyreid.nn.ir;

/** Activation fused into a layer's output. */
public enum Activation {
    NONE, RELU
}
