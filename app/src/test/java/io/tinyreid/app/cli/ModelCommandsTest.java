package io.tinyreid.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.testing.SharedData;
import io.tinyreid.testing.TestImages;
import picocli.CommandLine;

/** The engine's CLI end to end: import the reference net, plan it, embed the device's check images. */
class ModelCommandsTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new TinyReidCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void importPlanAndEmbedReproduceTheDevice(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("facereid.tinyreid");
        Run imp = run("model", "import", "facereid", "--from", SharedData.require("models/facereid/quantized_model").toString(),
                "--out", model.toString());
        assertEquals(0, imp.code(), imp.err());
        assertTrue(imp.out().contains("512x1x1 Q10"), imp.out());

        Path png = tmp.resolve("map.png");
        Run plan = run("model", "plan", model.toString(), "--png", png.toString());
        assertEquals(0, plan.code(), plan.err());
        Matcher m = Pattern.compile("peak ([0-9,]+) bytes").matcher(plan.out());
        assertTrue(m.find(), plan.out());
        long peak = Long.parseLong(m.group(1).replace(",", ""));
        assertTrue(peak <= 200 * 1024, "peak " + peak);
        assertTrue(Files.size(png) > 1000);
        // the lowered program follows the map: its header, every step with its kernel, the weight tiles
        assertTrue(plan.out().contains("program for facereid: device-exact kernels, "), plan.out());
        assertTrue(plan.out().contains("  call 0  device-exact conv ") && plan.out().contains("\n  tile 0 -> L2 @"), plan.out());
        Run fast = run("model", "plan", model.toString(), "--mode", "fast");
        assertTrue(fast.out().contains("device-fast kernels"), fast.out());
        Run integer = run("model", "plan", model.toString(), "--mode", "integer");
        assertTrue(integer.out().contains("program for facereid: integer kernels"), integer.out() + integer.err());
        assertEquals(1, run("model", "plan", model.toString(), "--mode", "float").code());

        assertEquals(0, run("model", "plan", model.toString(), "--budget", String.valueOf(peak)).code());
        Run tight = run("model", "plan", model.toString(), "--budget", String.valueOf(peak - 1));
        assertEquals(1, tight.code());
        assertTrue(tight.err().contains("region 'L2' overflowed by 1 bytes"), tight.err());

        Path dc = SharedData.require("models/facereid/device_check");
        Run emb = run("embed", "--model", model.toString(), "--mode", "exact", dc.resolve("Francesco.pgm").toString(),
                dc.resolve("Lena.pgm").toString());
        assertEquals(0, emb.code(), emb.err());
        String[] lines = emb.out().strip().split("\n");
        assertEquals(2, lines.length);
        String[] who = {"Francesco", "Lena"};
        for (int k = 0; k < 2; k++) {
            short[] device = TestImages.readInt16(dc.resolve(who[k] + ".bin"));
            String arr = lines[k].substring(lines[k].indexOf("\"descriptor\":[") + 14, lines[k].lastIndexOf(']'));
            String[] v = arr.split(",");
            assertEquals(512, v.length);
            for (int i = 0; i < 512; i++) {
                assertEquals(device[i], Math.round(Float.parseFloat(v[i]) * 1024), who[k] + " component " + i);
            }
        }
    }

    /** An integer model over budget: the plan keeps activations in L3 and shows them; without L3 it does not fit. */
    @Test
    void planSpillsActivationsToL3UnderATightBudget(@TempDir Path tmp) throws Exception {
        io.tinyreid.nn.ir.Graph g = io.tinyreid.nn.quant.RandomGraphs.resnet(3);
        io.tinyreid.nn.ir.Graph q = io.tinyreid.nn.quant.Quantiser.quantise(g,
                io.tinyreid.nn.quant.RandomGraphs.pixels(3, 2, g.input().shape().size()),
                io.tinyreid.nn.quant.Quantiser.Options.of(io.tinyreid.nn.quant.Quantiser.Precision.INT16)).quantised();
        Path model = tmp.resolve("resnet.tinyreid");
        io.tinyreid.nn.store.ModelFile.write(q, model);
        Run whole = run("model", "plan", model.toString());
        assertEquals(0, whole.code(), whole.err());
        Matcher m = Pattern.compile("peak ([0-9,]+) bytes").matcher(whole.out());
        assertTrue(m.find(), whole.out());
        long peak = Long.parseLong(m.group(1).replace(",", ""));
        assertTrue(!whole.out().contains("L3"), whole.out());

        // the lowest plan the planner reaches, from its refusal of a 1-byte budget
        Run one = run("model", "plan", model.toString(), "--budget", "1");
        assertEquals(1, one.code());
        Matcher needs = Pattern.compile("plan needs ([0-9]+)").matcher(one.err());
        assertTrue(needs.find(), one.err());
        long lowest = Long.parseLong(needs.group(1));
        assertTrue(lowest < peak, lowest + " vs " + peak);

        Path png = tmp.resolve("spilled.png");
        Run tight = run("model", "plan", model.toString(), "--budget", String.valueOf(lowest), "--png", png.toString());
        assertEquals(0, tight.code(), tight.err() + tight.out());
        assertTrue(tight.out().contains("activations spilled to L3") && tight.out().contains("STAGING")
                && tight.out().contains("SPILLED") && tight.out().contains("activations kept in L3"), tight.out());
        assertTrue(Files.size(png) > 1000);
        assertTrue(tight.out().contains("program for resnet") && tight.out().contains("integer kernels")
                && tight.out().contains("  bands ") && tight.out().contains(" home L3 @"), tight.out());
        Path l3Png = tmp.resolve("spilled-l3.png");
        assertTrue(tight.out().contains("activations kept in L3 drawn to " + l3Png), tight.out());
        assertTrue(Files.size(l3Png) > 1000);

        Run none = run("model", "plan", model.toString(), "--budget", String.valueOf(lowest), "--l3", "0");
        assertEquals(1, none.code());
        assertTrue(none.err().contains("region 'L2' overflowed by " + (peak - lowest) + " bytes"), none.err());
    }

    @Test
    void badInputsGetClearErrors(@TempDir Path tmp) throws Exception {
        Run r = run("model", "import", "facereid", "--from", tmp.resolve("nothing").toString(), "--out", tmp.resolve("x").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("error: FaceReID model directory not found"), r.err());

        Path junk = tmp.resolve("junk.tinyreid");
        Files.writeString(junk, "hello");
        r = run("model", "plan", junk.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("truncated"), r.err());

        r = run("embed", "--model", junk.toString(), "--mode", "turbo", "x.png");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown mode 'turbo'"), r.err());
    }
}
