package io.tinyreid.app.eval.openset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.tinyreid.app.gallery.HouseholdQuantiles;
import io.tinyreid.app.gallery.OpenSetCalibration;
import io.tinyreid.app.gallery.StrangerCohort;
import io.tinyreid.app.gallery.TemplateRule;
import io.tinyreid.app.gallery.UnitVectors;

/**
 * Measures an {@link OpenSetCalibration}: every person with at least {@code enrol} photos gets
 * templates from their first {@code enrol} photos (by file name, so the measurement is
 * deterministic); every photo of every other person is a stranger to each of those templates. The
 * quantiles of these stranger-template distances, from a rate of 10 pairs in the whole set up to
 * 0.3, four per decade, are the calibration. Beside them, households of {@link #HOUSEHOLD_SIZES}
 * templates are drawn ({@link #HOUSEHOLD_DRAWS} each, seeded) from those templates, one random photo of
 * every other person is a stranger to each, and the quantiles of the stranger's distance to the
 * nearest template of the household are kept too ({@link HouseholdQuantiles}): the accept rule reads
 * those instead of assuming templates independent.
 */
public final class ImpostorQuantiles {
    /** Fewest pairs under the smallest knot, so no knot rests on a single pair. */
    static final int MIN_PAIRS_PER_KNOT = 10;

    /** Household sizes (templates) measured. */
    static final int[] HOUSEHOLD_SIZES = {1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40};
    /** Households drawn per size. */
    static final int HOUSEHOLD_DRAWS = 400;

    private ImpostorQuantiles() {}

    /** The calibration of {@code set}'s model for {@code rule} with {@code enrol} photos per person. */
    public static OpenSetCalibration measure(FaceSet set, TemplateRule rule, int enrol) {
        return measure(set, rule, enrol, null);
    }

