package io.tinyreid.nn.codegen;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.store.ModelFile;

/**
 * The generated firmware's "L3": every weight tile's bytes in execution order, copied from the model
 * file exactly as the Java runtime streams them (int16 little-endian weights of the tile's output
 * channels, then their biases), with the table saying where each part lands in the arena.
 */
final class WeightBlob {
    /** {@code bytes} bytes at blob offset {@code source} go to arena byte {@code target}. */
    record Segment(long source, long bytes, long target) {}

    private WeightBlob() {}

    /** Writes the blob to {@code file}; returns, per tile index, its segments. */
    static List<List<Segment>> write(ModelFile model, MemoryPlan plan, Path file) {
        List<List<Segment>> tiles = new ArrayList<>();
        try (FileChannel in = FileChannel.open(model.path(), StandardOpenOption.READ);
             OutputStream out = Files.newOutputStream(file)) {
            long at = 0;
            for (MemoryPlan.Step step : plan.steps()) {
                for (MemoryPlan.Tile tile : step.tiles()) {
                    List<Segment> segments = new ArrayList<>();
                    for (MemoryPlan.TilePart p : tile.parts()) {
                        ModelFile.Blob w = model.blob(p.op().conv().weight());
                        ModelFile.Blob b = model.blob(p.op().conv().bias());
                        if (!w.int16() || !b.int16()) {
                            throw new IllegalArgumentException("layer " + p.op().conv().name()
                                    + " has no int16 weights in the model file; the generated C runs int16 networks");
                        }
                        int perChannel = w.count() / p.op().conv().outChannels();
                        int channels = p.c1() - p.c0();
                        at = copy(in, w.offset() + 2L * p.c0() * perChannel, 2L * channels * perChannel, out, at,
                                p.weightOffset(), segments);
                        at = copy(in, b.offset() + 2L * p.c0(), 2L * channels, out, at, p.biasOffset(), segments);
                    }
                    while (tiles.size() <= tile.index()) {
                        tiles.add(null);
                    }
                    tiles.set(tile.index(), List.copyOf(segments));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the weight blob " + file + ": " + e.getMessage(), e);
        }
        return tiles;
    }

    private static long copy(FileChannel in, long position, long bytes, OutputStream out, long at, long target,
                             List<Segment> segments) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(bytes));
        while (buf.hasRemaining()) {
            if (in.read(buf, position + buf.position()) < 0) {
                throw new IOException("model file ends inside a weight tensor");
            }
        }
        out.write(buf.array());
        segments.add(new Segment(at, bytes, target));
        return at + bytes;
    }
}
