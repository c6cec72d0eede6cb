package io.tinyreid.nn.faceapi;

import java.util.Arrays;

/**
 * One dequantised weight tensor of a face-api model, in TensorFlow layout (conv filters
 * {@code [kh, kw, in, out]}, depthwise {@code [kh, kw, c, 1]}, fully connected {@code [in, out]}).
 */
public record FaceApiTensor(String name, int[] shape, float[] data) {
    /** Checks that the data length matches the shape. */
    public FaceApiTensor {
        long n = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(name + ": non-positive dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " needs " + n
                    + " values, have " + data.length);
        }
        shape = shape.clone();
    }

    /** The shape (a copy). */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The size of dimension {@code i}. */
    public int dim(int i) {
        return shape[i];
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
