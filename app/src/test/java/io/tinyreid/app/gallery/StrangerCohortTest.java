package io.tinyreid.app.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.DistanceMetric;

/**
 * The cohort shift and the gallery's shifted search against a naive reference written here (every
 * distance in doubles from float vectors, sorted, the first ten averaged), on random unit vectors.
 */
class StrangerCohortTest {
    static final int DIM = 24;

    static short[] randomUnit(Random rnd, float[] pull, double weight) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) (rnd.nextGaussian() + (pull == null ? 0 : weight * pull[i]));
        }
        short[] u = new short[DIM];
        UnitVectors.fromFloat(v, u);
        return u;
    }

    static double naiveDistance(short[] a, short[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] / 16384.0 - b[i] / 16384.0;
            s += d * d;
        }
        return Math.sqrt(s);
    }

    static double naiveCrowd(short[] v, List<short[]> cohort, short[] skip) {
        double[] d = cohort.stream().filter(c -> c != skip).mapToDouble(c -> naiveDistance(v, c)).filter(x -> x >= 0.05)
                .sorted().toArray();
        return Arrays.stream(d, 0, StrangerCohort.NEAREST).average().orElseThrow();
    }

    /** The rule as the class Javadoc states it: nearest-ten mean less the cohort's own, within +-0.1. */
    static double naiveShift(short[] template, List<short[]> cohort, double usual) {
        return Math.max(-0.1, Math.min(0.1, naiveCrowd(template, cohort, null) - usual));
    }

    static List<short[]> crowdedCohort(Random rnd, float[] crowdCentre) {
        List<short[]> cohort = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            cohort.add(randomUnit(rnd, i < 20 ? crowdCentre : null, 3)); // a third of the strangers crowd one region
        }
        return cohort;
    }

    @Test
    void shiftIsTheNearestTenMeanLessTheCohortsOwn() {
        Random rnd = new Random(5);
        float[] centre = new float[DIM];
        centre[3] = 1;
        List<short[]> faces = crowdedCohort(rnd, centre);
        StrangerCohort c = new StrangerCohort("test", faces);
        double usual = faces.stream().mapToDouble(f -> naiveCrowd(f, faces, f)).average().orElseThrow();
        assertEquals(usual, c.usual(), 1e-9);
        int inside = 0;
        for (int t = 0; t < 20; t++) {
            short[] template = randomUnit(rnd, t % 2 == 0 ? centre : null, 3);
            assertEquals(naiveShift(template, faces, usual), c.shift(template), 1e-9);
            inside += Math.abs(c.shift(template)) < StrangerCohort.MAX_SHIFT ? 1 : 0;
        }
        assertTrue(inside >= 5, "most shifts measured, not clamped: " + inside);
        // A template that is one of the cohort's photos is not crowded by itself.
        assertEquals(naiveShift(faces.get(40), faces, usual), c.shift(faces.get(40)), 1e-9);
        assertEquals(c.shift(faces.get(40)), Math.clamp(naiveCrowd(faces.get(40), faces, faces.get(40)) - usual, -0.1, 0.1), 1e-9);
        short[] crowded = randomUnit(rnd, centre, 10);
        short[] lonely = randomUnit(rnd, null, 0);
        assertTrue(c.shift(crowded) < c.shift(lonely), "a template where strangers crowd is shifted down");
    }

    @Test
    void theSearchComparesShiftedDistancesAsTheNaiveRuleDoes() {
        Random rnd = new Random(11);
        float[] centre = new float[DIM];
        centre[0] = 1;
        List<short[]> cohortFaces = crowdedCohort(rnd, centre);
        StrangerCohort cohort = new StrangerCohort("test", cohortFaces);
        double usual = cohortFaces.stream().mapToDouble(f -> naiveCrowd(f, cohortFaces, f)).average().orElseThrow();
        List<DescriptorIndex.Entry> entries = new ArrayList<>();
        Map<Long, String> names = new HashMap<>();
        List<short[]> templates = new ArrayList<>();
        for (long p = 1; p <= 8; p++) {
            short[] photo = randomUnit(rnd, p <= 4 ? centre : null, 2);
            templates.add(photo);
            names.put(p, "person" + p);
            entries.add(new DescriptorIndex.Entry(p, p, null, new Descriptor.Int16(photo)));
        }
        DescriptorIndex plain = new DescriptorIndex(DistanceMetric.L2, entries, names, TemplateRule.MEAN);
        DescriptorIndex shifted = new DescriptorIndex(DistanceMetric.L2, entries, names, TemplateRule.MEAN, cohort);
        int differ = 0;
        for (int q = 0; q < 300; q++) {
            short[] probe = randomUnit(rnd, q % 2 == 0 ? centre : null, 2);
            int best = -1;
            double bestScore = Double.POSITIVE_INFINITY;
            for (int t = 0; t < templates.size(); t++) {
                double s = Math.max(0, naiveDistance(probe, templates.get(t)) - naiveShift(templates.get(t), cohortFaces, usual));
                if (s < bestScore) {
                    bestScore = s;
                    best = t;
                }
            }
            double accept = 1.2;
            Match m = new Match();
            shifted.nearestPerson(probe, accept, 0, m);
            assertEquals(bestScore, m.distance(), 1e-4, "probe " + q);
            assertEquals(bestScore < accept, m.known(), "probe " + q);
            if (m.known()) {
                assertEquals(best + 1L, m.personId(), "probe " + q);
            }
            Match p = new Match();
            plain.nearestPerson(probe, accept, 0, p);
            differ += p.personId() != m.personId() || p.known() != m.known() ? 1 : 0;
        }
        assertTrue(differ > 0, "the shift changes some verdicts");
    }

    @Test
    void roundTripsAndRefusesBadFiles() throws IOException {
        Random rnd = new Random(3);
        List<short[]> faces = crowdedCohort(rnd, new float[DIM]);
        StrangerCohort c = new StrangerCohort("facereid", faces);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.write(out);
        StrangerCohort back = StrangerCohort.read(new ByteArrayInputStream(out.toByteArray()), "x");
        assertEquals("facereid", back.modelId());
        assertEquals(60, back.size());
        assertEquals(c.usual(), back.usual(), 0);
        short[] t = randomUnit(rnd, null, 0);
        assertEquals(c.shift(t), back.shift(t), 0);
        byte[] truncated = Arrays.copyOf(out.toByteArray(), out.size() / 2);
        IOException e = assertThrows(IOException.class, () -> StrangerCohort.read(new ByteArrayInputStream(truncated), "cut.bin"));
        assertTrue(e.getMessage().contains("cut.bin"), e.getMessage());
        assertThrows(IOException.class, () -> StrangerCohort.read(new ByteArrayInputStream(new byte[] {1, 2, 3}), "junk"));
        assertThrows(IllegalArgumentException.class, () -> new StrangerCohort("x", faces.subList(0, StrangerCohort.NEAREST)));
        assertThrows(IllegalArgumentException.class, () -> c.shift(new short[DIM + 1]));
    }
}
