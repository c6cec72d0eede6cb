package io.tinyreid.app.eval.openset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.tinyreid.app.gallery.OpenSetCalibration;
import io.tinyreid.app.gallery.StrangerRate;
import io.tinyreid.app.gallery.TemplateRule;
import io.tinyreid.app.gallery.UnitVectors;

/** The calibration's quantiles against brute-force counts, and its household rule against the analytic one. */
class ImpostorQuantilesTest {

    @Test
    void knotsAreTheShareOfStrangerTemplatePairsCloserThanThem() {
        int dim = 24;
        List<Integer> identity = new ArrayList<>();
        List<double[]> raw = new ArrayList<>();
        List<String> people = new ArrayList<>();
        FaceSet set = randomPeople(new Random(3), 300, dim, 4, identity, raw, people);
        OpenSetCalibration cal = ImpostorQuantiles.measure(set, TemplateRule.MEAN, 2);

        // Brute force in doubles: templates = normalised mean of the first two normalised photos.
        List<Double> d = new ArrayList<>();
        for (int p = 0; p < people.size(); p++) {
            List<double[]> mine = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                if (identity.get(i) == p) {
                    mine.add(normalised(raw.get(i)));
                }
            }
            if (mine.size() < 2) {
                continue;
            }
            double[] t = new double[dim];
            for (int i = 0; i < dim; i++) {
                t[i] = mine.get(0)[i] + mine.get(1)[i];
            }
            t = normalised(t);
            for (int i = 0; i < raw.size(); i++) {
                if (identity.get(i) != p) {
                    double[] q = normalised(raw.get(i));
                    double s = 0;
                    for (int k = 0; k < dim; k++) {
                        s += (q[k] - t[k]) * (q[k] - t[k]);
                    }
                    d.add(Math.sqrt(s));
                }
            }
        }
        assertEquals(d.size(), cal.pairs());
        double[] rates = cal.perTemplate().rates();
        double[] dist = cal.perTemplate().distances();
        assertTrue(rates.length >= 8, "knots: " + rates.length);
        for (int k = 0; k < rates.length; k++) {
            double limit = dist[k];
            long closer = d.stream().filter(x -> x < limit).count();
            // Q14 rounding moves a distance by ~1e-4: allow a pair or two either side of the knot.
            assertEquals(rates[k] * d.size(), closer, 2 + 1e-3 * closer, "knot " + k + " at " + limit);
        }
    }

    @Test
    void householdRuleInvertsTheUniformDistribution() {
        // Stranger-template distances uniform on [0, 2): share closer than d is d / 2.
        int n = 2_000_000;
        float[] d = new float[n];
        for (int k = 0; k < n; k++) {
            d[k] = 2f * k / n;
        }
        OpenSetCalibration cal = ImpostorQuantiles.fromDistances("uniform", TemplateRule.MEAN, 2, d);
        for (int templates : new int[] {1, 5, 20, 40}) {
            for (StrangerRate r : List.of(StrangerRate.STRICT, StrangerRate.BALANCED, StrangerRate.LENIENT)) {
                double perTemplate = 1 - Math.pow(1 - r.fraction(), 1.0 / templates);
                double expected = 2 * perTemplate;
                assertEquals(expected, cal.acceptDistance(templates, r), 0.06 * expected,
                        templates + " templates at " + r.describe());
            }
        }
        assertTrue(cal.acceptDistance(40, StrangerRate.BALANCED) < cal.acceptDistance(10, StrangerRate.BALANCED),
                "a bigger household gets a stricter line");
    }

    @Test
    void householdQuantilesNameTheTargetShareOfStrangersInHouseholdsDrawnHere() {
        int dim = 24;
        List<Integer> identity = new ArrayList<>();
        List<double[]> raw = new ArrayList<>();
        List<String> people = new ArrayList<>();
        FaceSet set = randomPeople(new Random(5), 400, dim, 4, identity, raw, people);
        OpenSetCalibration cal = ImpostorQuantiles.measure(set, TemplateRule.MEAN, 2);
        assertTrue(cal.households().size() >= 10, "household sizes measured: " + cal.households().size());

        // Independent households, in doubles: templates = normalised mean of a person's first two normalised photos.
        List<double[]> templates = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        List<List<double[]>> photos = new ArrayList<>();
        for (int p = 0; p < people.size(); p++) {
            photos.add(new ArrayList<>());
        }
        for (int i = 0; i < raw.size(); i++) {
            photos.get(identity.get(i)).add(normalised(raw.get(i)));
        }
        for (int p = 0; p < people.size(); p++) {
            if (photos.get(p).size() >= 2) {
                double[] t = new double[dim];
                for (int i = 0; i < dim; i++) {
                    t[i] = photos.get(p).get(0)[i] + photos.get(p).get(1)[i];
                }
                templates.add(normalised(t));
                owners.add(p);
            }
        }
        StrangerRate target = StrangerRate.parse("1/20");
        Random rnd = new Random(77);
        for (int n : new int[] {3, 7, 20, 35}) { // measured sizes and sizes between them
            double accept = cal.acceptDistance(n, target);
            long named = 0;
            long strangers = 0;
            for (int h = 0; h < 1500; h++) {
                List<Integer> pick = new ArrayList<>();
                while (pick.size() < n) {
                    int t = rnd.nextInt(templates.size());
                    if (!pick.contains(t)) {
                        pick.add(t);
                    }
                }
                for (int p = 0; p < people.size(); p++) {
                    int person = p;
                    if (pick.stream().anyMatch(t -> owners.get(t) == person)) {
                        continue;
                    }
                    double[] q = photos.get(p).get(rnd.nextInt(photos.get(p).size()));
                    double best = Double.POSITIVE_INFINITY;
                    for (int t : pick) {
                        double d = 0;
                        for (int k = 0; k < dim; k++) {
                            d += (q[k] - templates.get(t)[k]) * (q[k] - templates.get(t)[k]);
                        }
                        best = Math.min(best, Math.sqrt(d));
                    }
                    named += best < accept ? 1 : 0;
                    strangers++;
                }
            }
            double rate = (double) named / strangers;
            assertEquals(target.fraction(), rate, 0.2 * target.fraction(), n + " templates: accept < " + accept);
        }
    }

    /** {@code count} people around random centres with 1..maxPhotos photos each; raw vectors into the lists. */
    static FaceSet randomPeople(Random rnd, int count, int dim, int maxPhotos, List<Integer> identity, List<double[]> raw,
                                List<String> people) {
        List<short[]> unit = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            people.add("p" + p);
            double[] centre = gaussian(rnd, dim, 1);
            int photos = 1 + rnd.nextInt(maxPhotos);
            for (int k = 0; k < photos; k++) {
                double[] v = gaussian(rnd, dim, 0.6);
                for (int i = 0; i < dim; i++) {
                    v[i] += centre[i];
                }
                identity.add(p);
                raw.add(v);
                float[] f = new float[dim];
                for (int i = 0; i < dim; i++) {
                    f[i] = (float) v[i];
                }
                short[] u = new short[dim];
                UnitVectors.fromFloat(f, u);
                unit.add(u);
            }
        }
        List<String> files = new ArrayList<>();
        for (int i = 0; i < identity.size(); i++) {
            files.add(people.get(identity.get(i)) + "/" + String.format("%04d", i) + ".jpg");
        }
        return new FaceSet("test", people, identity.stream().mapToInt(Integer::intValue).toArray(), files,
                unit.toArray(new short[0][]), new boolean[identity.size()]);
    }

    static double[] gaussian(Random rnd, int dim, double sd) {
        double[] v = new double[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = rnd.nextGaussian() * sd;
        }
        return v;
    }

    static double[] normalised(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / Math.sqrt(s);
        }
        return out;
    }
}
