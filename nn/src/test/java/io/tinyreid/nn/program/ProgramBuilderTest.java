package io.tinyreid.nn.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.plan.FusedOp;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.MemoryPlanner;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.quant.Quantiser;
import io.tinyreid.nn.quant.RandomGraphs;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.testing.FaceReidFixture;

/**
 * The program lowered from a memory plan, checked against the model file's blob table and the
 * layers' own shapes (not against the builder's arithmetic): every weight byte of the file is read
 * exactly once per inference into its tile's buffer; every slot lies inside the arena (or L3) and
 * has its tensor's size; what one step touches at once never shares bytes; conv windows hold the
 * rows the conv's kernel and stride need.
 */
class ProgramBuilderTest {
    @Test
    void faceReidProgramsReadEveryWeightByteOnceAndKeepEverySlotInTheArena() {
        ModelFile m = ModelFile.open(FaceReidFixture.modelFile());
        for (KernelFamily f : List.of(KernelFamily.DEVICE_EXACT, KernelFamily.DEVICE_FAST)) {
            for (PlanOptions o : List.of(PlanOptions.defaults(), PlanOptions.defaults().withRowStreaming(false),
                    PlanOptions.defaults().withTileBytes(2048))) {
                Program p = Program.lower(m, f, o);
                check(p, m);
                assertTrue(p.steps().stream().anyMatch(ProgramStep::streamed) == o.rowStreaming(), "row streaming " + o);
            }
        }
    }

    @Test
    void integerProgramsIncludingActivationsKeptInL3(@TempDir Path tmp) {
        for (Quantiser.Precision precision : Quantiser.Precision.values()) {
            for (Graph g : List.of(RandomGraphs.everyOp(3), RandomGraphs.resnet(3))) {
                ModelFile m = quantised(tmp, g, precision);
                PlanOptions o = new PlanOptions(PlanOptions.L2, 700, false, PlanOptions.Kernels.INTEGER);
                Program whole = Program.lower(m, KernelFamily.INTEGER, o);
                check(whole, m);
                assertTrue(whole.steps().stream().allMatch(s -> s.bands() == null));
                long lowest = MemoryPlanner.planUnchecked(m.graph(), o.withBudget(1)).peak();
                Program spilled = Program.lower(m, KernelFamily.INTEGER, o.withBudget(lowest));
                check(spilled, m);
                assertTrue(spilled.l3Bytes() > 0, g.name());
                assertTrue(spilled.steps().stream().anyMatch(s -> s.bands() != null), g.name());
            }
        }
    }

    @Test
    void refusesAPlanMadeForOtherKernels(@TempDir Path tmp) {
        ModelFile m = ModelFile.open(FaceReidFixture.modelFile());
        MemoryPlan device = MemoryPlanner.plan(m.graph(), PlanOptions.defaults());
        assertThrows(IllegalArgumentException.class, () -> ProgramBuilder.build(device, m, KernelFamily.INTEGER));
        assertThrows(IllegalArgumentException.class, () -> Program.lower(m, KernelFamily.FLOAT, PlanOptions.defaults()));
        ModelFile int8 = quantised(tmp, RandomGraphs.everyOp(1), Quantiser.Precision.values()[0]);
        assertThrows(IllegalArgumentException.class, () -> ProgramBuilder.build(device, int8, KernelFamily.DEVICE_EXACT));
    }

    @Test
    void theListingNamesEveryStepKernelSlotAndTile() {
        ModelFile m = ModelFile.open(FaceReidFixture.modelFile());
        Program p = Program.lower(m, KernelFamily.DEVICE_EXACT, PlanOptions.defaults());
        String text = p.describe();
        for (ProgramStep s : p.steps()) {
            assertTrue(text.contains("\nstep " + s.index() + (s.streamed() ? "  [row-streamed]" : "") + "  tiles "), "step " + s.index());
            for (KernelCall c : s.calls()) {
                assertTrue(text.contains(c.kernel().label() + "  (" + c.op().label() + ")"), c.op().label());
            }
        }
        long tileLines = text.lines().filter(l -> l.startsWith("  tile ")).count();
        assertEquals(p.tiles().stream().filter(t -> t.buffer() != null).count(), tileLines);
        assertTrue(text.contains("device-exact conv 3x3/s2"), text.substring(0, 600));
        assertTrue(text.contains("ring of "), "row-streamed rings are shown");
    }

