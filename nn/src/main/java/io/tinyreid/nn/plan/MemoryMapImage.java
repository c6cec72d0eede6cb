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
        List<ArenaChart.Marker> markers = new ArrayList<>();
        for (MemoryPlan.Step s : plan.steps()) {
            markers.add(new ArenaChart.Marker(s.tiles().getFirst().index(),
                    s.ops().getFirst().label() + (s.ops().size() > 1 ? " ... (" + s.ops().size() + " streamed)" : "")));
        }
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
