package io.tinyreid.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.face.FaceEngines;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.testing.SharedData;
import picocli.CommandLine;

/**
 * {@code people add} and {@code identify} as shipped: the Haar detector and the real networks from
 * the model cache, on LFW photos (Tony Blair and Colin Powell enrolled from 3 photos each; their
 * other photos and other people's identified). Then the same household switched to dlib-resnet.
 */
class RealEngineCliTest {
    static FaceEngines engines;

    @TempDir Path data;

    @BeforeAll
    static void engines() {
        SharedData.requireCached("facereid/quantized_model/conv1.0.json");
        SharedData.requireCached("face-api-1.7.15/model/face_recognition_model-weights_manifest.json");
        engines = new FaceEngines(new ModelCache(SharedData.cache()));
    }

    record Run(int code, String out, String err) {}

    Run run(Object command, List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(args);
        all.add("--data-dir=" + data);
        return new Run(cl.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    /** The {@code n}-th (from 1) photo of {@code name} in the LFW dev images, in file name order. */
    static String lfw(String name, int n) {
        try (var files = java.nio.file.Files.list(SharedData.require("data/lfw-dev/images/" + name))) {
            return files.sorted().toList().get(n - 1).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** name -> (recognised as that name, unknown, someone else) over {@code identify} output lines. */
    static int[] tally(String out, String expected) {
        int[] t = new int[3];
        Matcher m = Pattern.compile(": face \\d+ at [^:]+: (unknown|[^(]+) \\(").matcher(out);
        while (m.find()) {
            String who = m.group(1).trim();
            if (who.equals("unknown")) t[1]++;
            else if (who.equals(expected)) t[0]++;
            else t[2]++;
        }
        return t;
    }

    @Test
    void enrolAndIdentifyWithTheRealDetectorAndNetworks() {
        Run tony = run(new PeopleCommand(engines), List.of("add", "Tony Blair", lfw("Tony_Blair", 1), lfw("Tony_Blair", 2), lfw("Tony_Blair", 3)));
        assertEquals(0, tony.code(), tony.out() + tony.err());
        Run colin = run(new PeopleCommand(engines), List.of("add", "Colin Powell", lfw("Colin_Powell", 1), lfw("Colin_Powell", 2), lfw("Colin_Powell", 3)));
        assertEquals(0, colin.code(), colin.out() + colin.err());
        assertTrue(tony.out().contains("Enrolled 3 of 3"), tony.out());

        for (String model : List.of("facereid", "dlib-resnet")) {
            if (!model.equals("facereid")) {
                Run sw = run(new PeopleCommand(engines), List.of("model", model));
                assertEquals(0, sw.code(), sw.out() + sw.err());
            }
            List<String> tonyPhotos = new ArrayList<>(List.of("identify"));
            for (int i = 4; i <= 9; i++) tonyPhotos.add(lfw("Tony_Blair", i));
            Run t = run(new IdentifyCommand(engines), tonyPhotos);
            int[] tt = tally(t.out(), "Tony Blair");
            List<String> others = new ArrayList<>(List.of("identify"));
            for (String[] o : new String[][] {{"Abel_Pacheco", "1"}, {"Akhmed_Zakayev", "1"}, {"Aaron_Sorkin", "1"},
                    {"Dean_Barker", "1"}, {"Giancarlo_Fisichella", "1"}}) {
                others.add(lfw(o[0], Integer.parseInt(o[1])));
            }
            Run x = run(new IdentifyCommand(engines), others);
            int[] xt = tally(x.out(), "-");
            System.out.printf(Locale.ROOT, "%s via CLI: Tony Blair %d/%d named (%d unknown, %d wrong); others %d/%d unknown%n",
                    model, tt[0], tt[0] + tt[1] + tt[2], tt[1], tt[2], xt[1], xt[0] + xt[1] + xt[2]);
            assertTrue(tt[0] >= 4 && tt[2] == 0, model + ": " + t.out());
            assertTrue(xt[2] <= 1, model + ": " + x.out());
        }
    }
}
