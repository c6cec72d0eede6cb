package io.tinyreid.app.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;

import io.tinyreid.app.budget.DoorbellBudget;
import io.tinyreid.app.budget.DoorbellLayout;
import io.tinyreid.app.face.DlibResnetEmbedder;
import io.tinyreid.app.display.LiveWindow;
import io.tinyreid.app.engine.Engines;
import io.tinyreid.app.engine.GalleryCapacity;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.pipeline.Doorbell;
import io.tinyreid.app.pipeline.DoorbellOff;
import io.tinyreid.app.pipeline.PipelineConfig;
import io.tinyreid.app.source.Capture;
import io.tinyreid.app.source.SourceSpec;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.web.AdminPassword;
import io.tinyreid.app.web.BudgetBanner;
import io.tinyreid.app.web.LiveControl;
import io.tinyreid.app.web.HouseholdPages;
import io.tinyreid.app.web.WebAddresses;
import io.tinyreid.app.web.WebServer;
import io.tinyreid.app.tls.TlsSetupException;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.plan.ArenaOverflowException;
import io.tinyreid.nn.plan.PlanOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyreid run}: watch a camera (or stream, file, folder), name visitors, serve the web UI. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Watch a camera, stream, video file or image folder; name known people, keep strangers; serve the web UI.")
public final class RunCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--source", paramLabel = "SRC",
            description = "/dev/videoN (or N), rtsp://... or http://... stream, a video file, or a folder of images "
                    + "(default: the camera or stream last chosen on the web UI's Settings page)")
    String source;

    @Option(names = "--web", paramLabel = "[HOST:]PORT", arity = "0..1", fallbackValue = ":8080",
            description = "serve the web UI (default :8080 = all interfaces)")
    String web;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "the household's own certificate (chain) for the web UI; with --tls-key")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "the private key of --tls-cert (unencrypted PEM)")
    Path tlsKey;

    @Option(names = "--insecure-http", description = "serve the web UI over plain HTTP instead of HTTPS (passwords and photos unencrypted)")
    boolean insecureHttp;

    @Option(names = "--window", description = "show the live view in a desktop window")
    boolean window;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "household data (default ~/.tinyreid or $TINYREID_HOME)")
    Path dataDir;

    @Option(names = "--loop", description = "play a file or folder again and again")
    boolean loop;

    @Option(names = "--fast", description = "process a file as fast as possible, every frame (default: at its frame rate)")
    boolean fast;

    @Option(names = "--confirm-frames", defaultValue = "3", description = "frames a face must persist before it counts (default 3)")
    int confirmFrames;

    @Option(names = "--min-sharpness", defaultValue = "0", description = "skip faces whose crop is less sharp than this "
            + "(contrast-normalised Laplacian variance; LFW faces: median 0.027, 5th percentile 0.010; default 0: off)")
    double minSharpness;

    @Option(names = "--max-asymmetry", defaultValue = "0", description = "skip faces whose crop is more asymmetric than this "
            + "(turned away; LFW faces: median 0.98, 90th percentile 1.39; default 0: off)")
    double maxAsymmetry;

    @Option(names = "--decision", defaultValue = "votes", description = "votes (majority of a visit's identifications, the "
            + "default) | visit (the visit's quality-weighted mean descriptor)")
    String decision;

    @Option(names = "--budget", defaultValue = "512KiB", paramLabel = "SIZE",
            description = "the doorbell's memory budget (\"L2\"); refuses to start when the plan does not fit (default ${DEFAULT-VALUE})")
    String budget;

    @Option(names = "--display", defaultValue = "gray", paramLabel = "FORMAT",
            description = "display frame in the plan: gray, rgb565, rgb888, none (default ${DEFAULT-VALUE})")
    String display;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (window && java.awt.GraphicsEnvironment.isHeadless()) {
            System.err.println("tinyreid run: no display for --window (DISPLAY is not set); use --web instead");
            return 2;
        }
        DataDirectory dir = DataDirectory.resolve(dataDir);
        String chosen = source;
        if (chosen == null) {
            chosen = lastSource(dir);
            if (chosen == null) {
                System.err.println("tinyreid run: no --source given and none chosen on the web UI yet; "
                        + "give --source /dev/video0 (or a stream URL, video file or folder of images)");
                return 2;
            }
            out.println("tinyreid: source " + chosen + " (last chosen on the Settings page)");
        }
        SourceSpec spec;
        try {
            spec = SourceSpec.parse(chosen, loop);
        } catch (IllegalArgumentException e) {
            System.err.println("tinyreid run: " + e.getMessage());
            return 2;
        }
        HostPort hp = null;
        WebTransport transport = null;
        List<InetAddress> webAddresses = List.of();
        if (web != null) {
            try {
                hp = HostPort.parse(web);
                webAddresses = WebAddresses.of(hp.host());
                transport = WebTransport.choose(insecureHttp, tlsCert, tlsKey, dir.root().resolve("tls"), webAddresses);
            } catch (IllegalArgumentException | TlsSetupException e) {
                System.err.println("tinyreid run: " + e.getMessage());
                return 2;
            }
        } else if (insecureHttp || tlsCert != null || tlsKey != null) {
            System.err.println("tinyreid run: --insecure-http, --tls-cert and --tls-key apply to the web UI; add --web [HOST:]PORT");
            return 2;
        }
        if (spec instanceof SourceSpec.Camera c) {
            try {
                io.tinyreid.app.source.SourceOpener.DEFAULT.open(c).close();
            } catch (io.tinyreid.app.source.SourceException e) {
                if (e.permanent()) {
                    System.err.println("tinyreid run: " + e.getMessage());
                    if (hp == null && !window) {
                        return 2;
                    }
                    // With the web UI the doorbell stays up: Settings can pick another camera or stream.
                    System.err.println("tinyreid run: starting anyway; choose a source on the web UI's Settings page");
                }
            }
        }
        Engines engines = new Engines(ModelCache.standard());
        PipelineConfig.Decision dec;
        try {
            dec = PipelineConfig.Decision.valueOf(decision.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("tinyreid run: --decision must be votes or visit, not '" + decision + "'");
            return 2;
        }
        if (!(minSharpness >= 0) || !(maxAsymmetry >= 0)) {
            System.err.println("tinyreid run: --min-sharpness and --max-asymmetry must be >= 0");
            return 2;
        }
        PipelineConfig cfg = new PipelineConfig(confirmFrames, 2, 3, 5, PipelineConfig.DEFAULT.debounce(), 24)
                .with(minSharpness, maxAsymmetry == 0 ? Double.POSITIVE_INFINITY : maxAsymmetry, dec);
        CountDownLatch stop = new CountDownLatch(1);
        long budgetBytes;
        DoorbellBudget.Display displayFormat;
        try {
            budgetBytes = PlanOptions.parseSize(budget);
            displayFormat = DoorbellBudget.Display.parse(display);
        } catch (IllegalArgumentException e) {
            System.err.println("tinyreid run: " + e.getMessage());
            return 2;
        }
        CountDownLatch closed = new CountDownLatch(1);
        // Ctrl-C / SIGTERM: stop the loop, then hold the JVM until the last events are written and sent.
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                closed.await(15, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tinyreid-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (Household household = Household.open(dir)) {
            // The same whole-device plan as 'tinyreid budget', for this household's model and gallery:
            // a doorbell that would not fit its memory does not start.
            FaceModel model = household.gallery().model();
            if (household.gallery().photosWithoutDescriptor() > 0) {
                // Enrolled by a version with another view (or restored): compare like with like at the door.
                try {
                    PrintWriter warn = new PrintWriter(System.err, true);
                    CliSupport.embedMissing(household.gallery(), engines.photos().open(model), warn);
                } catch (IllegalStateException | io.tinyreid.app.store.StoreException e) {
                    System.err.println("tinyreid run: stored photos could not be embedded for " + model.id() + ": "
                            + e.getMessage());
                }
            }
            int descriptors = household.gallery().descriptorCount();
            GalleryCapacity capacity = new GalleryCapacity(engines::plan, displayFormat, budgetBytes);
            Optional<DoorbellLayout> plan;
            try {
                plan = engines.plan(model, displayFormat, descriptors, budgetBytes);
            } catch (IllegalStateException e) {
                System.err.println("tinyreid run: " + e.getMessage());
                return 1;
            }
            if (plan.isEmpty()) {
                out.println("tinyreid: memory plan: model " + model.id() + " runs unplanned (float32 on the JVM heap): the model"
                        + " cache lacks its int16 model files (" + DlibResnetEmbedder.QUANTISED_LANDMARKS + " and "
                        + DlibResnetEmbedder.QUANTISED + ", written by 'tinyreid quantise --model face-landmark-68|dlib-resnet"
                        + " --precision int16 --calibration DIR --out FILE')");
            } else {
                DoorbellLayout layout = plan.get();
                try {
                    layout.requireFits();
                } catch (ArenaOverflowException e) {
                    String why = "the doorbell does not fit its memory budget: " + e.getMessage() + " with model "
                            + model.id() + " and " + descriptors + " gallery descriptors";
                    System.err.println("tinyreid run: " + why
                            + " (see 'tinyreid budget'; raise --budget, use --display none, or remove people)");
                    if (hp == null) {
                        return 1;
                    }
                    return serveWithDoorbellOff(household, engines, spec, why, capacity, dir, hp, transport,
                            webAddresses, stop, out);
                }
                out.printf(Locale.ROOT, "tinyreid: memory plan: %,d of %,d bytes (headroom %,d) for model %s, %d gallery"
                        + " descriptors, display %s%n", layout.peak(), budgetBytes, layout.headroom(), model.id(), descriptors,
                        displayFormat.name().toLowerCase(Locale.ROOT));
            }
            // One console line per visit, as soon as it is recorded (the event writer's thread).
            household.events().addListener(e -> out.println(VisitLine.of(e, ZoneId.systemDefault(), LocalDate.now())));
            Doorbell doorbell;
            try {
                doorbell = new Doorbell(household, engines.frames(), spec, cfg, !fast, fast,
                        s -> out.println("source: " + s.line()));
            } catch (IllegalStateException e) {
                System.err.println("tinyreid run: " + e.getMessage());
                return 1;
            }
            WebServer server = null;
            LiveWindow win = null;
            try {
                out.println("tinyreid: watching " + spec.describe() + " with model " + household.gallery().model().id()
                        + "; household in " + dir.root());
                out.println("tinyreid: notifications " + doorbell.notificationsStatus());
                if (hp != null) {
                    server = startWeb(household, engines, doorbell, capacity, null, dir, hp, transport, webAddresses, out);
                }
                if (window) {
                    try {
                        win = LiveWindow.open(doorbell.liveView(), doorbell::statusLine, stop::countDown);
                    } catch (IllegalStateException e) {
                        System.err.println("tinyreid run: " + e.getMessage());
                        return 2;
                    }
                }
                boolean interactive = server != null || win != null;
                long lastReport = System.nanoTime();
                while (stop.getCount() > 0) {
                    if (!interactive && doorbell.awaitEnd(1000)) {
                        break;
                    }
                    if (interactive) {
                        stop.await(1, java.util.concurrent.TimeUnit.SECONDS);
                    }
                    if (System.nanoTime() - lastReport > 30_000_000_000L) {
                        out.println("tinyreid: " + doorbell.statusLine());
                        lastReport = System.nanoTime();
                    }
                    if (!interactive && doorbell.statusLine().contains(": failed")) {
                        break;
                    }
                }
                out.println("tinyreid: " + doorbell.stats().frames() + " frames processed, "
                        + doorbell.events().written() + " events recorded, " + doorbell.events().suppressed()
                        + " repeat visits debounced, faces skipped: " + doorbell.stats().skippedSmall() + " too small, "
                        + doorbell.stats().skippedPoor() + " blurred or turned");
                return doorbell.statusLine().contains(": failed") ? 1 : 0;
            } finally {
                if (win != null) {
                    win.close();
                }
                if (server != null) {
                    server.close();
                }
                doorbell.close();
                out.println("tinyreid: stopped");
            }
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it has just been released
            }
        }
    }

    /** Serves the web UI on {@code live} (the doorbell, or its stand-in while off, then with {@code banner}). */
    private static WebServer startWeb(Household household, Engines engines, LiveControl live, GalleryCapacity capacity,
                                      BudgetBanner banner, DataDirectory dir, HostPort hp, WebTransport transport,
                                      List<InetAddress> webAddresses, PrintStream out) throws java.io.IOException {
        AdminPassword pw = new AdminPassword(dir.root().resolve("web-admin-password"), AdminPassword.DEFAULT_ITERATIONS);
        HouseholdPages pages = new HouseholdPages(household, engines.photos(), live, pw, ZoneId.systemDefault())
                .checkingBudget(capacity);
        if (banner != null) {
            pages.withBanner(banner);
        }
        WebServer server = transport.start(new WebServer(pw, pages), hp.host(), hp.port());
        String base = transport.announce(out, webAddresses, server.port());
        if (server.needsSetup()) {
            out.println("tinyreid: first run - set the admin password at " + base
                    + "setup?code=" + server.setupCode() + "  (setup code " + server.setupCode() + ")");
        }
        return server;
    }

    /**
     * A household that outgrew the budget still gets its web UI, so it can be fixed from a phone: the
     * doorbell stays off, every page says why and, once removals make it fit, asks for a restart.
     */
    private static int serveWithDoorbellOff(Household household, Engines engines, SourceSpec spec, String why,
                                            GalleryCapacity capacity,
                                            DataDirectory dir, HostPort hp, WebTransport transport,
                                            List<InetAddress> webAddresses, CountDownLatch stop, PrintStream out)
            throws Exception {
        BudgetBanner banner = new BudgetBanner(household.gallery(), capacity, why);
        try (WebServer server = startWeb(household, engines, new DoorbellOff(spec, why), capacity, banner, dir, hp, transport, webAddresses, out)) {
            out.println("tinyreid: the doorbell is off; the web UI stays up so the household can be made to fit"
                    + " (remove people or photos there, then restart 'tinyreid run')");
            out.flush();
            stop.await();
        }
        out.println("tinyreid: stopped");
        return 1;
    }

    /** The source last chosen on the Settings page, or null (also when there is no household yet). */
    private static String lastSource(DataDirectory dir) {
        if (!java.nio.file.Files.isDirectory(dir.root())) {
            return null;
        }
        try (Household h = Household.open(dir)) {
            return h.settings().get("source.last").orElse(null);
        }
    }

    /** A listen address: {@code 8080}, {@code :8080}, {@code 127.0.0.1:8080}. */
    record HostPort(String host, int port) {
        static HostPort parse(String s) {
            String t = s.strip();
            String host = "0.0.0.0";
            int colon = t.lastIndexOf(':');
            if (colon >= 0) {
                if (colon > 0) {
                    host = t.substring(0, colon);
                }
                t = t.substring(colon + 1);
            }
            try {
                int port = Integer.parseInt(t);
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new HostPort(host, port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--web expects [HOST:]PORT, e.g. :8080 or 127.0.0.1:8080, not '" + s + "'");
            }
        }
    }
}
