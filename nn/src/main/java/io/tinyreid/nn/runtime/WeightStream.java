package io.tinyreid.nn.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.tinyreid.nn.program.Program;
import io.tinyreid.nn.program.WeightTile;
import io.tinyreid.nn.store.ModelFile;

/**
 * Streams weight tiles from the model file ("L3") into their arena buffers with positional reads.
 * Synchronous: a tile is read when it is needed. Asynchronous: a prefetch thread reads tile k+1
 * while tile k computes; the plan gives tile k+1 a buffer that is free during tile k. A tile the
 * prefetch thread has not started when it is needed (it was still waking up: tiles of small layers
 * compute in microseconds) is read by the computing thread itself, so asynchronous loading never
 * waits longer than synchronous loading would.
 *
 * <p>The file is mapped read-only and each segment copied from the mapping into the arena: one
 * copy and no system call per segment (positional reads cost FaceReID about 0.4 ms of kernel time
 * per inference in its 234 segments, a fifth of {@code fast}). The mapping is the file, not a copy
 * of it: the arena still holds only the tiles the plan gives it, as on the device, whose DMA
 * writes L2 from flash. Where the file cannot be mapped (over 2 GiB, or a segment of a short arena
 * at an odd byte) bytes pass through one direct staging buffer (the largest segment) by positional
 * reads instead.
 */
final class WeightStream implements AutoCloseable {
    /** What every read reports when the model file is shorter than when it was opened. */
    private static final String TRUNCATED = "model file ended early (truncated after it was opened?)";
    /** How long the computing thread spins for a tile the prefetch thread is reading (16 KiB: a few us). */
    private static final long SPIN_NANOS = 20_000;
    private final FileChannel channel;
    private final long[][] positions;
    private final int[][] counts;
    private final int[][] targets;
    private final short[] arena;
    private final byte[] bytes;
    private final ByteBuffer staging;
    private final ShortBuffer stagingShorts;
    /** The model file mapped, as shorts for a short arena; null when segments are read into {@link #staging}. */
    private final MappedByteBuffer mapped;
    private final ShortBuffer mappedShorts;
    /** Bytes of the file the segments span (a mapped file shorter than this has been truncated). */
    private final long needed;
    private final int tiles;
    private final boolean async;
    private final Thread loader;
    private volatile long requested = -1;
    /** The latest tile (sequence number) a thread has started to load; each is loaded by one thread. */
    private final AtomicLong claimed = new AtomicLong(-1);
    private volatile long loaded = -1;
    private volatile boolean closed;
    private volatile Throwable failure;
    private volatile Thread waiter;
    private long sequence;

    /** Streams {@code program}'s weight-tile table into a {@code short} arena (the device families). */
    WeightStream(ModelFile model, Program program, short[] arena, WeightLoading loading) {
        this(model, program, arena, null, loading);
    }

    /** Streams {@code program}'s weight-tile table into a byte arena (the integer family). */
    WeightStream(ModelFile model, Program program, byte[] arena, WeightLoading loading) {
        this(model, program, null, arena, loading);
    }

    // counts and targets are in bytes; the short arena divides them by 2
    private WeightStream(ModelFile model, Program program, short[] arena, byte[] bytes, WeightLoading loading) {
        this.arena = arena;
        this.bytes = bytes;
        this.tiles = program.tiles().size();
        positions = new long[tiles][];
        counts = new int[tiles][];
        targets = new int[tiles][];
        int largest = 0;
        long end = 0;
        boolean odd = false;
        for (WeightTile tile : program.tiles()) {
            List<WeightTile.Segment> segs = tile.segments();
            long[] pos = new long[segs.size()];
            int[] cnt = new int[segs.size()];
            int[] tgt = new int[segs.size()];
            for (int i = 0; i < segs.size(); i++) {
                WeightTile.Segment s = segs.get(i);
                pos[i] = s.fileOffset();
                cnt[i] = s.bytes();
                tgt[i] = Math.toIntExact(s.arenaOffset());
                largest = Math.max(largest, cnt[i]);
                end = Math.max(end, pos[i] + cnt[i]);
                odd |= (pos[i] | cnt[i] | tgt[i]) % 2 != 0;
            }
            positions[tile.index()] = pos;
            counts[tile.index()] = cnt;
            targets[tile.index()] = tgt;
        }
        needed = end;
        channel = open(model.path());
        mapped = arena != null && odd ? null : map(channel);
        mappedShorts = mapped == null ? null : mapped.asShortBuffer();
        staging = ByteBuffer.allocateDirect(mapped == null ? Math.max(2, largest) : 2).order(ByteOrder.LITTLE_ENDIAN);
        stagingShorts = staging.asShortBuffer();
        async = loading == WeightLoading.ASYNC;
        if (async) {
            loader = Thread.ofPlatform().daemon().name("tinyreid-weights").start(this::prefetchLoop);
        } else {
            loader = null;
        }
    }

