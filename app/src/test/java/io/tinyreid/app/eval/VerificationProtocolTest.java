package io.tinyreid.app.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class VerificationProtocolTest {
    /**
     * Brute force: thresholds midway between neighbouring training distances (and below all), in
     * ascending order; the first with the best training accuracy is applied to the held-out fold.
     */
    static double naiveFoldAccuracy(double[] d, boolean[] same, int[] fold, int f) {
        double bestAcc = -1;
        double bestT = 0;
        List<Double> train = new ArrayList<>();
        for (int i = 0; i < d.length; i++) {
            if (fold[i] != f) {
                train.add(d[i]);
            }
        }
        train.sort(null);
        List<Double> cands = new ArrayList<>();
        cands.add(Double.NEGATIVE_INFINITY);
        for (int i = 0; i + 1 < train.size(); i++) {
            cands.add((train.get(i) + train.get(i + 1)) / 2);
        }
        cands.add(Math.nextUp(train.getLast()));
        for (double t : cands) {
            int ok = 0;
            int n = 0;
            for (int i = 0; i < d.length; i++) {
                if (fold[i] != f) {
                    n++;
                    if ((d[i] < t) == same[i]) {
                        ok++;
                    }
                }
            }
            double acc = (double) ok / n;
            if (acc > bestAcc) {
                bestAcc = acc;
                bestT = t;
            }
        }
        int ok = 0;
        int n = 0;
        for (int i = 0; i < d.length; i++) {
            if (fold[i] == f) {
                n++;
                if ((d[i] < bestT) == same[i]) {
                    ok++;
                }
            }
        }
        return (double) ok / n;
    }

    @Test
    void separableDataIsPerfect() {
        double[] d = {0.1, 0.2, 0.9, 1.0, 0.15, 0.25, 0.8, 0.95};
        boolean[] s = {true, true, false, false, true, true, false, false};
        int[] f = {0, 0, 0, 0, 1, 1, 1, 1};
        VerificationProtocol.Result r = VerificationProtocol.evaluate(d, s, f, 2, 1e-3);
        assertEquals(1.0, r.meanAccuracy());
        assertEquals(0.0, r.stdAccuracy());
        assertEquals(1.0, r.tarAtFar());
        assertTrue(r.threshold() > 0.25 && r.threshold() < 0.8);
    }

    @Test
    void foldAccuracyMatchesBruteForceOnNoisyData() {
        Random rnd = new Random(3);
        int n = 400;
        double[] d = new double[n];
        boolean[] s = new boolean[n];
        int[] f = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = i % 2 == 0;
            f[i] = i % 5;
            d[i] = (s[i] ? 0.4 : 0.7) + rnd.nextGaussian() * 0.12;
        }
        VerificationProtocol.Result r = VerificationProtocol.evaluate(d, s, f, 5, 1e-2);
        double mean = 0;
        for (int k = 0; k < 5; k++) {
            // Ties between equally good thresholds may pick different cut points; with continuous data they agree.
            assertEquals(naiveFoldAccuracy(d, s, f, k), r.folds().get(k).accuracy(), 1e-12, "fold " + k);
            mean += r.folds().get(k).accuracy() / 5;
        }
        assertEquals(mean, r.meanAccuracy(), 1e-12);
        // TAR at FAR: the best true accept rate among thresholds with FAR <= target, checked by brute force.
        double best = 0;
        for (double t : d) {
            for (double tt : new double[] {t, Math.nextUp(t)}) {
                int fa = 0;
                int ta = 0;
                for (int i = 0; i < n; i++) {
                    if (d[i] < tt) {
                        if (s[i]) {
                            ta++;
                        } else {
                            fa++;
                        }
                    }
                }
                if ((double) fa / (n / 2) <= 1e-2) {
                    best = Math.max(best, (double) ta / (n / 2));
                }
            }
        }
        assertEquals(best, r.tarAtFar(), 1e-12);
        assertTrue(r.roc().getFirst().far() == 0 && r.roc().getLast().far() == 1 && r.roc().getLast().tar() == 1);
    }
}
