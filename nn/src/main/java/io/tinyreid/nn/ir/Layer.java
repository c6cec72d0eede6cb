package io.tinyreid.nn.ir;

import java.util.List;

/**
 * One operation of the graph. The set is closed so executors and the planner can switch over it
 * exhaustively; a new op means a new record here and a case in each executor.
 */
public sealed interface Layer permits Conv2d, Relu, MaxPool, AvgPool, GlobalAvgPool, Concat, Add, ZeroPad, Scale,
        FullyConnected, L2Normalize {
    /** Unique layer name (the importer keeps the source model's names). */
    String name();

    /** Tensors read, in order. */
    List<Tensor> inputs();

    /** Tensor written. */
    Tensor output();

    /** Multiply-accumulates for one inference. */
    default long macs() {
        return 0;
    }

    /** Checks that {@code actual} has the shape the layer computes. */
    static void checkShape(String layer, Tensor actual, Shape expected) {
        if (!actual.shape().equals(expected)) {
            throw new IllegalArgumentException("layer " + layer + ": output " + actual.name() + " has shape "
                    + actual.shape() + ", the op computes " + expected);
        }
    }
}
