package io.tinyreid.app.eval.openset;

import java.util.ArrayList;
import java.util.List;

import io.tinyreid.app.gallery.StrangerCohort;

/**
 * How {@code tinyreid eval openset} keeps its measurement honest: the people of a face set (in name
 * order, index mod {@link #COUNT}) fall in three folds, one giving the stranger cohort, one the
 * calibration, one the households and strangers evaluated, so no person evaluated was seen by the
 * thresholds or the cohort.
 */
public record Folds(int cohort, int calibration, int evaluation) {
    /** Folds the people are split into. */
    public static final int COUNT = 3;

    public Folds {
        for (int f : new int[] {cohort, calibration, evaluation}) {
            if (f < 0 || f >= COUNT) {
                throw new IllegalArgumentException("folds are 0.." + (COUNT - 1) + ", not " + f);
            }
        }
        if (cohort == calibration || cohort == evaluation || calibration == evaluation) {
            throw new IllegalArgumentException("cohort, calibration and evaluation folds must differ");
        }
    }

    /** The split the shipped calibration is made with: cohort 0, calibration 1, evaluation 2. */
    public static final Folds SHIPPED = new Folds(0, 1, 2);

    /** Parses "C,K,E" (cohort, calibration, evaluation fold). */
    public static Folds parse(String s) {
        String[] p = s.split(",");
        if (p.length != 3) {
            throw new IllegalArgumentException("folds: expected COHORT,CALIBRATION,EVALUATION (e.g. 0,1,2), not '" + s + "'");
        }
        try {
            return new Folds(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("folds: expected three numbers 0..2, not '" + s + "'");
        }
    }

    /** "cohort 0, calibration 1, evaluation 2". */
    public String describe() {
        return "cohort fold " + cohort + ", calibration fold " + calibration + ", evaluation fold " + evaluation + " of " + COUNT;
    }

    /** The stranger cohort of {@code set}'s cohort fold: every person's first photo (name order). */
    public StrangerCohort cohortOf(FaceSet set) {
        List<short[]> faces = new ArrayList<>();
        boolean[] seen = new boolean[set.people().size()];
        for (int i = 0; i < set.size(); i++) {
            int p = set.identity()[i];
            if (p % COUNT == cohort && !seen[p]) {
                if (set.unit()[i] == null) {
                    throw new IllegalStateException("the cohort needs every cohort-fold image described");
                }
                seen[p] = true;
                faces.add(set.unit()[i]);
            }
        }
        return new StrangerCohort(set.modelId(), faces);
    }
}
