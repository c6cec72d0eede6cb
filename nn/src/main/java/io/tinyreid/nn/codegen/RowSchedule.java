package io.tinyreid.nn.codegen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.plan.FusedOp;
import io.tinyreid.nn.program.KernelCall;
import io.tinyreid.nn.program.ProgramStep;
import io.tinyreid.nn.program.TensorSlot;

/**
 * The order in which a row-streamed step computes rows, worked out at generation time so the C needs
 * no demand-driven recursion: the Java runtime's pull order (each sink row asks its producers for the
 * input rows it needs, one conv row at a time) flattened into a list of events. Also checks that no
 * consumer reads a ring row after it was overwritten.
 */
final class RowSchedule {
    /** Compute conv (pre-pool when pooled) row {@code row} of conv {@code conv}, or its pooled row. */
    record Event(int conv, boolean pool, int row) {}

    private final List<Event> events = new ArrayList<>();
    private final Map<Tensor, Stream> streams = new HashMap<>();

    private RowSchedule() {}

    /** The events of {@code step}; {@code convIndex} numbers the program's conv calls as the C does. */
    static List<Event> of(ProgramStep step, Map<Integer, Integer> convIndex) {
        RowSchedule s = new RowSchedule();
        List<Stage> stages = new ArrayList<>();
        for (KernelCall call : step.calls()) {
            if (!(call.op() instanceof FusedOp.ConvPool c)) {
                throw new IllegalStateException("row-streamed step " + step.label() + " holds " + call.op().label());
            }
            boolean inRing = call.input().layout() == TensorSlot.Layout.RING;
            boolean outRing = call.output().layout() == TensorSlot.Layout.RING;
            Stage st = new Stage(s, c, convIndex.get(c.index()), inRing ? s.stream(call.input()) : null, !outRing);
            if (outRing) {
                s.stream(call.output()).producers.add(st);
            }
            stages.add(st);
        }
        int rows = stages.stream().mapToInt(st -> st.outH).max().orElse(0);
        for (int y = 0; y < rows; y++) {
            for (Stage st : stages) {
                if (st.sink && y < st.outH) {
                    st.ensure(y);
                }
            }
        }
        return List.copyOf(s.events);
    }

    private Stream stream(TensorSlot p) {
        return streams.computeIfAbsent(p.tensor(), t -> new Stream(t.name(), p.rows()));
    }

    /** A ring-buffered tensor and the stages writing it. */
    private static final class Stream {
        final String name;
        final int ring;
        final List<Stage> producers = new ArrayList<>();
        int produced = -1;

        Stream(String name, int ring) {
            this.name = name;
            this.ring = ring;
        }

        void ensure(int lo, int hi) {
            for (Stage p : producers) {
                p.ensure(hi);
            }
            produced = Math.max(produced, hi);
            if (lo <= produced - ring) {
                throw new IllegalStateException("ring of " + ring + " rows for " + name + " is too small: row " + lo
                        + " wanted after row " + produced + " was written");
            }
        }
    }

    /** One conv op's progress, as {@code ConvStage} keeps it, one conv row per call. */
    private static final class Stage {
        final RowSchedule owner;
        final int conv;
        final Stream source;
        final boolean sink;
        final boolean pooled;
        final int pk;
        final int ps;
        final int ppt;
        final int convH;
        final int outH;
        final int sh;
        final int pt;
        final int kh;
        final int inH;
        int done;
        int convDone;

        Stage(RowSchedule owner, FusedOp.ConvPool op, int conv, Stream source, boolean sink) {
            this.owner = owner;
            this.conv = conv;
            this.source = source;
            this.sink = sink;
            Conv2d c = op.conv();
            pooled = op.pool() != null;
            pk = pooled ? op.pool().kernel() : 1;
            ps = pooled ? op.pool().stride() : 1;
            ppt = pooled ? op.pool().padding().top() : 0;
            convH = c.output().shape().height();
            outH = op.outHeight();
            sh = c.strideH();
            pt = c.padding().top();
            kh = c.kernelH();
            inH = c.input().shape().height();
        }

        void ensure(int y) {
            while (done <= y) {
                if (pooled) {
                    int need = Math.min(convH - 1, done * ps - ppt + pk - 1);
                    while (convDone <= need) {
                        convRow(convDone++);
                    }
                    owner.events.add(new Event(conv, true, done));
                } else {
                    convRow(done);
                }
                done++;
            }
        }

        private void convRow(int r) {
            if (source != null) {
                source.ensure(Math.max(0, r * sh - pt), Math.min(inH - 1, r * sh - pt + kh - 1));
            }
            owner.events.add(new Event(conv, false, r));
        }
    }
}
