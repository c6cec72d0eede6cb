package io.tinyreid.app.pipeline;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.tinyreid.app.gallery.FacePhoto;
import io.tinyreid.app.notify.Notifications;
import io.tinyreid.app.source.Backoff;
import io.tinyreid.app.source.Capture;
import io.tinyreid.app.source.Frame;
import io.tinyreid.app.source.FrameExchange;
import io.tinyreid.app.source.SourceOpener;
import io.tinyreid.app.source.SourceSpec;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.web.LiveControl;

/**
 * The running doorbell: a capture thread feeding the frame loop, which names visitors and writes
 * events to the household. The source can be switched and the model changed while it runs.
 */
public final class Doorbell implements LiveControl, AutoCloseable {
    private final Household household;
    private final FrameEngine.Source engines;
    private final PipelineConfig config;
    private final boolean realtime;
    private final boolean lossless;
    private final Consumer<Capture.Status> statusListener;
    private final LiveView view = new LiveView();
    private final DoorEvents events;
    private final Notifications notifications;
    private final Thread loop;
    private volatile Capture capture;
    private volatile DoorbellPipeline pipeline;
    private volatile boolean running = true;
    private volatile boolean finished;
    private volatile String loopError = "";

    /**
     * @param realtime play files at their frame rate (false: as fast as processed)
     * @param lossless process every frame of a file (offline analysis, tests); live sources always drop
     */
    public Doorbell(Household household, FrameEngine.Source engines, SourceSpec source, PipelineConfig config,
                    boolean realtime, boolean lossless, Consumer<Capture.Status> statusListener) {
        this.household = household;
        this.engines = engines;
        this.config = config;
        this.realtime = realtime;
        this.lossless = lossless;
        this.statusListener = statusListener;
        this.events = new DoorEvents(household.gallery(), household.events(), config.debounce(), Clock.systemUTC());
        try {
            this.pipeline = newPipeline();
        } catch (RuntimeException e) {
            events.close();
            throw e;
        }
        this.notifications = new Notifications(household);
        this.capture = newCapture(source);
        this.loop = Thread.ofPlatform().name("frame-loop").start(this::loop);
    }

    private DoorbellPipeline newPipeline() {
        FrameEngine e = engines.open(household.gallery().model());
        return new DoorbellPipeline(config, e.detector(), e.describer(), household.gallery(), events, view, Clock.systemUTC());
    }

    private Capture newCapture(SourceSpec spec) {
        return new Capture(spec, SourceOpener.DEFAULT, new FrameExchange(lossless), Backoff.DEFAULT, realtime,
                statusListener).start();
    }

    private void loop() {
        DoorbellPipeline previous = null;
        try {
            while (running) {
                Capture c = capture;
                DoorbellPipeline p = pipeline;
                if (previous != null && previous != p) {
                    previous.close(); // the model changed: this thread was the old network's only user
                }
                previous = p;
                try {
                    p.run(c.exchange(), () -> running && capture == c && pipeline == p);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    loopError = "frame loop stopped: " + e;
                    System.getLogger("tinyreid.pipeline").log(System.Logger.Level.ERROR, "frame loop failed", e);
                    try {
                        Thread.sleep(1000); // then go on with the next frame: one bad frame is not fatal
                    } catch (InterruptedException ie) {
                        return;
                    }
                    continue;
                }
                if (capture == c && pipeline == p) {
                    // The source ended (or failed for good) and every frame was processed: say so, then
                    // wait for another source (Settings page) or for close.
                    synchronized (this) {
                        finished = true;
                        notifyAll();
                        while (running && capture == c && pipeline == p) {
                            try {
                                wait(500);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                        finished = false;
                    }
                }
            }
        } finally {
            if (previous != null && previous != pipeline) {
                previous.close();
            }
        }
    }

    /** Waits until a finite source has been played and processed to its end. */
    public synchronized boolean awaitEnd(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!finished) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        events.flush(10_000);
        return true;
    }

    @Override
    public LiveView liveView() {
        return view;
    }

    /** The frame loop's counters. */
    public PipelineStats stats() {
        return pipeline.stats();
    }

    /** The event writer (counts of written, suppressed, dropped verdicts). */
    public DoorEvents events() {
        return events;
    }

    @Override
    public String statusLine() {
        Capture.Status cs = capture.status();
        StringBuilder sb = new StringBuilder();
        if (!view.signal()) {
            sb.append("no signal for ").append(cs.millisSinceLastFrame() / 1000).append(" s · ");
        }
        sb.append(cs.line()).append(" · ").append(pipeline.stats().line());
        if (!events.lastError().isEmpty()) {
            sb.append(" · events not saved: ").append(events.lastError());
        }
        if (!loopError.isEmpty()) {
            sb.append(" · ").append(loopError);
        }
        return sb.toString();
    }

    @Override
    public SourceSpec source() {
        return capture.spec();
    }

    @Override
    public synchronized void switchSource(SourceSpec spec) {
        Capture old = capture;
        capture = newCapture(spec);
        old.close();
        notifyAll();
    }

    @Override
    public Optional<FacePhoto> largestFaceNow() {
        LiveView.Snapshot s = new LiveView.Snapshot();
        try {
            if (!view.copyNewer(0, 0, s)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        int best = -1;
        for (int i = 0; i < s.count; i++) {
            if (best < 0 || s.w[i] * s.h[i] > s.w[best] * s.h[best]) {
                best = i;
            }
        }
        if (best < 0) {
            return Optional.empty();
        }
        Frame f = s.frame;
        return Optional.of(FaceCrops.facePhoto(f.rgb(), s.x[best], s.y[best], s.w[best], s.h[best], 2.0));
    }

    @Override
    public String notificationsStatus() {
        return notifications.statusLine();
    }

    @Override
    public List<String> reloadNotifications() {
        return notifications.reload();
    }

    @Override
    public synchronized void modelChanged() {
        pipeline = newPipeline();
        notifyAll();
    }

    @Override
    public void close() {
        running = false;
        capture.close();
        loop.interrupt();
        try {
            loop.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.close();
        notifications.close(); // after the last events were written, so they are still sent
        if (!loop.isAlive()) {
            pipeline.close();
        }
    }
}
