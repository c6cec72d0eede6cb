package io.tinyreid.nn.program;

import java.util.List;
import java.util.Locale;

import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.MemoryPlanner;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.store.ModelFile;

/**
 * A network lowered for one kernel family: the steps in order, each with its kernels and every
 * buffer it touches at an arena offset (tensors, rings, L3 windows, pool rows, kernel scratch), and
 * the weight-tile table saying which bytes of the model file land where before each tile. What the
 * Java runtime interprets and the C emitter prints; built by {@link ProgramBuilder} from a
 * {@link MemoryPlan}. Offsets and sizes are in bytes.
 *
 * @param model      the graph's name
 * @param family     the kernels every step runs
 * @param plan       the memory plan it was lowered from (lifetimes, the memory map)
 * @param arenaBytes L2 bytes the program uses (the plan's peak: offsets stay below it)
 * @param l3Bytes    L3 bytes of activations kept in external RAM (0 when none)
 * @param input      the network input
 * @param output     the network output
 * @param steps      the steps, in execution order
 * @param tiles      the weight-tile table, by tile index (every step's tiles, in order)
 * @param buffers    every planned buffer (L2 by offset, then L3)
 */
public record Program(String model, KernelFamily family, MemoryPlan plan, long arenaBytes, long l3Bytes, TensorSlot input,
                      TensorSlot output, List<ProgramStep> steps, List<WeightTile> tiles, List<Slot> buffers) {

    /** Plans {@code model} with {@code options} (kernels set to the family's) and lowers the plan. */
    public static Program lower(ModelFile model, KernelFamily family, PlanOptions options) {
        return ProgramBuilder.build(MemoryPlanner.plan(model.graph(), options.withKernels(family.planKernels())), model, family);
    }

    /** Bytes read from the model file per inference. */
    public long weightBytes() {
        long sum = 0;
        for (WeightTile t : tiles) {
            sum += t.bytes();
        }
        return sum;
    }

    /** The program as text: per step its kernels, slots, row geometry, scratch, bands and weight tiles. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "program for %s: %s kernels, %d steps, %d weight tiles, %,d weight bytes read per"
                        + " inference; arena %,d bytes (L2)%s%n", model, family.label(), steps.size(), tiles.size(), weightBytes(),
                arenaBytes, l3Bytes > 0 ? String.format(Locale.ROOT, ", %,d bytes of L3", l3Bytes) : ""));
        sb.append("  input   ").append(input.describe()).append('\n');
        sb.append("  output  ").append(output.describe()).append('\n');
        for (ProgramStep s : steps) {
            sb.append(String.format(Locale.ROOT, "%nstep %d%s  tiles %d..%d%n", s.index(), s.streamed() ? "  [row-streamed]" : "",
                    s.tiles().getFirst().index(), s.tiles().getLast().index()));
            for (int k = 0; k < s.calls().size(); k++) {
                KernelCall c = s.calls().get(k);
                sb.append(String.format(Locale.ROOT, "  call %d  %s  (%s)%n", k, c.kernel().label(), c.op().label()));
                for (TensorSlot in : c.inputs()) {
                    sb.append("    in    ").append(in.describe()).append('\n');
                }
                sb.append("    out   ").append(c.output().describe())
                        .append(c.channelOffset() != 0 ? "  from channel " + c.channelOffset() : "").append('\n');
                if (c.poolRows() != null) {
                    sb.append("    pool rows  ").append(c.poolRows().where()).append('\n');
                }
                RowGeometry g = c.geometry();
                if (g != null) {
                    sb.append(String.format(Locale.ROOT, "    rows  %d per call, window %d rows x %d words per input channel,"
                            + " %d positions per channel%s%n", g.rowsPerCall(), g.windowRows(), g.rowLength(), g.positions(),
                            g.direct() ? " (direct: no window)" : ""));
                }
                if (c.weightScratch() >= 0) {
                    sb.append(String.format(Locale.ROOT, "    widened weights at L2 @%,d%n", c.weightScratch()));
                }
            }
            if (s.scratch() != null) {
                sb.append("  scratch ").append(s.scratch().slot().where()).append(':');
                for (Slot p : s.scratch().parts()) {
                    sb.append(' ').append(p.name()).append(' ').append(p.where());
                }
                sb.append('\n');
            }
            if (s.bands() != null) {
                Bands b = s.bands();
                sb.append(String.format(Locale.ROOT, "  bands %d of %d rows (of %d)%n", b.bands(), b.bandRows(), b.rows()));
                for (Bands.Window w : b.windows()) {
                    sb.append(String.format(Locale.ROOT, "    %s%s  window %s  home %s; rows per band %s%n", w.read() ? "in" : "",
                            w.write() ? (w.read() ? "+out" : "out") : "", w.window().slot().where(), w.home().slot().where(),
                            ranges(w.from(), w.to())));
                }
            }
            for (WeightTile t : s.tiles()) {
                if (t.buffer() == null) {
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "  tile %d -> %s:", t.index(), t.buffer().where()));
                for (WeightTile.Segment seg : t.segments()) {
                    sb.append(String.format(Locale.ROOT, " [%s file @%,d +%,d -> @%,d]", seg.what(), seg.fileOffset(), seg.bytes(),
                            seg.arenaOffset()));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static String ranges(int[] from, int[] to) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < from.length; i++) {
            if (i == 8 && from.length > 10) {
                sb.append(" ... ");
                i = from.length - 1;
            }
            sb.append(i == 0 || sb.toString().endsWith(" ... ") ? "" : " ").append('[').append(from[i]).append(',').append(to[i]).append(')');
        }
        return sb.toString();
    }
}
