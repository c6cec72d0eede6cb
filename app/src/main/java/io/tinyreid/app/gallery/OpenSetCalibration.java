package io.tinyreid.app.gallery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

/**
 * One model's open-set calibration: how far a stranger's unit descriptor lies from one gallery
 * template ({@code perTemplate}: quantiles over all {@code pairs} stranger-template pairs), measured
 * by {@code tinyreid eval openset --write-calibration} on LFW dev. With {@code cohortSize > 0} the
 * distances are those the gallery compares against the shipped {@link StrangerCohort} of that many
 * faces (each template's distances less its cohort shift); 0: plain distances.
 *
 * <p>The accept distance for a household holding {@code n} templates is the one at which a stranger
 * comes under it for some template with probability {@code target}. With measured
 * {@code households} (strangers against drawn households of several sizes) it is read from them,
 * interpolated in log(n) between the sizes measured, and beyond the largest one the household of
 * {@code n} counts as {@code n / largest} independent households. Without them, per template
 * {@code p = 1 - (1 - target)^(1/n)} (independent templates; stranger matches are positively
 * correlated across templates, so the real rate is lower).
 */
public record OpenSetCalibration(String modelId, TemplateRule rule, int enrolPhotos, long pairs,
                                 HouseholdQuantiles perTemplate, List<HouseholdQuantiles> households, int cohortSize) {
    public OpenSetCalibration {
        if (cohortSize < 0) {
            throw new IllegalArgumentException(modelId + ": cohort size " + cohortSize);
        }
        if (perTemplate.templates() != 1) {
            throw new IllegalArgumentException(modelId + ": the per-template quantiles are for one template, not "
                    + perTemplate.templates());
        }
        households = households.stream().sorted(Comparator.comparingInt(HouseholdQuantiles::templates)).toList();
        for (int i = 1; i < households.size(); i++) {
            if (households.get(i).templates() == households.get(i - 1).templates()) {
                throw new IllegalArgumentException(modelId + ": two household quantiles for " + households.get(i).templates()
                        + " templates");
            }
        }
    }

    /** A calibration from one template's quantiles ({@code rates[i]} of pairs closer than {@code distances[i]}) and households. */
    public OpenSetCalibration(String modelId, TemplateRule rule, int enrolPhotos, long pairs, double[] rates,
                              double[] distances, List<HouseholdQuantiles> households) {
        this(modelId, rule, enrolPhotos, pairs, perTemplate(modelId, rates, distances), households, 0);
    }

    /** A calibration from one template's quantiles only (the independence rule). */
    public OpenSetCalibration(String modelId, TemplateRule rule, int enrolPhotos, long pairs, double[] rates,
                              double[] distances) {
        this(modelId, rule, enrolPhotos, pairs, rates, distances, List.of());
    }

    private static HouseholdQuantiles perTemplate(String modelId, double[] rates, double[] distances) {
        try {
            return new HouseholdQuantiles(1, rates, distances);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(modelId + ": " + e.getMessage(), e);
        }
    }

    /** The same calibration without its household quantiles: the independence rule over the per-template ones. */
    public OpenSetCalibration independent() {
        return new OpenSetCalibration(modelId, rule, enrolPhotos, pairs, perTemplate, List.of(), cohortSize);
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
        if (households.isEmpty() || templates <= 0) {
            return distanceAtRate(perTemplateRate(templates, target.fraction()));
        }
        HouseholdQuantiles largest = households.getLast();
        if (templates >= largest.templates()) {
            double share = (double) largest.templates() / templates; // n / largest independent households
            return largest.distanceAtRate(-Math.expm1(Math.log1p(-target.fraction()) * share));
        }
        HouseholdQuantiles lo = null;
        HouseholdQuantiles hi = households.getFirst();
        for (HouseholdQuantiles h : households) {
            if (h.templates() <= templates) {
                lo = h;
            }
            if (h.templates() >= templates) {
                hi = h;
                break;
            }
        }
        if (lo == null) { // fewer templates than the smallest household measured: the independence rule from there
            return hi.distanceAtRate(-Math.expm1(Math.log1p(-target.fraction()) * hi.templates() / templates));
        }
        double dLo = lo.distanceAtRate(target.fraction());
        if (lo.templates() == hi.templates()) {
            return dLo;
        }
        double dHi = hi.distanceAtRate(target.fraction());
        double t = Math.log((double) templates / lo.templates()) / Math.log((double) hi.templates() / lo.templates());
        return dLo + (dHi - dLo) * t;
    }

    /** The distance at per-template stranger rate {@code p} (see {@link HouseholdQuantiles#distanceAtRate}). */
    public double distanceAtRate(double p) {
        return perTemplate.distanceAtRate(p);
    }

    /** Writes this calibration as properties under {@code key} (see {@link OpenSetCalibrations#key}). */
    public void store(Properties p, String key) {
        String k = key + ".";
        p.setProperty(k + "template", rule.id());
        p.setProperty(k + "enrol", Integer.toString(enrolPhotos));
        p.setProperty(k + "pairs", Long.toString(pairs));
        p.setProperty(k + "quantiles", perTemplate.format());
        if (cohortSize > 0) {
            p.setProperty(k + "cohort", Integer.toString(cohortSize));
        }
        for (HouseholdQuantiles h : households) {
            p.setProperty(k + "household.n" + h.templates(), h.format());
        }
    }

    /** Reads the calibration under {@code key} from properties written by {@link #store}; null when absent. */
    public static OpenSetCalibration load(Properties p, String modelId, String key, String where) {
        String k = key + ".";
        String q = p.getProperty(k + "quantiles");
        if (q == null) {
            return null;
        }
        try {
            HouseholdQuantiles perTemplate = HouseholdQuantiles.parse(1, q);
            List<HouseholdQuantiles> households = new ArrayList<>();
            for (String name : p.stringPropertyNames()) {
                if (name.startsWith(k + "household.n")) {
                    households.add(HouseholdQuantiles.parse(Integer.parseInt(name.substring((k + "household.n").length())),
                            p.getProperty(name)));
                }
            }
            return new OpenSetCalibration(modelId, TemplateRule.parse(p.getProperty(k + "template", "mean")),
                    Integer.parseInt(p.getProperty(k + "enrol", "0").trim()), Long.parseLong(p.getProperty(k + "pairs", "0").trim()),
                    perTemplate, households, Integer.parseInt(p.getProperty(k + "cohort", "0").trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": bad open-set calibration for '" + modelId + "': " + e.getMessage(), e);
        }
    }

}
