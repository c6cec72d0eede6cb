package io.tinyreid.app.eval.openset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.tinyreid.app.gallery.OpenSetCalibration;
import io.tinyreid.app.gallery.StrangerRate;
import io.tinyreid.app.gallery.TemplateRule;
import io.tinyreid.app.quality.QualityGate;

/** The visit evaluation against the single-photo protocol it extends, and its gate counting. */
class VisitEvaluationTest {
    private static FaceSet set() {
        return ImpostorQuantilesTest.randomPeople(new Random(11), 400, 24, 6, new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
    }

    private static FaceQualities qualities(int n, double sharpOdd) {
        int[] side = new int[n];
        double[] sharp = new double[n];
        double[] asym = new double[n];
        for (int i = 0; i < n; i++) {
            side[i] = 100;
            sharp[i] = i % 2 == 1 ? sharpOdd : 0.05;
            asym[i] = 0.5;
        }
        return new FaceQualities(side, sharp, asym);
    }

    @Test
    void oneFramePerVisitWithoutAGateIsTheOpenSetProtocol() {
        FaceSet set = set();
        OpenSetCalibration cal = ImpostorQuantiles.measure(set, TemplateRule.MEAN, 2);
        OpenSetProtocol.Config c = new OpenSetProtocol.Config(10, 2, 100, 4, 7, TemplateRule.MEAN, 0);
        OpenSetProtocol.Result expected = OpenSetProtocol.run(set, c, n -> cal.acceptDistance(n, StrangerRate.BALANCED));
        List<VisitEvaluation.Draw> got = VisitEvaluation.run(set, qualities(set.size(), 0.05), c, cal, StrangerRate.BALANCED,
                null, QualityGate.OFF, 1, VisitEvaluation.Rule.FRAME);
        for (int d = 0; d < c.draws(); d++) {
            OpenSetProtocol.Draw e = expected.draws().get(d);
            VisitEvaluation.Draw g = got.get(d);
            assertEquals(e.genuine(), g.visits());
            assertEquals(e.strangers(), g.strangerVisits());
            assertEquals(e.dir(), g.dir(), 1e-12, "draw " + d);
            assertEquals(e.named(), g.named(), 1e-12, "draw " + d);
            assertEquals(e.dirAt1(), g.dirAt1(), 1e-12, "draw " + d);
        }
    }

    @Test
    void framesFailingTheGateAreSkippedCountedAndNeverNamed() {
        FaceSet set = set();
        OpenSetCalibration cal = ImpostorQuantiles.measure(set, TemplateRule.MEAN, 2);
        OpenSetProtocol.Config c = new OpenSetProtocol.Config(10, 2, 100, 3, 7, TemplateRule.MEAN, 0);
        FaceQualities q = qualities(set.size(), 0.001); // every odd image is blurred
        QualityGate gate = new QualityGate(0, 0.01, Double.POSITIVE_INFINITY);
        for (int frames : new int[] {1, 3}) {
            for (VisitEvaluation.Rule r : frames == 1 ? List.of(VisitEvaluation.Rule.FRAME)
                    : List.of(VisitEvaluation.Rule.VOTE, VisitEvaluation.Rule.MEAN)) {
                List<VisitEvaluation.Draw> gated = VisitEvaluation.run(set, q, c, cal, StrangerRate.BALANCED, null, gate, frames, r);
                List<VisitEvaluation.Draw> open = VisitEvaluation.run(set, q, c, cal, StrangerRate.BALANCED, null, QualityGate.OFF,
                        frames, r);
                for (int d = 0; d < c.draws(); d++) {
                    VisitEvaluation.Draw g = gated.get(d);
                    assertTrue(g.skippedFrames() > 0 && g.skippedStrangerFrames() > 0, "some frames fail");
                    assertEquals(open.get(d).strangerFrames(), g.strangerFrames(), "the same stranger visits");
                    // every skipped frame is an odd image; an all-skipped stranger visit is never named
                    assertTrue(Arrays.stream(g.strangerDistances()).filter(Double::isInfinite).count() > 0 || frames > 1);
                }
            }
        }
    }
}
