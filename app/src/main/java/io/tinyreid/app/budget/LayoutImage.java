package io.tinyreid.app.budget;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tinyreid.nn.plan.ArenaChart;

/** Draws a {@link DoorbellLayout} like the reference's "what lives in L2" slide: phases across, addresses up. */
public final class LayoutImage {
    private static final Map<Part, Color> COLOURS = Map.of(
            Part.FRAME, new Color(0x4e79a7),
            Part.CASCADE, new Color(0x9c755f),
            Part.DETECTOR, new Color(0xf28e2b),
            Part.TRACKER, new Color(0xedc948),
            Part.DISPLAY, new Color(0x76b7b2),
            Part.CROP, new Color(0x59a14f),
            Part.NETWORK, new Color(0xe15759),
            Part.DESCRIPTOR, new Color(0xff9da7),
            Part.GALLERY, new Color(0xb07aa1));

    private LayoutImage() {}

    /** Writes the map to {@code png}; {@code title} names what was planned. */
    public static void write(DoorbellLayout layout, String title, Path png) {
        ArenaChart.write(spec(layout, title), png);
    }

    static ArenaChart.Spec spec(DoorbellLayout layout, String title) {
        Map<String, Color> legend = new LinkedHashMap<>();
        for (Part p : Part.values()) {
            legend.put(p.label(), COLOURS.get(p));
        }
        List<ArenaChart.Block> blocks = new ArrayList<>();
        for (DoorbellLayout.Placed p : layout.regions()) {
            Region r = p.region();
            blocks.add(new ArenaChart.Block(String.format(Locale.ROOT, "%s  %.1f KiB", r.name(), r.bytes() / 1024.0),
                    r.part().label(), p.offset(), r.bytes(), r.first().ordinal(), r.last().ordinal()));
        }
        List<ArenaChart.Marker> markers = new ArrayList<>();
        for (Phase ph : Phase.values()) {
            markers.add(new ArenaChart.Marker(ph.ordinal(), ph.label()));
        }
        String head = String.format(Locale.ROOT, "%s: peak %.1f KiB of %.0f KiB, %s", title, layout.peak() / 1024.0,
                layout.budget() / 1024.0, layout.fits() ? String.format(Locale.ROOT, "headroom %.1f KiB", layout.headroom() / 1024.0)
                        : String.format(Locale.ROOT, "overflowed by %,d bytes", layout.peak() - layout.budget()));
        return new ArenaChart.Spec(head, Phase.values().length, blocks, markers, legend, layout.peak(), layout.budget(),
                true, true);
    }
}
