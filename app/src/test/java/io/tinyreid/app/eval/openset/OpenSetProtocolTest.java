package io.tinyreid.app.eval.openset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tinyreid.app.gallery.TemplateRule;
import io.tinyreid.app.gallery.UnitVectors;

/**
 * The protocol on a hand-built geometry whose answers are known without running it: four household
 * people on four axes (four identical photos each), ten strangers at distances 0.1, 0.2 .. 1.0 from
 * person 0, and one stranger exactly between persons 1 and 2 (distance sqrt(2 - sqrt 2) = 0.765 to both).
 */
class OpenSetProtocolTest {
    static final int DIM = 16;

    static FaceSet geometry() {
        List<String> people = new ArrayList<>();
        List<Integer> identity = new ArrayList<>();
        List<short[]> unit = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            people.add("member" + p);
            for (int k = 0; k < 4; k++) {
                identity.add(p);
                unit.add(axis(p, 1, 8, 0));
            }
        }
        for (int j = 0; j < 10; j++) {
            double theta = 2 * Math.asin(0.05 * (j + 1)); // chord 2 sin(theta/2) = 0.1 (j+1)
            people.add("stranger" + j);
            identity.add(people.size() - 1);
            unit.add(axis(0, Math.cos(theta), 8, Math.sin(theta)));
        }
        people.add("between");
        identity.add(people.size() - 1);
        unit.add(axis(1, Math.sqrt(0.5), 2, Math.sqrt(0.5)));
        List<String> files = new ArrayList<>();
        for (int i = 0; i < identity.size(); i++) {
            files.add(people.get(identity.get(i)) + "/" + i + ".jpg");
        }
        return new FaceSet("test", people, identity.stream().mapToInt(Integer::intValue).toArray(), files,
                unit.toArray(new short[0][]), new boolean[identity.size()]);
    }

    static short[] axis(int a, double va, int b, double vb) {
        float[] v = new float[DIM];
        v[a] = (float) va;
        v[b] += (float) vb;
        short[] u = new short[DIM];
        UnitVectors.fromFloat(v, u);
        return u;
    }

    @Test
    void wholeHouseholdAgainstKnownStrangerDistances() {
        FaceSet set = geometry();
        List<Integer> templateCounts = new ArrayList<>();
        OpenSetProtocol.Result r = OpenSetProtocol.run(set,
                new OpenSetProtocol.Config(4, 2, 100, 3, 7, TemplateRule.MEAN, 0), n -> {
                    templateCounts.add(n);
                    return 0.45;
                });
        assertEquals(List.of(4, 4, 4), templateCounts, "one mean template per person");
        for (OpenSetProtocol.Draw d : r.draws()) {
            assertEquals(8, d.genuine(), "4 people x (4 photos - 2 enrolled)");
            assertEquals(11, d.strangers(), "every other person, once");
            assertEquals(1.0, d.rank1());
            assertEquals(1.0, d.dir());
            assertEquals(4 / 11.0, d.named(), 1e-12, "strangers at 0.1, 0.2, 0.3, 0.4 are under 0.45");
            assertEquals(0.0, d.misnamed());
            assertEquals(1.0, d.dirAt1(), "1% of 11 strangers allows none: the line sits at 0.1, above every genuine 0");
        }
        OpenSetProtocol.Result nearest = OpenSetProtocol.run(set,
                new OpenSetProtocol.Config(4, 2, 100, 1, 7, TemplateRule.NEAREST, 0), n -> {
                    templateCounts.add(n);
                    return 0.8;
                });
        assertEquals(8, templateCounts.getLast(), "nearest-of-k keeps both photos of each person");
        assertEquals(8 / 11.0, nearest.draws().getFirst().named(), 1e-12, "0.1 .. 0.7 and the one between persons 1 and 2");
    }

    @Test
    void marginRuleRefusesTheStrangerBetweenTwoPeople() {
        OpenSetProtocol.Result r = OpenSetProtocol.run(geometry(),
                new OpenSetProtocol.Config(4, 2, 100, 1, 7, TemplateRule.MEAN, 0.05), n -> 0.8);
        assertEquals(7 / 11.0, r.draws().getFirst().named(), 1e-12);
        assertEquals(1.0, r.draws().getFirst().dir(), "genuine probes are 1.41 closer to their own person");
    }

    @Test
    void detCurveEndsWithEveryStrangerNamedAndNobodyMissed() {
        OpenSetProtocol.Result r = OpenSetProtocol.run(geometry(),
                new OpenSetProtocol.Config(4, 2, 100, 2, 7, TemplateRule.MEAN, 0), n -> 0.45);
        OpenSetProtocol.DetPoint first = r.det().getFirst();
        OpenSetProtocol.DetPoint last = r.det().getLast();
        assertEquals(0, first.strangersNamed());
        assertEquals(1, first.missed());
        assertEquals(1, last.strangersNamed(), 1e-12);
        assertEquals(0, last.missed(), 1e-12);
        // Just above the stranger at 0.3: three strangers of 11 named (pooled over the draws), nobody missed.
        OpenSetProtocol.DetPoint at = r.det().stream().filter(p -> p.threshold() > 0.3 && p.threshold() < 0.35).findFirst().orElseThrow();
        assertEquals(3 / 11.0, at.strangersNamed(), 1e-12);
        assertEquals(0, at.missed(), 1e-12);
    }

    @Test
    void dirAtAStrangerRateAgreesWithTheDetCurve() {
        // One draw of a random population: DIR at 1% of strangers named is the DET point naming at most 1%.
        FaceSet set = ImpostorQuantilesTest.randomPeople(new java.util.Random(5), 700, 24, 6, new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>());
        for (double rate : new double[] {0.01, 0.001}) {
            OpenSetProtocol.Result r = OpenSetProtocol.run(set, new OpenSetProtocol.Config(20, 2, 300, 1, 9, TemplateRule.MEAN, 0),
                    n -> 0.5);
            OpenSetProtocol.DetPoint best = r.det().stream().filter(p -> p.strangersNamed() <= rate + 1e-12)
                    .reduce((a, b) -> b).orElseThrow();
            OpenSetProtocol.Draw d = r.draws().getFirst();
            double dir = rate == 0.01 ? d.dirAt1() : d.dirAt01();
            assertEquals(1 - best.missed(), dir, 1e-12, "at " + rate);
            assertTrue(dir > 0.05 && dir < 0.98, "the rate cuts into the genuine probes: " + dir);
        }
    }

    @Test
    void drawsAreSeededAndUseOnlyTheirImages() {
        FaceSet set = geometry();
        OpenSetProtocol.Config c = new OpenSetProtocol.Config(2, 2, 5, 4, 11, TemplateRule.MEAN, 0);
        OpenSetProtocol.Result a = OpenSetProtocol.run(set, c, n -> 0.45);
        OpenSetProtocol.Result b = OpenSetProtocol.run(set, c, n -> 0.45);
        assertEquals(a.draws(), b.draws());
        boolean[] used = OpenSetProtocol.imagesUsed(set, c);
        // Drop every unused descriptor: the run must not need them.
        short[][] only = new short[set.size()][];
        for (int i = 0; i < set.size(); i++) {
            only[i] = used[i] ? set.unit()[i] : null;
        }
        FaceSet sparse = new FaceSet(set.modelId(), set.people(), set.identity(), set.files(), only, set.detected());
        assertEquals(a.draws(), OpenSetProtocol.run(sparse, c, n -> 0.45).draws());
        for (OpenSetProtocol.Draw d : a.draws()) {
            assertEquals(4, d.genuine());
            assertEquals(5, d.strangers());
        }
        assertThrows(IllegalArgumentException.class,
                () -> OpenSetProtocol.run(set, new OpenSetProtocol.Config(5, 2, 5, 1, 1, TemplateRule.MEAN, 0), n -> 1));
        assertArrayEquals(used, OpenSetProtocol.imagesUsed(set, c));
    }
}