    /**
     * {@link #measure(FaceSet, TemplateRule, int)} of the distances the gallery compares with
     * {@code cohort}: each template's distances less its {@link StrangerCohort#shift} (null: plain).
     */
    public static OpenSetCalibration measure(FaceSet set, TemplateRule rule, int enrol, StrangerCohort cohort) {
        for (short[] u : set.unit()) {
            if (u == null) {
                throw new IllegalStateException("calibration needs every image described");
            }
        }
        int dim = set.dimension();
        List<List<Integer>> photos = new ArrayList<>();
        for (int p = 0; p < set.people().size(); p++) {
            photos.add(new ArrayList<>());
        }
        for (int i = 0; i < set.size(); i++) {
            photos.get(set.identity()[i]).add(i); // files are sorted, so these are in name order
        }
        List<short[]> templates = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int p = 0; p < photos.size(); p++) {
            if (photos.get(p).size() < enrol) {
                continue;
            }
            List<short[]> enrolled = new ArrayList<>();
            for (int k = 0; k < enrol; k++) {
                enrolled.add(set.unit()[photos.get(p).get(k)]);
            }
            for (short[] t : rule.templates(enrolled)) {
                templates.add(t);
                owners.add(p);
            }
        }
        long pairs = 0;
        for (int t = 0; t < templates.size(); t++) {
            pairs += set.size() - photos.get(owners.get(t)).size();
        }
        if (pairs > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many stranger-template pairs to hold: " + pairs);
        }
        float[] d = new float[(int) pairs];
        float[][] byTemplate = new float[templates.size()][set.size()]; // template x image distances, for the households
        int k = 0;
        for (int t = 0; t < templates.size(); t++) {
            short[] tv = templates.get(t);
            int owner = owners.get(t);
            double shift = cohort == null ? 0 : cohort.shift(tv);
            for (int i = 0; i < set.size(); i++) {
                // Shifted distances stay in 0..2 (the knots' range): a shift is at most 0.1 either way.
                byTemplate[t][i] = (float) Math.min(2, StrangerCohort.shifted(UnitVectors.distance(tv, 0, set.unit()[i], 0, dim), shift));
                if (set.identity()[i] != owner) {
                    d[k++] = byTemplate[t][i];
                }
            }
        }
        OpenSetCalibration single = fromDistances(set.modelId(), rule, enrol, d);
        List<HouseholdQuantiles> households = new ArrayList<>();
        int people = (int) owners.stream().distinct().count();
        for (int n : HOUSEHOLD_SIZES) {
            if (n <= people && rule == TemplateRule.MEAN) { // one template per person: n templates = n people
                households.add(households(set, photos, byTemplate, owners, n));
            }
        }
        return new OpenSetCalibration(single.modelId(), rule, enrol, single.pairs(), single.perTemplate(), households,
                cohort == null ? 0 : cohort.size());
    }

    /** Strangers' distances to the nearest of {@code n} templates of drawn households (seeded per size). */
    private static HouseholdQuantiles households(FaceSet set, List<List<Integer>> photos, float[][] byTemplate,
                                                 List<Integer> owners, int n) {
        java.util.Random rnd = new java.util.Random(1_000_003L * n);
        int[] order = new int[byTemplate.length];
        for (int t = 0; t < order.length; t++) {
            order[t] = t;
        }
        boolean[] member = new boolean[photos.size()];
        float[] nearest = new float[HOUSEHOLD_DRAWS * photos.size()];
        int count = 0;
        for (int h = 0; h < HOUSEHOLD_DRAWS; h++) {
            for (int t = 0; t < n; t++) { // partial Fisher-Yates: the first n of order are the household
                int j = t + rnd.nextInt(order.length - t);
                int x = order[t];
                order[t] = order[j];
                order[j] = x;
                member[owners.get(order[t])] = true;
            }
            for (int p = 0; p < photos.size(); p++) {
                List<Integer> theirs = photos.get(p);
                if (member[p] || theirs.isEmpty()) {
                    continue;
                }
                int img = theirs.get(rnd.nextInt(theirs.size()));
                float best = Float.POSITIVE_INFINITY;
                for (int t = 0; t < n; t++) {
                    best = Math.min(best, byTemplate[order[t]][img]);
                }
                nearest[count++] = best;
            }
            for (int t = 0; t < n; t++) {
                member[owners.get(order[t])] = false;
            }
        }
        double[][] knots = knots(java.util.Arrays.copyOf(nearest, count));
        return new HouseholdQuantiles(n, knots[0], knots[1]);
    }

    /** The calibration from stranger-template distances {@code d} (sorted in place). */
    static OpenSetCalibration fromDistances(String modelId, TemplateRule rule, int enrol, float[] d) {
        double[][] k = knots(d);
        return new OpenSetCalibration(modelId, rule, enrol, d.length, k[0], k[1]);
    }

    /** Quantile knots of {@code d} (sorted in place): rates and distances. */
    static double[][] knots(float[] d) {
        Arrays.sort(d);
        List<double[]> knots = new ArrayList<>();
        for (int e = -80; e <= 0; e++) {
            double rate = Math.pow(10, e / 4.0);
            if (rate > 0.3) {
                break;
            }
            int below = (int) Math.floor(rate * d.length);
            if (below < MIN_PAIRS_PER_KNOT) {
                continue;
            }
            // The distance with 'below' pairs strictly closer (ties pushed up to the next larger value).
            double dist = d[below];
            int closer = lowerBound(d, (float) dist);
            knots.add(new double[] {(double) closer / d.length, dist});
        }
        List<double[]> clean = new ArrayList<>();
        for (double[] kn : knots) {
            if (kn[0] > 0 && (clean.isEmpty() || kn[0] > clean.getLast()[0] && kn[1] >= clean.getLast()[1])) {
                clean.add(kn);
            }
        }
        double[] r = new double[clean.size()];
        double[] dist = new double[clean.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = clean.get(i)[0];
            dist[i] = clean.get(i)[1];
        }
        return new double[][] {r, dist};
    }

    private static int lowerBound(float[] a, float v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
