package io.tinyreid.app.gallery;

import java.util.Locale;

/**
 * How close strangers come to the nearest of {@code templates} templates of one household (measured
 * on LFW dev by drawing households): {@code rates[i]} of strangers lie closer than {@code distances[i]}.
 * Measured rather than derived from one template's quantiles, because a stranger who resembles one
 * person tends to resemble others too: the independence formula over-counts and names too few.
 * With one template these are the per-template quantiles an {@link OpenSetCalibration} starts from.
 */
public record HouseholdQuantiles(int templates, double[] rates, double[] distances) {
    public HouseholdQuantiles {
        rates = rates.clone();
        distances = distances.clone();
        if (templates < 1) {
            throw new IllegalArgumentException("household quantiles need at least one template, got " + templates);
        }
        requireKnots(rates, distances, "household of " + templates);
    }

    @Override
    public double[] rates() {
        return rates.clone();
    }

    @Override
    public double[] distances() {
        return distances.clone();
    }

    /** The distance a share {@code p} of strangers lies closer than (linear in log(rate) between knots; below the first, the first two knots' slope carried on, never below 0; above the last, the last). */
    public double distanceAtRate(double p) {
        return interpolate(rates, distances, p);
    }

    /** The knots as "rate:distance,..." (the properties form). */
    public String format() {
        return formatKnots(rates, distances);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HouseholdQuantiles h && templates == h.templates && java.util.Arrays.equals(rates, h.rates)
                && java.util.Arrays.equals(distances, h.distances);
    }

    @Override
    public int hashCode() {
        return templates * 31 + java.util.Arrays.hashCode(distances);
    }

    /** Parses {@link #format()}'s form for a household of {@code templates}. */
    public static HouseholdQuantiles parse(int templates, String knots) {
        double[][] rd = parseKnots(knots);
        return new HouseholdQuantiles(templates, rd[0], rd[1]);
    }

    /** Refuses knots that do not rise in rate (0..1) and distance (0..2). */
    private static void requireKnots(double[] rates, double[] distances, String what) {
        if (rates.length < 2 || rates.length != distances.length) {
            throw new IllegalArgumentException(what + ": calibration needs at least two (rate, distance) knots");
        }
        for (int i = 0; i < rates.length; i++) {
            if (!(rates[i] > 0 && rates[i] < 1) || !(distances[i] >= 0 && distances[i] <= 2)
                    || i > 0 && (rates[i] <= rates[i - 1] || distances[i] < distances[i - 1])) {
                throw new IllegalArgumentException(what + ": calibration knots must rise in rate (0..1) and distance (0..2)");
            }
        }
    }

    /**
     * The distance at rate {@code p}: linear in log(rate) between knots; below the first knot, the
     * first two knots' slope carried on (never below 0); above the last, the last.
     */
    private static double interpolate(double[] rates, double[] distances, double p) {
        double x = Math.log(p);
        int n = rates.length;
        if (p >= rates[n - 1]) {
            return distances[n - 1];
        }
        int hi = 1;
        if (p > rates[0]) {
            while (rates[hi] < p) {
                hi++;
            }
        }
        double x0 = Math.log(rates[hi - 1]);
        double x1 = Math.log(rates[hi]);
        double d = distances[hi - 1] + (distances[hi] - distances[hi - 1]) * (x - x0) / (x1 - x0);
        return Math.max(0, d);
    }

    private static String formatKnots(double[] rates, double[] distances) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rates.length; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3g:%.5f", rates[i], distances[i]));
        }
        return sb.toString();
    }

    private static double[][] parseKnots(String q) {
        String[] parts = q.split(",");
        double[] r = new double[parts.length];
        double[] d = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String[] rd = parts[i].trim().split(":");
            if (rd.length != 2) {
                throw new IllegalArgumentException("knot '" + parts[i] + "' is not rate:distance");
            }
            r[i] = Double.parseDouble(rd[0]);
            d[i] = Double.parseDouble(rd[1]);
        }
        return new double[][] {r, d};
    }
}
