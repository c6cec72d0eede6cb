package io.tinyreid.nn.plan;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Draws a memory plan as a PNG ({@link ArenaChart}): time (weight tiles, steps labelled) across, arena addresses up. */
public final class MemoryMapImage {
    private static final Map<MemoryPlan.Kind, Color> COLOURS = Map.of(
            MemoryPlan.Kind.INPUT, new Color(0x4e79a7),
            MemoryPlan.Kind.ACTIVATION, new Color(0x59a14f),
            MemoryPlan.Kind.ROWS, new Color(0x8cd17d),
            MemoryPlan.Kind.POOL_ROWS, new Color(0xb6992d),
            MemoryPlan.Kind.WEIGHTS, new Color(0xe15759),
            MemoryPlan.Kind.OUTPUT, new Color(0x76b7b2),
            MemoryPlan.Kind.KERNEL, new Color(0xb07aa1),
            MemoryPlan.Kind.STAGING, new Color(0xff9da7));

    private MemoryMapImage() {}

    /** Writes the map of {@code plan} to {@code png}. */
    public static void write(MemoryPlan plan, Path png) {
        ArenaChart.write(spec(plan), png);
    }

    /** Writes the map of the activations {@code plan} keeps in L3 to {@code png} (same time axis as the L2 map). */
    public static void writeL3(MemoryPlan plan, Path png) {
        ArenaChart.write(l3Spec(plan), png);
    }

    /** Where the L3 map of a plan drawn to {@code png} goes: {@code map.png} -> {@code map-l3.png}. */
    public static Path l3Sibling(Path png) {
        String name = png.getFileName().toString();
        int dot = name.toLowerCase(Locale.ROOT).endsWith(".png") ? name.length() - 4 : name.length();
        return png.resolveSibling(name.substring(0, dot) + "-l3.png");
    }

    /** The chart of the spilled activations in L3: which tensors, when, and how much L3. */
    static ArenaChart.Spec l3Spec(MemoryPlan plan) {
        ActivationSpill spill = plan.spill();
        Map<String, Color> legend = new LinkedHashMap<>();
        legend.put(name(MemoryPlan.Kind.INPUT), COLOURS.get(MemoryPlan.Kind.INPUT));
        legend.put(name(MemoryPlan.Kind.ACTIVATION), COLOURS.get(MemoryPlan.Kind.ACTIVATION));
        List<ArenaChart.Block> blocks = new ArrayList<>();
        for (MemoryPlan.Buffer b : spill.l3().values()) {
            blocks.add(new ArenaChart.Block(b.name(), name(b.kind() == MemoryPlan.Kind.INPUT ? b.kind() : MemoryPlan.Kind.ACTIVATION),
                    b.offset(), b.bytes(), b.first(), b.last()));
        }
        String title = String.format(Locale.ROOT, "%s activations in L3: %d tensors, %.1f KiB; L3->L2 %.1f KiB + L2->L3 %.1f KiB"
                        + " per inference (time ->)", plan.graph().name(), spill.l3().size(), spill.l3Bytes() / 1024.0,
                spill.readBytes() / 1024.0, spill.writeBytes() / 1024.0);
        return new ArenaChart.Spec(title, plan.tileCount(), blocks, markers(plan), legend, spill.l3Bytes(),
                plan.options().l3Bytes(), false, true);
    }

    private static List<ArenaChart.Marker> markers(MemoryPlan plan) {
        List<ArenaChart.Marker> markers = new ArrayList<>();
        for (MemoryPlan.Step s : plan.steps()) {
            markers.add(new ArenaChart.Marker(s.tiles().getFirst().index(),
                    s.ops().getFirst().label() + (s.ops().size() > 1 ? " ... (" + s.ops().size() + " streamed)" : "")));
        }
        return markers;
    }

    /** The chart of {@code plan}. */
    static ArenaChart.Spec spec(MemoryPlan plan) {
        Map<String, Color> legend = new LinkedHashMap<>();
        for (MemoryPlan.Kind k : MemoryPlan.Kind.values()) {
            legend.put(name(k), COLOURS.get(k));
        }
        List<ArenaChart.Block> blocks = new ArrayList<>();
        for (MemoryPlan.Buffer b : plan.buffers()) {
            blocks.add(new ArenaChart.Block(b.name(), name(b.kind()), b.offset(), b.bytes(), b.first(), b.last()));
        }
        List<ArenaChart.Marker> markers = markers(plan);
        String title = String.format(Locale.ROOT, "%s memory plan: peak %.1f KiB, budget %.0f KiB, %d weight tiles (time ->)",
                plan.graph().name(), plan.peak() / 1024.0, plan.options().budgetBytes() / 1024.0, plan.tileCount());
        ActivationSpill spill = plan.spill();
        if (spill.any()) {
            // the spilled tensors are not in L2: name them and the traffic; their L2 windows are the "staging" blocks
            title += String.format(Locale.ROOT, "; %d tensors spilled to L3 (%.1f KiB there, %.1f KiB L2<->L3 per inference)",
                    spill.l3().size(), spill.l3Bytes() / 1024.0, spill.trafficBytes() / 1024.0);
        }
        return new ArenaChart.Spec(title, plan.tileCount(), blocks, markers, legend, plan.peak(),
                plan.options().budgetBytes(), false, false);
    }

    private static String name(MemoryPlan.Kind k) {
        return k.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
