package io.tinyreid.nn.codegen;

import java.util.List;
import java.util.Locale;

import io.tinyreid.nn.program.Program;
import io.tinyreid.nn.program.WeightTile;

/**
 * The program's weight-tile table as C: one row per {@link WeightTile.Segment} (model-file offset,
 * bytes, arena offset), tiles in index order, verbatim; {@code load} copies a tile's rows from the
 * model file (the firmware's "L3" blob) into the arena through {@code tr_io_read}.
 */
final class SegmentTable {
    private final int[] first;
    private final int rows;

    SegmentTable(Program program) {
        first = new int[program.tiles().size()];
        int n = 0;
        for (WeightTile t : program.tiles()) {
            first[t.index()] = n;
            n += t.segments().size();
        }
        rows = n;
    }

    /** Rows of the table. */
    int rows() {
        return rows;
    }

    /** The table and the {@code load} function. */
    static String source(Program program) {
        StringBuilder c = new StringBuilder();
        c.append(String.format(Locale.ROOT, "/* The program's weight-tile table: model-file offset, bytes, arena offset (by tile). */%n"
                + "static const tr_segment SEG[%d] = {%n", Math.max(1, new SegmentTable(program).rows)));
        for (WeightTile t : program.tiles()) {
            for (WeightTile.Segment s : t.segments()) {
                if (s.arenaOffset() + s.bytes() > program.arenaBytes()) {
                    throw new IllegalStateException("tile " + t.index() + " lands outside the arena");
                }
                c.append(String.format(Locale.ROOT, "    {%du, %du, %du}, /* tile %d: %s */%n", s.fileOffset(), s.bytes(),
                        s.arenaOffset(), t.index(), s.what().replace("*/", "* /")));
            }
        }
        if (program.tiles().stream().allMatch(t -> t.segments().isEmpty())) {
            c.append("    {0u, 0u, 0u}\n");
        }
        c.append("""
                };

                /* Reads weight-tile segments [first, first + count) from the model file into their arena buffers. */
                static int load(int blob, unsigned first, unsigned count) {
                    unsigned i;
                    for (i = first; i < first + count; i++) {
                        if (tr_io_read(blob, SEG[i].src, tr_arena + SEG[i].dst, SEG[i].bytes) != 0) {
                            return -1;
                        }
                    }
                    return 0;
                }

                """);
        return c.toString();
    }

    /** The statement loading tile {@code t}'s segments (empty for a weightless tile). */
    String load(WeightTile t) {
        if (t.segments().isEmpty()) {
            return "";
        }
        return String.format(Locale.ROOT, "    if (load(blob, %du, %du) != 0) {%n        return -1;%n    }%n", first[t.index()],
                t.segments().size());
    }
}
