package io.tinyreid.nn.program;

/**
 * The kernel a call runs: its family, the op kind, and the variant within it.
 *
 * @param family  the arithmetic and arena
 * @param op      the op kind: {@code conv}, {@code average}, {@code maxpool}, {@code avgpool}, {@code pad},
 *                {@code add}, {@code relu}, {@code concat}
 * @param variant the kernel's shape within its kind, readable (e.g. {@code 3x3/s2 p1 +relu +maxpool3/2 window})
 */
public record Kernel(KernelFamily family, String op, String variant) {
    /** {@code device-exact conv 3x3/s2 ...}. */
    public String label() {
        return family.label() + " " + op + (variant.isEmpty() ? "" : " " + variant);
    }
}
