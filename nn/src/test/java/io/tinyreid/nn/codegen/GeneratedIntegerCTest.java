package io.tinyreid.nn.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tinyreid.nn.faceapi.FaceApiGolden;
import io.tinyreid.nn.faceapi.FaceApiImporter;
import io.tinyreid.nn.faceapi.FaceApiInput;
import io.tinyreid.nn.importer.Json;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.QFormat;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.program.KernelFamily;
import io.tinyreid.nn.quant.IntegerReference;
import io.tinyreid.nn.quant.Quantiser;
import io.tinyreid.nn.runtime.PlannedIntegerModel;
import io.tinyreid.nn.runtime.WeightLoading;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.testing.SharedData;

/**
 * The quantiser's integer networks as generated C (issue 11 item 6): dlib-resnet quantised to int8
 * and int16 on half of face-api's 24 LFW golden crops, its C generated from the program object the
 * Java integer runtime interprets, run on the host (plain and under UBSan + ASan) on 4 LFW faces of
 * the other half plus one input that drives the network into saturation, bit for bit with the
 * Java integer runtime and with {@link IntegerReference} (the arithmetic written plainly).
 */
class GeneratedIntegerCTest {
    static Graph dlib;
    static final List<float[]> calibration = new ArrayList<>();
    static final List<float[]> faces = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        SharedData.requireCached("face-api-1.7.15/model/face_recognition_model.bin");
        dlib = FaceApiImporter.recognition(ModelCache.standard().faceRecognitionManifest());
        List<FaceApiGolden.Case> cases = FaceApiGolden.load();
        for (int i = 0; i < cases.size(); i++) {
            FaceApiGolden.Case c = cases.get(i);
            float[] in = FaceApiInput.prepare(c.rgb(), c.width(), c.height(), FaceApiImporter.RECOGNITION_SIZE);
            (i % 2 == 0 ? calibration : faces).add(in);
        }
    }

    @ParameterizedTest
    @EnumSource(Quantiser.Precision.class)
    void hostCEqualsTheJavaIntegerRuntimeBitForBit(Quantiser.Precision precision, @TempDir Path dir) throws IOException {
        CToolchain.require("cc", "make");
        Graph q = Quantiser.quantise(dlib, calibration, Quantiser.Options.of(precision)).quantised();
        Path file = dir.resolve("dlib-resnet-" + precision + ".tinyreid");
        ModelFile.write(q, file);
        ModelFile model = ModelFile.open(file);
        PlanOptions options = PlanOptions.defaults();
        Path fw = dir.resolve("fw");
        try (PlannedIntegerModel net = new PlannedIntegerModel(model, WeightLoading.SYNC, options, null)) {
            GeneratedC c = CodeGenerator.generate(net.program(), model, options.budgetBytes(), fw);
            assertSame(KernelFamily.INTEGER, c.program().family());
            assertEquals(-1L, Files.mismatch(file, fw.resolve(CodeGenerator.BLOB)), "the blob is the model file");
            Tensor input = q.input();
            List<int[]> inputs = new ArrayList<>();
            for (float[] face : faces.subList(0, 4)) {
                int[] r = new int[face.length];
                for (int i = 0; i < r.length; i++) {
                    r[i] = input.q().toRaw(face[i]);
                }
                inputs.add(r);
            }
            inputs.add(extreme(input));
            List<String> names = new ArrayList<>();
            List<int[]> java = new ArrayList<>();
            List<int[]> reference = new ArrayList<>();
            IntegerReference ref = new IntegerReference(q);
            for (int k = 0; k < inputs.size(); k++) {
                String name = "in" + k + ".raw";
                writeInt16(fw.resolve(name), inputs.get(k));
                names.add(name);
                int[] out = new int[net.descriptorLength()];
                net.embedRaw(inputs.get(k), out);
                java.add(out);
                float[] real = new float[inputs.get(k).length];
                for (int i = 0; i < real.length; i++) {
                    real[i] = input.q().toReal(inputs.get(k)[i]);
                }
                long before = saturations(ref, q);
                ref.run(real);
                reference.add(ref.rawActivation(q.output().name()).clone());
                if (k == inputs.size() - 1) {
                    long n = saturations(ref, q) - before;
                    System.out.printf("dlib-resnet %s: the extreme input saturates %d values (IntegerReference)%n", precision, n);
                    // int16 formats keep headroom for any valid input; int8's do not
                    assertTrue(precision == Quantiser.Precision.INT16 || n > 0, "the extreme input saturates the int8 network");
                }
            }
            for (int k = 0; k < inputs.size(); k++) {
                assertArrayEquals(reference.get(k), java.get(k), "Java integer runtime against IntegerReference, input " + k);
            }
            CToolchain.check(fw, 5, List.of("make", "-s", "host", "host-sanitize"));
            List<String> command = new ArrayList<>(List.of("./model-host"));
            command.addAll(names);
            assertOutputs(CToolchain.check(fw, 5, command), names, java, q, "host C " + precision);
            // UBSan and ASan abort (-fno-sanitize-recover) on any undefined behaviour: the face and the extreme input
            List<String> san = List.of("./model-host-san", names.getFirst(), names.getLast());
            assertOutputs(CToolchain.check(fw, 10, san), List.of(names.getFirst(), names.getLast()),
                    List.of(java.getFirst(), java.getLast()), q, "host C under -fsanitize=undefined,address " + precision);
        }
    }

    /** Full-scale values of alternating sign in stripes: every first-layer conv saturates somewhere. */
    private static int[] extreme(Tensor input) {
        QFormat f = input.q();
        int plane = input.shape().plane();
        int w = input.shape().width();
        int[] r = new int[input.shape().size()];
        for (int i = 0; i < r.length; i++) {
            int y = i % plane / w;
            int x = i % w;
            r[i] = ((x / 3 + y / 5 + i / plane) % 2 == 0) ? f.maxRaw() : f.minRaw();
        }
        return r;
    }

    private static long saturations(IntegerReference ref, Graph g) {
        long n = 0;
        for (Tensor t : g.tensors()) {
            n += ref.saturations(t.name());
        }
        return n;
    }

    private static void assertOutputs(String out, List<String> names, List<int[]> expected, Graph g, String who) {
        List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
        assertEquals(names.size(), lines.size(), who + " printed:\n" + out);
        for (int k = 0; k < names.size(); k++) {
            Map<?, ?> json = (Map<?, ?>) Json.parse(lines.get(k));
            assertEquals(names.get(k), json.get("input"));
            assertEquals("integer", json.get("mode"));
            assertEquals(g.output().q().fracBits(), ((Double) json.get("frac")).intValue());
            List<?> raw = (List<?>) json.get("raw");
            int[] got = new int[raw.size()];
            for (int i = 0; i < got.length; i++) {
                got[i] = ((Double) raw.get(i)).intValue();
            }
            assertArrayEquals(expected.get(k), got, who + ": " + names.get(k));
        }
    }

    private static void writeInt16(Path p, int[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putShort((short) v);
        }
        Files.write(p, b.array());
    }
}
