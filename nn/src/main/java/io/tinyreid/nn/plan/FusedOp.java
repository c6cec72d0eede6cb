package io.tinyreid.nn.plan;

import java.util.List;

import io.tinyreid.nn.ir.Add;
import io.tinyreid.nn.ir.AvgPool;
import io.tinyreid.nn.ir.Concat;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.GlobalAvgPool;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.ir.MaxPool;
import io.tinyreid.nn.ir.Relu;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.ir.ZeroPad;

/**
 * An operation of the fixed-point runtime after fusion. Tensors named here are storage tensors
 * (what owns arena bytes); the layers keep the logical tensors and their formats.
 *
 * <p>{@link ConvPool} is a convolution (fully connected and scale layers are lowered to one) with
 * its ReLU and an optional max pool, writing into a channel slice of its storage (a concat written
 * in place), or with a residual add fused into its epilogue, written in place over the shortcut.
 * The others are element-wise or pooling steps without weights.
 */
public sealed interface FusedOp {
    /** Position in execution order. */
    int index();

    /** The main tensor this op reads (a whole storage tensor). */
    Tensor input();

    /** Every storage tensor this op reads. */
    default List<Tensor> inputs() {
        return List.of(input());
    }

    /** The storage tensor this op writes. */
    Tensor storage();

    /** Short label for maps and errors. */
    String label();

    /**
     * A residual add fused into a conv's epilogue, written over the shortcut's storage:
     * {@code relu(add(shortcut, pad(conv)))}, each step with {@link io.tinyreid.nn.quant.IntegerReference}'s
     * rescaling and saturation. {@code convPad} (zero rows/columns after the conv's output) and
     * {@code relu} may be null.
     */
    record Residual(Tensor shortcut, ZeroPad convPad, Add add, Relu relu) {
        /** The logical tensor the op finally writes. */
        public Tensor result() {
            return relu != null ? relu.output() : add.output();
        }

        /** True when the conv's branch is the add's first operand. */
        public boolean convFirst(Tensor convSide) {
            return add.a().equals(convSide);
        }
    }

    /** Conv (+ReLU) (+max pool) into {@code storage} channels {@code [channelOffset, channelOffset + outC)}. */
    record ConvPool(int index, Conv2d conv, MaxPool pool, Tensor input, Tensor storage, int channelOffset, Residual residual)
            implements FusedOp {
        /** Without a residual. */
        public ConvPool(int index, Conv2d conv, MaxPool pool, Tensor input, Tensor storage, int channelOffset) {
            this(index, conv, pool, input, storage, channelOffset, null);
        }

        @Override
        public List<Tensor> inputs() {
            return residual == null ? List.of(input) : List.of(input, storage);
        }

        /** Rows of the stored (pooled when fused, padded when a residual pads) output. */
        public int outHeight() {
            if (residual != null) {
                return residual.add().output().shape().height();
            }
            return pool == null ? conv.output().shape().height() : pool.output().shape().height();
        }

        /** Bytes of weights (int16 or int8) plus the int16 bias of one output channel. */
        public int bytesPerChannel() {
            return weightBytesPerChannel() + 2;
        }

        /** Bytes of one output channel's weights. */
        public int weightBytesPerChannel() {
            return conv.inPerGroup() * conv.kernelH() * conv.kernelW() * weightBytes();
        }

        /** Bytes of one weight value. */
        public int weightBytes() {
            return conv.weight().quantised() ? conv.weight().channelQ(0).bytes() : 2;
        }

        @Override
        public String label() {
            return conv.name() + (pool == null ? "" : "+" + pool.name())
                    + (residual == null ? "" : "+" + residual.add().name() + (residual.relu() == null ? "" : "+relu"));
        }
    }

    /** Global average of every channel. */
    record Average(int index, GlobalAvgPool avg, Tensor input, Tensor storage) implements FusedOp {
        @Override
        public String label() {
            return avg.name();
        }
    }

    /** A pool on its own ({@link MaxPool} or {@link AvgPool}, e.g. dlib's shortcut average). */
    record Pool(int index, Layer pool, Tensor input, Tensor storage) implements FusedOp {
        public Pool {
            if (!(pool instanceof MaxPool) && !(pool instanceof AvgPool)) {
                throw new IllegalArgumentException(pool.name() + " is not a pool");
            }
        }

        @Override
        public String label() {
            return pool.name();
        }
    }

    /** Zero padding into a new, larger buffer. */
    record Pad(int index, ZeroPad pad, Tensor input, Tensor storage) implements FusedOp {
        @Override
        public String label() {
            return pad.name();
        }
    }

    /** A residual add (+ReLU) on its own, written in place over an operand when that one dies here. */
    record Sum(int index, Add add, Relu relu, Tensor input, Tensor other, Tensor storage) implements FusedOp {
        @Override
        public List<Tensor> inputs() {
            return List.of(input, other);
        }

        @Override
        public String label() {
            return add.name() + (relu == null ? "" : "+relu");
        }
    }

    /** A ReLU on its own (in place when its input dies here). */
    record Rectify(int index, Relu relu, Tensor input, Tensor storage) implements FusedOp {
        @Override
        public String label() {
            return relu.name();
        }
    }

    /** A concat whose parts are copied (parts not written in place by their convs). */
    record Join(int index, Concat concat, List<Tensor> parts, Tensor storage) implements FusedOp {
        @Override
        public Tensor input() {
            return parts.getFirst();
        }

        @Override
        public List<Tensor> inputs() {
            return parts;
        }

        @Override
        public String label() {
            return concat.name();
        }
    }
}
