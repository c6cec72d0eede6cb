package io.tinyreid.app.gallery;

import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/**
 * One model's open-set calibration: how far a stranger's unit descriptor lies from one gallery
 * template, as quantiles ({@code rates[i]} of stranger-template pairs lie closer than
 * {@code distances[i]}), measured by {@code tinyreid eval openset --calibrate} on LFW dev.
 *
 * <p>The accept distance for a household holding {@code n} templates is the one at which a stranger
 * comes under it for some template with probability {@code target}: per template
 * {@code p = 1 - (1 - target)^(1/n)} (independent templates; stranger matches are positively
 * correlated across templates, so the real rate is lower, which {@code eval openset} measures).
 */
public record OpenSetCalibration(String modelId, TemplateRule rule, int enrolPhotos, long pairs,
                                 double[] rates, double[] distances) {
    public OpenSetCalibration {
        rates = rates.clone();
        distances = distances.clone();
        if (rates.length < 2 || rates.length != distances.length) {
            throw new IllegalArgumentException(modelId + ": calibration needs at least two (rate, distance) knots");
        }
        for (int i = 0; i < rates.length; i++) {
            if (!(rates[i] > 0 && rates[i] < 1) || !(distances[i] >= 0 && distances[i] <= 2)
                    || i > 0 && (rates[i] <= rates[i - 1] || distances[i] < distances[i - 1])) {
                throw new IllegalArgumentException(modelId + ": calibration knots must rise in rate (0..1) and distance (0..2)");
            }
        }
    }

    @Override
    public double[] rates() {
        return rates.clone();
    }

    @Override
    public double[] distances() {
        return distances.clone();
    }

    /** The per-template stranger rate that keeps a gallery of {@code templates} at {@code target}. */
    public static double perTemplateRate(int templates, double target) {
        if (templates <= 0) {
            return target;
        }
        return -Math.expm1(Math.log1p(-target) / templates);
    }

    /** The accept distance (match when strictly closer) for a gallery of {@code templates} at {@code target}. */
    public double acceptDistance(int templates, StrangerRate target) {
        return distanceAtRate(perTemplateRate(templates, target.fraction()));
    }

    /**
     * The distance at per-template stranger rate {@code p}: linear in log(rate) between knots; below the
     * first knot, the first two knots' slope carried on (never below 0); above the last, the last.
     */
    public double distanceAtRate(double p) {
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

    /** Writes this calibration as properties under {@code key} (see {@link OpenSetCalibrations#key}). */
    public void store(Properties p, String key) {
        String k = key + ".";
        p.setProperty(k + "template", rule.id());
        p.setProperty(k + "enrol", Integer.toString(enrolPhotos));
        p.setProperty(k + "pairs", Long.toString(pairs));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rates.length; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3g:%.5f", rates[i], distances[i]));
        }
        p.setProperty(k + "quantiles", sb.toString());
    }

    /** Reads the calibration under {@code key} from properties written by {@link #store}; null when absent. */
    public static OpenSetCalibration load(Properties p, String modelId, String key, String where) {
        String k = key + ".";
        String q = p.getProperty(k + "quantiles");
        if (q == null) {
            return null;
        }
        try {
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
            return new OpenSetCalibration(modelId, TemplateRule.parse(p.getProperty(k + "template", "mean")),
                    Integer.parseInt(p.getProperty(k + "enrol", "0").trim()), Long.parseLong(p.getProperty(k + "pairs", "0").trim()),
                    r, d);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": bad open-set calibration for '" + modelId + "': " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpenSetCalibration c && modelId.equals(c.modelId) && rule == c.rule && enrolPhotos == c.enrolPhotos
                && pairs == c.pairs && Arrays.equals(rates, c.rates) && Arrays.equals(distances, c.distances);
    }

    @Override
    public int hashCode() {
        return modelId.hashCode() * 31 + Arrays.hashCode(distances);
    }
}
