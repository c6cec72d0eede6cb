package io.tinyreid.app.cli;

import java.awt.Desktop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import io.tinyreid.app.demo.DemoCast;
import io.tinyreid.app.demo.DemoClip;
import io.tinyreid.app.display.LiveWindow;
import io.tinyreid.app.engine.Engines;
import io.tinyreid.app.face.FaceEngine;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.EnrolReport;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.gallery.Progress;
import io.tinyreid.app.pipeline.Doorbell;
import io.tinyreid.app.pipeline.PipelineConfig;
import io.tinyreid.app.source.SourceSpec;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.web.AdminPassword;
import io.tinyreid.app.web.HouseholdPages;
import io.tinyreid.app.web.WebServer;
import io.tinyreid.nn.models.ModelCache;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tinyreid demo}: everything a newcomer needs to see the doorbell work, from nothing.
 * Fetches the models (and face-api's demo photos), enrols three demo people in a separate demo
 * household, writes a doorbell clip in which they and a stranger come to the door, plays it in a
 * loop through the real pipeline and serves the web UI with a fresh password.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Fetch what is needed, enrol demo people, play a doorbell clip and open the web UI.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--web", paramLabel = "[HOST:]PORT", defaultValue = "127.0.0.1:8080",
            description = "where to serve the web UI (default 127.0.0.1:8080)")
    String web;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "demo household (default ~/.tinyreid-demo; your real household is untouched)")
    Path dataDir;

    @Option(names = "--window", description = "also show the live view in a desktop window")
    boolean window;

    @Option(names = "--no-browser", description = "do not try to open a browser")
    boolean noBrowser;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
            description = "stop after this many seconds (default: run until Ctrl-C)")
    long duration;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path home = dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".tinyreid-demo");
        RunCommand.HostPort hp;
        List<java.net.InetAddress> addresses;
        WebTransport transport;
        try {
            hp = RunCommand.HostPort.parse(web);
            addresses = io.tinyreid.app.web.WebAddresses.of(hp.host());
            // On loopback (the default) nothing crosses a network and a self-signed certificate would only
            // greet the demo's first visitor with a browser warning; served to the LAN it is HTTPS like 'run'.
            transport = addresses.stream().allMatch(java.net.InetAddress::isLoopbackAddress) ? new WebTransport.Plain()
                    : WebTransport.choose(false, null, null, home.resolve("tls"), addresses);
        } catch (IllegalArgumentException | io.tinyreid.app.tls.TlsSetupException e) {
            System.err.println("tinyreid demo: " + e.getMessage());
            return 2;
        }

        out.println("[1/5] Models (face-api 1.7.15 from npm, FaceReID)");
        int fetched = new CommandLine(new ModelsCommand()).execute("fetch");
        if (fetched != 0) {
            System.err.println("tinyreid demo: the models could not be fetched (see above)");
            return 1;
        }
        ModelCache cache = ModelCache.standard();
        Engines engines = new Engines(cache);
        FaceEngine photoEngine = engines.photoEngine(FaceModel.FACEREID);

        out.println("[2/5] Demo visitors: looking for faces in face-api's demo photos");
        List<DemoCast.Visitor> cast = DemoCast.pick(DemoCast.photos(cache.dir(ModelCache.ModelSet.FACE_API)), photoEngine.finder());
        out.println("      " + cast.size() + " faces picked");

        Files.createDirectories(home);
        try (Household household = Household.open(new DataDirectory(home), FaceModel.FACEREID, java.time.Clock.systemUTC())) {
            out.println("[3/5] Demo household in " + home);
            for (DemoCast.Visitor v : cast) {
                if (v.name() == null) {
                    continue;
                }
                if (household.gallery().personNamed(v.name()).isPresent()) {
                    out.println("      " + v.name() + ": already enrolled");
                    continue;
                }
                EnrolReport r = household.gallery().enrol(photoEngine, v.name(),
                        List.of(new PhotoInput(v.name() + ".png", png(v))), Progress.NONE);
                out.println("      " + v.name() + ": " + (r.acceptedCount() == 1 ? "enrolled"
                        : "not enrolled - " + r.outcomes().getFirst().message()));
            }

            Path clip = home.resolve("doorbell.mp4");
            List<DemoCast.Visitor> visits = new ArrayList<>(cast);
            int frames = DemoClip.write(clip, visits);
            out.println("[4/5] Doorbell clip " + clip + " (" + frames / 10 + " s, " + visits.size()
                    + " visitors, the last one a stranger), played in a loop");

            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            try (Doorbell doorbell = new Doorbell(household, engines.frames(), new SourceSpec.VideoFile(clip, true),
                    PipelineConfig.DEFAULT, true, false, s -> { })) {
                AdminPassword pw = new AdminPassword(home.resolve("web-admin-password"), AdminPassword.DEFAULT_ITERATIONS);
                String password = newPassword();
                pw.set(password);
                WebServer server = transport.start(new WebServer(pw, new HouseholdPages(household, engines.photos(), doorbell, pw,
                        ZoneId.systemDefault())), hp.host(), hp.port());
                LiveWindow win = null;
                try {
                    boolean tls = transport instanceof WebTransport.Tls;
                    String url = io.tinyreid.app.web.WebAddresses.url(tls, addresses.getFirst(), server.port());
                    out.println("[5/5] Web UI");
                    if (transport instanceof WebTransport.Tls t) {
                        out.println("      HTTPS; the certificate's SHA-256 fingerprint is " + t.identity().fingerprint());
                    }
                    out.println();
                    out.println("      Open " + url + " and log in with the password  " + password);
                    out.println("      (Live shows the door with boxes and names; People, Strangers, History and Settings are all real.)");
                    out.println("      Press Ctrl-C to stop.");
                    out.println();
                    if (!noBrowser) {
                        openBrowser(url);
                    }
                    if (window) {
                        try {
                            win = LiveWindow.open(doorbell.liveView(), doorbell::statusLine, stop::countDown);
                        } catch (IllegalStateException e) {
                            out.println("      (no window: " + e.getMessage() + ")");
                        }
                    }
                    long end = duration > 0 ? System.nanoTime() + duration * 1_000_000_000L : Long.MAX_VALUE;
                    while (System.nanoTime() < end && !stop.await(Math.min(30, Math.max(1, duration)), TimeUnit.SECONDS)) {
                        out.println("tinyreid: " + doorbell.statusLine() + " · " + doorbell.events().written() + " events");
                    }
                } finally {
                    if (win != null) {
                        win.close();
                    }
                    server.close();
                }
            }
        }
        return 0;
    }

    private static byte[] png(DemoCast.Visitor v) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(v.portrait(), "png", b);
        return b.toByteArray();
    }

    /** Three groups of four letters and digits, easy to type. */
    static String newPassword() {
        String alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 14; i++) {
            sb.append(i == 4 || i == 9 ? '-' : alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static void openBrowser(String url) {
        try {
            if (!java.awt.GraphicsEnvironment.isHeadless() && Desktop.isDesktopSupported()
                    && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(URI.create(url));
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // printing the address is enough
        }
    }
}
