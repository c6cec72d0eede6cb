package io.tinyreid.app.eval.openset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.face.FaceEngines;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.OpenSetCalibration;
import io.tinyreid.app.gallery.OpenSetCalibrations;
import io.tinyreid.app.gallery.StrangerRate;
import io.tinyreid.app.gallery.TemplateRule;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.testing.SharedData;

/**
 * The product's open-set rule on real faces: one household of 20 LFW dev people (2 photos each)
 * against 150 strangers, FaceReID in exact mode with the shipped calibration at the default
 * setting, as {@code tinyreid eval openset --model facereid --draws 1 --strangers 150 --product-only}
 * (the full 10-draw run is in BENCHMARKS.md). Only the ~290 images the draw uses are described.
 */
class OpenSetLfwTest {
    @TempDir Path tmp;

    @Test
    void defaultSettingsNameFewStrangersAndMostOfTheHousehold() throws Exception {
        Path images = SharedData.require("data/lfw-dev/images");
        SharedData.requireCached("facereid");
        FaceEngines engines = new FaceEngines(new ModelCache(SharedData.cache()));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        FaceSetReader reader = new FaceSetReader(engines.open(FaceModel.FACEREID), new PrintStream(log, true));
        // The evaluation fold: people neither the shipped calibration nor the shipped cohort saw.
        FaceSet set = reader.index(images, FaceSetReader.images(images)).fold(Folds.SHIPPED.evaluation(), Folds.COUNT);
        OpenSetProtocol.Config c = new OpenSetProtocol.Config(20, 2, 150, 1, 1, TemplateRule.MEAN, 0);
        boolean[] used = OpenSetProtocol.imagesUsed(set, c);
        reader.describe(set, images, used, null);
        assertTrue(log.toString().contains("describing facereid"), "progress is shown");
        OpenSetCalibration shipped = OpenSetCalibrations.builtIn().find("facereid").orElseThrow();
        OpenSetEvaluation.Row row = OpenSetEvaluation.product(set, c, shipped, StrangerRate.DEFAULT);
        OpenSetProtocol.Draw d = row.result().draws().getFirst();
        assertEquals(150, d.strangers());
        assertEquals(20, d.templates(), "one template per person");
        // Full run (10 draws, 300 strangers, fold 2): rank-1 0.99, DIR 0.86 +- 0.04, strangers named 0.013 +- 0.004.
        assertTrue(d.rank1() >= 0.9, "rank-1 " + d.rank1());
        assertTrue(d.named() <= 3 / 150.0, "strangers named " + d.named());
        assertTrue(d.dir() >= 0.6, "DIR " + d.dir());
        assertTrue(d.misnamed() <= 0.02, "misnamed " + d.misnamed());
        Path png = tmp.resolve("det.png");
        DetPlot.write(png, "test", Map.of(row.label(), new DetPlot.Curve(row.result().det(), d.named(), 1 - d.dir())));
        assertEquals(760, ImageIO.read(png.toFile()).getWidth());
        assertTrue(OpenSetEvaluation.report(set, List.of(row), StrangerRate.DEFAULT).contains("product (mean + cohort, shipped calibration)"));
    }
}
