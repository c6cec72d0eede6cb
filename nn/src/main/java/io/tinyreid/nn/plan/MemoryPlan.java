package io.tinyreid.nn.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Tensor;

/**
 * Where every byte of the arena goes, and when. Time is counted in weight tiles: tile {@code t} is
 * computed at time {@code t}, and its buffer is filled during time {@code t - 1} (prefetch).
 *
 * @param graph       the planned graph
 * @param options     planner settings
 * @param steps       execution order
 * @param buffers     every arena buffer with its offset and lifetime
 * @param placements  activation tensors (whole or as a ring of rows)
 * @param poolRows    per fused conv+pool op index, its ring of pre-pool rows
 * @param kernelInts  32-bit scratch words the kernels use ({@link KernelScratch}), counted in the peak
 * @param peak        highest byte used
 * @param spill       activations kept in L3 and staged through L2 windows ({@link ActivationSpill#NONE} when all fit)
 * @param rowBlocks   op indices of the convs the integer kernel computes in blocks of output rows per window
 *                    ({@link IntegerScratch#blockRows}), each taken when its larger window costs no peak
 */
public record MemoryPlan(Graph graph, PlanOptions options, List<Step> steps, List<Buffer> buffers,
                         Map<Tensor, Placement> placements, Map<Integer, Buffer> poolRows, int kernelInts, long peak,
                         ActivationSpill spill, Set<Integer> rowBlocks) {

    /** True when the integer kernel computes conv {@code c} in blocks of rows ({@link IntegerScratch#blockRows}). */
    public boolean rowBlocks(FusedOp.ConvPool c) {
        return rowBlocks.contains(c.index());
    }

    /** What a buffer holds ({@code STAGING}: an L2 window of rows of a tensor spilled to L3). */
    public enum Kind { INPUT, ACTIVATION, ROWS, POOL_ROWS, WEIGHTS, OUTPUT, KERNEL, STAGING }

    /** A byte range of the arena, live from tile {@code first} to tile {@code last} inclusive. */
    public record Buffer(String name, Kind kind, long offset, long bytes, int first, int last) {
        /** One past the last byte. */
        public long end() {
            return offset + bytes;
        }

        /** True when live at tile {@code t}. */
        public boolean liveAt(int t) {
            return first <= t && t <= last;
        }

        Buffer at(long newOffset) {
            return new Buffer(name, kind, newOffset, bytes, first, last);
        }
    }

    /**
     * An activation tensor's buffer; {@code ringRows < height} means only that many rows exist at
     * once; {@code spilled} means the buffer is in L3 (offsets in L3), staged through L2 windows.
     */
    public record Placement(Tensor tensor, Buffer buffer, int ringRows, boolean spilled) {
        /** A tensor in L2. */
        public Placement(Tensor tensor, Buffer buffer, int ringRows) {
            this(tensor, buffer, ringRows, false);
        }

        /** True when the tensor is streamed row by row and never exists whole. */
        public boolean streamed() {
            return ringRows < tensor.shape().height();
        }
    }

    /** Part of a weight tile: output channels {@code [c0, c1)} of one op, weights then bias. */
    public record TilePart(FusedOp.ConvPool op, int c0, int c1, long weightOffset, long biasOffset) {}

    /** One weight tile (or a weightless unit of work) at global time {@code index}. */
    public record Tile(int index, Buffer buffer, List<TilePart> parts) {}

    /**
     * A unit of execution: one op tiled by output channel, or several ops streamed row by row together.
     * {@code tileChannels}: output channels per weight tile of a tiled conv as the planner sized its
     * scratch and pool rows (may exceed the conv's channels when one tile holds them all); 0 otherwise.
     */
    public record Step(int index, List<FusedOp> ops, boolean streamed, List<Tile> tiles, int tileChannels) {
        /** Label listing the ops. */
        public String label() {
            return String.join(" > ", ops.stream().map(FusedOp::label).toList());
        }
    }

    /** Number of tiles (time units). */
    public int tileCount() {
        return steps.getLast().tiles().getLast().index() + 1;
    }

    /** Bytes of weight tile buffers at their largest (two are live at once when prefetching). */
    public long largestTile() {
        return buffers.stream().filter(b -> b.kind() == Kind.WEIGHTS).mapToLong(Buffer::bytes).max().orElse(0);
    }

    /** The memory map as text: per step, the buffers live during it, where and how big. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("memory plan for %s: peak %,d bytes (%.1f KiB) of %,d budget, %d steps, %d weight tiles (<= %,d bytes)%n",
                graph.name(), peak, peak / 1024.0, options.budgetBytes(), steps.size(), tileCount(), options.tileBytes()));
        if (spill.any()) {
            sb.append(String.format("activations spilled to L3: %d tensors, %,d bytes of L3 (%.1f KiB); L2<->L3 traffic per inference:"
                            + " %,d bytes read + %,d written (%.1f KiB), through L2 windows of rows (STAGING)%n",
                    spill.l3().size(), spill.l3Bytes(), spill.l3Bytes() / 1024.0, spill.readBytes(), spill.writeBytes(),
                    spill.trafficBytes() / 1024.0));
        }
        for (Step s : steps) {
            int t0 = s.tiles().getFirst().index();
            int t1 = s.tiles().getLast().index();
            long live = 0;
            List<Buffer> shown = new ArrayList<>();
            int weightTiles = 0;
            long weightMax = 0;
            for (Buffer b : buffers) {
                if (b.first() <= t1 && t0 <= b.last()) {
                    if (b.kind() == Kind.WEIGHTS && !(b.first() <= t0 && t0 <= b.last())) {
                        weightTiles++;
                        weightMax = Math.max(weightMax, b.bytes());
                        continue;
                    }
                    shown.add(b);
                }
            }
            for (int t = t0; t <= t1; t++) {
                long sum = 0;
                for (Buffer b : buffers) {
                    if (b.liveAt(t)) {
                        sum += b.bytes();
                    }
                }
                live = Math.max(live, sum);
            }
            ActivationSpill.StepStaging staged = spill.steps().get(s.index());
            String bands = staged == null ? "" : String.format("  [%d bands of %d rows, L3 <-> L2 %,d + %,d bytes]", staged.bands(),
                    staged.bandRows(), staged.readBytes(), staged.writeBytes());
            sb.append(String.format("%nstep %d  %s%s%s  tiles %d..%d  live %,d bytes%n", s.index(), s.label(),
                    s.streamed() ? "  [row-streamed]" : "", bands, t0, t1, live));
            shown.sort((a, b) -> Long.compare(a.offset(), b.offset()));
            for (Buffer b : shown) {
                sb.append(String.format("  %8d..%-8d %8d B  %-9s %s%n", b.offset(), b.end(), b.bytes(), b.kind(), b.name()));
            }
            for (var e : spill.l3().entrySet()) {
                Buffer b = e.getValue();
                if (b.first() <= t1 && t0 <= b.last()) {
                    sb.append(String.format("  L3 %5d..%-8d %8d B  %-9s %s%n", b.offset(), b.end(), b.bytes(), "SPILLED", b.name()));
                }
            }
            if (weightTiles > 0) {
                sb.append(String.format("  %27s %-9s %d more tiles of this step, up to %,d B, double-buffered%n",
                        "", "WEIGHTS", weightTiles, weightMax));
            }
        }
        return sb.toString();
    }
}
