package io.tinyreid.nn.plan;

import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.GlobalAvgPool;
import io.tinyreid.nn.ir.MaxPool;
import io.tinyreid.nn.ir.Tensor;

/**
 * An operation of the fixed-point runtime after fusion: a convolution with its ReLU and an optional
 * max pool, writing into a channel slice of its storage tensor (a concat written in place), or the
 * final average.
 */
public sealed interface FusedOp {
    /** Position in execution order. */
    int index();

    /** The tensor this op reads (always a whole storage tensor). */
    Tensor input();

    /** The storage tensor this op writes. */
    Tensor storage();

    /** Short label for maps and errors. */
    String label();

    /** Conv (+ReLU) (+max pool) into {@code storage} channels {@code [channelOffset, channelOffset + outC)}. */
    record ConvPool(int index, Conv2d conv, MaxPool pool, Tensor input, Tensor storage, int channelOffset)
            implements FusedOp {
        /** Rows of the stored (pooled when fused) output. */
        public int outHeight() {
            return pool == null ? conv.output().shape().height() : pool.output().shape().height();
        }

        /** Bytes of int16 weights plus bias for one output channel. */
        public int bytesPerChannel() {
            return (conv.inPerGroup() * conv.kernelH() * conv.kernelW() + 1) * 2;
        }

        @Override
        public String label() {
            return conv.name() + (pool == null ? "" : "+" + pool.name());
        }
    }

    /** Global average of every channel (the device's multiply-by-reciprocal rounding). */
    record Average(int index, GlobalAvgPool avg, Tensor input, Tensor storage) implements FusedOp {
        @Override
        public String label() {
            return avg.name();
        }
    }
}
