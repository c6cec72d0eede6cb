package io.tinyreid.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.tinyreid.nn.ir.Colour;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.runtime.CompiledModel;
import io.tinyreid.nn.runtime.InputGeometry;
import io.tinyreid.nn.runtime.Mode;
import io.tinyreid.nn.runtime.WeightLoading;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.ImageDecoder;
import io.tinyreid.vision.image.Resize;
import io.tinyreid.vision.image.RgbImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tinyreid embed --model FILE [--mode exact|fast|float] IMAGE...}: one JSON descriptor per line. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Print the network's descriptor of each whole image (resized to the network input) as JSON lines.")
public final class EmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "model file ('tinyreid model import')")
    Path model;

    @Option(names = "--mode", defaultValue = "exact", paramLabel = "MODE",
            description = "exact (device arithmetic), fast (int16, vectorised) or float (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--weights", defaultValue = "async", paramLabel = "LOADING",
            description = "weight streaming: sync or async (default: ${DEFAULT-VALUE})")
    String weights;

    @Option(names = "--budget", defaultValue = "512KiB", paramLabel = "SIZE", description = "arena budget (default: ${DEFAULT-VALUE})")
    String budget;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "JPEG, PNG or PGM files")
    List<Path> images;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        return ModelCommand.guarded(err, () -> {
            Mode m = Mode.parse(mode);
            PlanOptions opts = PlanOptions.defaults().withBudget(PlanOptions.parseSize(budget));
            ImageDecoder decoder = new ImageDecoder();
            int failed = 0;
            try (CompiledModel net = CompiledModel.open(ModelFile.open(model), m, WeightLoading.parse(weights), opts)) {
                InputGeometry g = net.input();
                float[] input = new float[g.size()];
                float[] d = new float[net.descriptorLength()];
                int done = 0;
                for (Path image : images) {
                    try {
                        prepare(decoder, image, g, input);
                    } catch (Exception e) {
                        err.println("error: " + image + ": " + e.getMessage());
                        failed++;
                        continue;
                    }
                    long t0 = System.nanoTime();
                    net.embed(input, d);
                    double ms = (System.nanoTime() - t0) / 1e6;
                    out.println(json(image, m, d, ms));
                    out.flush();
                    done++;
                    if (images.size() > 1) {
                        err.printf(Locale.ROOT, "embedded %d/%d%n", done, images.size());
                        err.flush();
                    }
                }
            }
            return failed == 0 ? 0 : 1;
        });
    }

    /** Decodes {@code image}, converts to the network's colour and resizes the whole image to its input. */
    static void prepare(ImageDecoder decoder, Path image, InputGeometry g, float[] input) throws Exception {
        if (g.colour() == Colour.GRAY) {
            GrayImage px = Resize.bilinear(decoder.decodeGray(image), new GrayImage(g.width(), g.height()));
            byte[] p = px.pixels();
            for (int i = 0; i < p.length; i++) {
                input[i] = p[i] & 0xff;
            }
        } else {
            RgbImage src = decoder.decodeRgb(image);
            RgbImage px = Resize.bilinear(src, new RgbImage(g.width(), g.height()), new io.tinyreid.vision.image.LinearResizer());
            int n = g.width() * g.height();
            byte[][] planes = {px.red(), px.green(), px.blue()};
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < n; i++) {
                    input[c * n + i] = planes[c][i] & 0xff;
                }
            }
        }
    }

    private static String json(Path image, Mode m, float[] d, double ms) {
        StringBuilder sb = new StringBuilder(d.length * 10);
        sb.append("{\"image\":\"").append(image.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append("\",\"mode\":\"")
                .append(m.name().toLowerCase(Locale.ROOT)).append("\",\"ms\":").append(String.format(Locale.ROOT, "%.2f", ms))
                .append(",\"descriptor\":[");
        for (int i = 0; i < d.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(d[i]);
        }
        return sb.append("]}").toString();
    }
}
