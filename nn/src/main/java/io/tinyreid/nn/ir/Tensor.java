package io.tinyreid.nn.ir;

import java.util.Objects;

/**
 * A named activation tensor of the graph. {@code q} is its fixed-point format, or {@code null} for a
 * float-only tensor (a model not quantised yet).
 */
public record Tensor(String name, Shape shape, QFormat q) {
    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
    }

    /** True when the tensor carries a fixed-point format. */
    public boolean quantised() {
        return q != null;
    }

    @Override
    public String toString() {
        return name + "[" + shape + (q == null ? "" : " " + q) + "]";
    }
}
