package io.tinyreid.app.eval.openset;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import io.tinyreid.app.gallery.OpenSetCalibration;
import io.tinyreid.app.gallery.OpenSetCalibrations;
import io.tinyreid.app.gallery.StrangerCohort;
import io.tinyreid.app.gallery.StrangerRate;
import io.tinyreid.app.gallery.TemplateRule;

/**
 * The comparison {@code tinyreid eval openset} prints: the product's rule (shipped calibration,
 * shipped template rule, the chosen stranger rate), and each template rule (and the margin rule)
 * with a calibration measured on the same images, all over the same seeded draws.
 */
public final class OpenSetEvaluation {
    private OpenSetEvaluation() {}

    /** One compared decision rule and its draws. */
    public record Row(String label, OpenSetCalibration calibration, OpenSetProtocol.Result result) {}

    /**
     * Runs every rule over the same draws of {@code base} (its rule and margin are replaced per row):
     * with {@code folds}, the draws come from the evaluation fold, the rules calibrated here are
     * calibrated on the calibration fold and the cohort rule normalises against the cohort fold;
     * without, every rule is calibrated and evaluated on all of {@code set} (no cohort rule).
     */
    public static List<Row> compare(FaceSet set, OpenSetProtocol.Config base, OpenSetCalibration shipped,
                                    StrangerRate target, boolean calibrateHere, Folds folds) {
        FaceSet evaluated = folds == null ? set : set.fold(folds.evaluation(), Folds.COUNT);
        FaceSet calibration = folds == null ? set : set.fold(folds.calibration(), Folds.COUNT);
        String where = folds == null ? "here" : "fold " + folds.calibration();
        List<Row> rows = new ArrayList<>();
        if (shipped != null) {
            rows.add(product(evaluated, base, shipped, target));
        }
        for (TemplateRule r : calibrateHere ? TemplateRule.values() : new TemplateRule[0]) {
            OpenSetCalibration cal = ImpostorQuantiles.measure(calibration, r, base.enrol());
            rows.add(row(r.id() + " (calibrated on " + where + ")", evaluated, base, cal, null, 0, target));
            if (!cal.households().isEmpty()) {
                rows.add(row(r.id() + ", independence rule (" + where + ")", evaluated, base, cal.independent(), null, 0, target));
            }
            if (r == TemplateRule.MEAN && base.margin() > 0) {
                rows.add(row(String.format(Locale.ROOT, "mean + margin %.3f", base.margin()), evaluated, base, cal, null,
                        base.margin(), target));
            }
            if (r == TemplateRule.MEAN && folds != null) {
                StrangerCohort cohort = folds.cohortOf(set);
                OpenSetCalibration shifted = ImpostorQuantiles.measure(calibration, r, base.enrol(), cohort);
                rows.add(row("mean + cohort of " + cohort.size() + " (" + where + ")", evaluated, base, shifted, cohort, 0, target));
            }
        }
        return rows;
    }

    /** The product's rule: the shipped calibration's template rule, cohort and accept distance at {@code target}. */
    public static Row product(FaceSet set, OpenSetProtocol.Config base, OpenSetCalibration shipped, StrangerRate target) {
        StrangerCohort cohort = OpenSetCalibrations.builtIn().cohortFor(shipped).orElse(null);
        return row("product (" + shipped.rule().id() + (cohort != null ? " + cohort" : "") + ", shipped calibration)", set, base,
                shipped, cohort, 0, target);
    }

    private static Row row(String label, FaceSet set, OpenSetProtocol.Config base, OpenSetCalibration cal, StrangerCohort cohort,
                           double margin, StrangerRate target) {
        OpenSetProtocol.Config c = new OpenSetProtocol.Config(base.gallery(), base.enrol(), base.strangers(), base.draws(),
                base.seed(), cal.rule(), margin);
        return new Row(label, cal, OpenSetProtocol.run(set, c, n -> cal.acceptDistance(n, target), cohort));
    }

    /** Mean of one draw statistic. */
    public static double mean(OpenSetProtocol.Result r, ToDoubleFunction<OpenSetProtocol.Draw> f) {
        return r.draws().stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    /** Population standard deviation of one draw statistic. */
    public static double std(OpenSetProtocol.Result r, ToDoubleFunction<OpenSetProtocol.Draw> f) {
        double m = mean(r, f);
        return Math.sqrt(r.draws().stream().mapToDouble(d -> (f.applyAsDouble(d) - m) * (f.applyAsDouble(d) - m))
                .average().orElse(Double.NaN));
    }

    /** The printed table. */
    public static String report(FaceSet set, List<Row> rows, StrangerRate target) {
        StringBuilder sb = new StringBuilder();
        OpenSetProtocol.Config c = rows.getFirst().result().config();
        OpenSetProtocol.Draw first = rows.getFirst().result().draws().getFirst();
        sb.append(String.format(Locale.ROOT, "model %s: %d images of %d people (%d without a detected face: centred square)%n",
                set.modelId(), set.size(), set.people().size(), set.undetected()));
        sb.append(String.format(Locale.ROOT, "households: %d people x %d photos, %d draws (seed %d); per draw ~%d household "
                        + "photos and %d strangers; accept rule at %s%n",
                c.gallery(), c.enrol(), c.draws(), c.seed(), first.genuine(), first.strangers(), target.describe()));
        sb.append(String.format(Locale.ROOT, "%-42s %-9s %-17s %-17s %-17s %-17s %-17s %-17s%n", "rule", "accept<", "rank-1",
                "DIR", "strangers named", "misnamed", "DIR@named=1%", "DIR@named=0.1%"));
        for (Row r : rows) {
            OpenSetProtocol.Result x = r.result();
            sb.append(String.format(Locale.ROOT, "%-42s %-9.4f %s %s %s %s %s %s%n", r.label(),
                    mean(x, OpenSetProtocol.Draw::accept), pm(x, OpenSetProtocol.Draw::rank1), pm(x, OpenSetProtocol.Draw::dir),
                    pm(x, OpenSetProtocol.Draw::named), pm(x, OpenSetProtocol.Draw::misnamed),
                    pm(x, OpenSetProtocol.Draw::dirAt1), pm(x, OpenSetProtocol.Draw::dirAt01)));
        }
        sb.append("DIR: household photos named correctly; misnamed: household photos named as someone else; "
                + "distances between unit descriptors (similarity = 1 - d^2/2)\n");
        return sb.toString();
    }

    private static String pm(OpenSetProtocol.Result r, ToDoubleFunction<OpenSetProtocol.Draw> f) {
        return String.format(Locale.ROOT, "%-17s", String.format(Locale.ROOT, "%.4f +- %.4f", mean(r, f), std(r, f)));
    }
}