    static ModelFile quantised(Path dir, Graph g, Quantiser.Precision precision) {
        int n = g.input().shape().size();
        Graph q = Quantiser.quantise(g, RandomGraphs.pixels(7, 4, n), Quantiser.Options.of(precision)).quantised();
        Path f = dir.resolve(g.name() + "-" + precision + ".tinyreid");
        ModelFile.write(q, f);
        return ModelFile.open(f);
    }

    /** All the program's invariants against the model file and the layers. */
    static void check(Program p, ModelFile m) {
        String what = p.model() + " " + p.family() + " arena " + p.arenaBytes();
        assertEquals(m.graph().input(), p.input().tensor(), what);
        assertEquals(m.graph().output(), p.output().tensor(), what);
        // every slot inside its memory
        for (Slot s : p.buffers()) {
            long top = s.memory() == Memory.L2 ? p.arenaBytes() : p.l3Bytes();
            assertTrue(s.offset() >= 0 && s.end() <= top, what + ": " + s + " outside " + top);
        }
        // tiles numbered 0..n-1 in step order, each step's tiles consecutive
        int next = 0;
        for (ProgramStep s : p.steps()) {
            assertFalse(s.tiles().isEmpty(), what);
            for (WeightTile t : s.tiles()) {
                assertEquals(next++, t.index(), what);
                assertEquals(s.index(), t.step(), what);
            }
        }
        assertEquals(next, p.tiles().size(), what);
        // the model file's weight and bias bytes, each read exactly once, into the tile's buffer
        Map<String, List<long[]>> readOf = new HashMap<>();
        for (WeightTile t : p.tiles()) {
            List<long[]> landed = new ArrayList<>();
            for (WeightTile.Segment seg : t.segments()) {
                assertNotNull(t.buffer(), what + ": tile " + t.index() + " has segments but no buffer");
                Slot dst = new Slot(seg.what(), Memory.L2, seg.arenaOffset(), seg.bytes());
                assertTrue(t.buffer().contains(dst), what + ": " + seg + " outside " + t.buffer());
                assertEquals(0, seg.arenaOffset() % seg.width(), what + ": " + seg + " misaligned");
                landed.add(new long[] {seg.arenaOffset(), seg.arenaOffset() + seg.bytes()});
                readOf.computeIfAbsent(seg.what().substring(0, seg.what().indexOf(' ')) + (seg.what().contains(" bias ") ? "/b" : "/w"),
                        k -> new ArrayList<>()).add(new long[] {seg.fileOffset(), seg.fileOffset() + seg.bytes()});
            }
            assertDisjoint(landed, what + " tile " + t.index());
        }
        for (Layer l : m.graph().layers()) {
            // every layer with weights (convs; FC and scale layers run as convs)
            io.tinyreid.nn.ir.Weights[] wb = switch (l) {
                case Conv2d c -> new io.tinyreid.nn.ir.Weights[] {c.weight(), c.bias()};
                case io.tinyreid.nn.ir.FullyConnected f -> new io.tinyreid.nn.ir.Weights[] {f.weight(), f.bias()};
                case io.tinyreid.nn.ir.Scale sc -> new io.tinyreid.nn.ir.Weights[] {sc.scale(), sc.bias()};
                default -> null;
            };
            if (wb == null) {
                continue;
            }
            for (int i = 0; i < 2; i++) {
                String part = i == 0 ? "/w" : "/b";
                ModelFile.Blob b = m.blob(wb[i]);
                List<long[]> reads = readOf.remove(l.name() + part);
                assertNotNull(reads, what + ": " + l.name() + part + " never read");
                reads.sort(Comparator.comparingLong(r -> r[0]));
                long at = b.offset();
                for (long[] r : reads) {
                    assertEquals(at, r[0], what + ": " + l.name() + part + " gap or overlap in the file reads");
                    at = r[1];
                }
                assertEquals(b.offset() + b.bytes(), at, what + ": " + l.name() + part + " not read to its end");
            }
        }
        assertTrue(readOf.isEmpty(), what + ": reads of no conv layer " + readOf.keySet());
        for (ProgramStep s : p.steps()) {
            checkStep(p, s, what + " step " + s.index());
        }
    }