    private static FileChannel open(Path p) {
        try {
            return FileChannel.open(p, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open model file " + p, e);
        }
    }

    /** The whole file mapped little-endian, or null where it cannot be (then segments are read). */
    private static MappedByteBuffer map(FileChannel channel) {
        try {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                return null;
            }
            MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            m.order(ByteOrder.LITTLE_ENDIAN);
            return m;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * Starts an inference: checks a mapped file still holds every segment (pages past a truncated
     * file's end fault instead of reading short), asks for tile 0 (after any prefetch left over
     * from a failed inference).
     */
    void begin() {
        if (mapped != null) {
            try {
                if (channel.size() < needed) {
                    throw new IOException(TRUNCATED);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read weights: " + e.getMessage(), e);
            }
        }
        if (async) {
            waiter = Thread.currentThread();
            // a prefetch left over from a failed inference: claim it unread, or wait until it is read
            long r = requested;
            long c = claimed.get();
            if (c < r && claimed.compareAndSet(c, r)) {
                loaded = r;
            }
            while (loaded < claimed.get()) {
                checkFailure();
                LockSupport.park(this);
            }
            request(sequence);
        }
    }

    private void checkFailure() {
        Throwable f = failure;
        if (f != null) {
            throw new UncheckedIOException("weight prefetch failed: " + f.getMessage(),
                    f instanceof IOException io ? io : new IOException(f));
        }
    }

    /** Returns when tile {@code t} is in the arena; asynchronously, also asks for tile t+1. */
    void acquire(int t) {
        if (!async) {
            load(t);
            return;
        }
        long want = sequence + t;
        if (loaded < want) {
            long c = claimed.get();
            if (c < want && claimed.compareAndSet(c, want)) {
                load(t);
                loaded = want;
            } else {
                // the prefetch thread is reading it: it is running, so spin briefly before parking
                long until = System.nanoTime() + SPIN_NANOS;
                while (loaded < want && failure == null && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                while (loaded < want) {
                    checkFailure();
                    LockSupport.park(this);
                }
            }
        }
        if (t + 1 < tiles) {
            request(want + 1);
        }
    }

    /** Ends an inference, also a failed one (tile numbers of the next one start afresh). */
    void end() {
        sequence += tiles;
    }

    private void request(long s) {
        requested = s;
        LockSupport.unpark(loader);
    }

    private void prefetchLoop() {
        try {
            while (!closed) {
                // Only the latest request matters: the main thread asks one tile ahead and waits for it.
                long want = requested;
                long c = claimed.get();
                if (want > c && claimed.compareAndSet(c, want)) {
                    load((int) (want % tiles));
                    loaded = want;
                    LockSupport.unpark(waiter);
                } else {
                    LockSupport.park(this);
                }
            }
        } catch (Throwable t) {
            failure = t;
            LockSupport.unpark(waiter);
        }
    }

    private void load(int t) {
        long[] pos = positions[t];
        int[] cnt = counts[t];
        int[] tgt = targets[t];
        if (mapped != null) {
            try {
                for (int i = 0; i < pos.length; i++) {
                    if (bytes != null) {
                        mapped.get((int) pos[i], bytes, tgt[i], cnt[i]);
                    } else {
                        mappedShorts.get((int) (pos[i] / 2), arena, tgt[i] / 2, cnt[i] / 2);
                    }
                }
            } catch (InternalError e) {
                // the JVM's report of a fault in a mapping: the file was truncated during the inference
                throw new UncheckedIOException("cannot read weights: " + TRUNCATED,
                        new IOException(e));
            }
            return;
        }
        try {
            for (int i = 0; i < pos.length; i++) {
                staging.clear().limit(cnt[i]);
                while (staging.hasRemaining()) {
                    if (channel.read(staging, pos[i] + staging.position()) < 0) {
                        throw new IOException(TRUNCATED);
                    }
                }
                if (bytes != null) {
                    staging.get(0, bytes, tgt[i], cnt[i]);
                } else {
                    stagingShorts.get(0, arena, tgt[i] / 2, cnt[i] / 2);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read weights: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (loader != null) {
            LockSupport.unpark(loader);
            try {
                loader.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written; closing a read channel cannot lose data
        }
    }
}