    private static void checkStep(Program p, ProgramStep s, String what) {
        List<Slot> touched = new ArrayList<>();
        for (KernelCall c : s.calls()) {
            for (TensorSlot t : c.inputs()) {
                checkTensorSlot(p, t, what);
                touched.add(t.slot());
            }
            checkTensorSlot(p, c.output(), what);
            touched.add(c.output().slot());
            assertTrue(c.channelOffset() + c.op().storage().shape().channels() - c.channelOffset() <= c.output().tensor().shape().channels());
            if (c.poolRows() != null) {
                touched.add(c.poolRows());
            }
            if (c.op() instanceof FusedOp.ConvPool cp) {
                Conv2d conv = cp.conv();
                RowGeometry g = c.geometry();
                assertNotNull(g, what);
                assertTrue(g.rowLength() >= conv.input().shape().width() + conv.padding().left() + conv.padding().right(), what);
                assertTrue(g.positions() >= conv.output().shape().width(), what);
                if (!g.direct()) {
                    // the window holds the input rows of rowsPerCall output rows of this kernel and stride
                    assertTrue(g.windowRows() >= (g.rowsPerCall() - 1) * conv.strideH() + conv.kernelH(), what + " " + g);
                    long need = 4L * conv.inPerGroup() * g.windowRows() * g.rowLength();
                    assertTrue(s.scratch().bytes("window") >= need, what + ": window " + s.scratch().bytes("window") + " < " + need);
                }
                assertTrue(s.scratch() != null, what + ": a conv without scratch");
            }
        }
        if (s.scratch() != null) {
            touched.add(s.scratch().slot());
            long at = s.scratch().slot().offset();
            for (Slot part : s.scratch().parts()) {
                assertEquals(at, part.offset(), what + ": scratch parts leave a gap");
                at = part.end();
            }
            assertEquals(s.scratch().slot().end(), at, what + ": scratch parts do not fill the slot");
        }
        // distinct buffers touched in one step never share bytes (one buffer may be named twice: in place)
        assertApart(touched, what);
        // nor with a weight tile's buffer, nor two consecutive tiles' buffers (one fills while the other computes)
        for (int i = 0; i < s.tiles().size(); i++) {
            List<Slot> now = new ArrayList<>(touched);
            for (int j = i; j <= i + 1 && j < s.tiles().size(); j++) {
                if (s.tiles().get(j).buffer() != null) {
                    now.add(s.tiles().get(j).buffer());
                }
            }
            assertApart(now, what + " tile " + s.tiles().get(i).index());
        }
        if (s.bands() != null) {
            Bands b = s.bands();
            assertTrue(b.bands() * b.bandRows() >= b.rows() && (b.bands() - 1) * b.bandRows() < b.rows(), what + " bands");
            for (Bands.Window w : b.windows()) {
                assertEquals(Memory.L3, w.home().slot().memory(), what);
                assertEquals(Memory.L2, w.window().slot().memory(), what);
                assertEquals(w.home().tensor(), w.window().tensor(), what);
                for (int i = 0; i < b.bands(); i++) {
                    assertTrue(w.to()[i] - w.from()[i] <= w.window().rows() && w.from()[i] >= 0
                            && w.to()[i] <= w.home().tensor().shape().height(), what + " band " + i);
                }
            }
        }
    }

    private static void assertApart(List<Slot> slots, String what) {
        for (int i = 0; i < slots.size(); i++) {
            for (int j = i + 1; j < slots.size(); j++) {
                Slot a = slots.get(i);
                Slot b = slots.get(j);
                boolean same = a.memory() == b.memory() && a.offset() == b.offset() && a.bytes() == b.bytes();
                boolean overlap = a.memory() == b.memory() && a.offset() < b.end() && b.offset() < a.end();
                assertFalse(overlap && !same, what + ": " + a + " overlaps " + b);
            }
        }
    }

    private static void checkTensorSlot(Program p, TensorSlot t, String what) {
        Tensor x = t.tensor();
        Shape sh = x.shape();
        long top = t.slot().memory() == Memory.L2 ? p.arenaBytes() : p.l3Bytes();
        assertTrue(t.slot().end() <= top, what + ": " + t.describe());
        assertEquals((long) sh.channels() * t.rows() * sh.width() * x.q().bytes(), t.slot().bytes(), what + ": " + t.describe());
        assertTrue(t.rows() <= sh.height() && t.rows() > 0, what);
        if (t.layout() != TensorSlot.Layout.WINDOW) {
            assertEquals(t.slot().end() - x.q().bytes(), t.at(sh.channels() - 1, sh.height() - 1 - (t.layout() == TensorSlot.Layout.RING
                    ? (sh.height() - 1) % t.rows() - (t.rows() - 1) : 0), sh.width() - 1), what + ": last element");
        }
    }

    private static void assertDisjoint(List<long[]> ranges, String what) {
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        for (int i = 1; i < ranges.size(); i++) {
            assertTrue(ranges.get(i)[0] >= ranges.get(i - 1)[1], what + ": segments overlap in the arena");
        }
    }
}
