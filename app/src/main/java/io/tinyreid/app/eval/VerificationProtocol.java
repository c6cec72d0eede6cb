package io.tinyreid.app.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The standard LFW verification protocol over pair distances (smaller = more alike): for each fold,
 * the accept threshold that maximises accuracy on the other folds is applied to that fold; accuracy
 * is reported as mean +- standard deviation over folds. Also the ROC over all pairs and the true
 * accept rate at a false accept rate.
 */
public final class VerificationProtocol {
    private VerificationProtocol() {}

    /** Outcome for one fold. */
    public record Fold(int fold, double threshold, double accuracy) {}

    /** One ROC point: accept when distance &lt; threshold. */
    public record RocPoint(double threshold, double far, double tar) {}

    /** The protocol's result. */
    public record Result(List<Fold> folds, double meanAccuracy, double stdAccuracy, double threshold,
                         double tarAtFar, double farTarget, double thresholdAtFar, List<RocPoint> roc) {}

    /**
     * Runs the protocol. {@code distance[i]}, {@code same[i]}, {@code fold[i]} describe pair i.
     * A pair is accepted when its distance is strictly below the threshold.
     */
    public static Result evaluate(double[] distance, boolean[] same, int[] fold, int folds, double farTarget) {
        int n = distance.length;
        if (same.length != n || fold.length != n || n == 0) {
            throw new IllegalArgumentException("distance, same and fold must be non-empty and of one length");
        }
        for (double d : distance) {
            if (Double.isNaN(d)) {
                throw new IllegalArgumentException("NaN distance");
            }
        }
        List<Fold> out = new ArrayList<>();
        double sum = 0;
        for (int f = 0; f < folds; f++) {
            List<Integer> train = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (fold[i] == f ? test : train).add(i);
            }
            if (test.isEmpty() || train.isEmpty()) {
                throw new IllegalArgumentException("fold " + (f + 1) + " has no pairs, or is the only fold");
            }
            double t = bestThreshold(distance, same, train);
            double acc = accuracy(distance, same, test, t);
            out.add(new Fold(f + 1, t, acc));
            sum += acc;
        }
        double mean = sum / folds;
        double var = 0;
        for (Fold f : out) {
            var += (f.accuracy() - mean) * (f.accuracy() - mean);
        }
        double std = Math.sqrt(var / folds);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        double overall = bestThreshold(distance, same, all);
        List<RocPoint> roc = roc(distance, same);
        double tar = 0;
        double tAtFar = Double.NEGATIVE_INFINITY;
        for (RocPoint p : roc) {
            if (p.far() <= farTarget && p.tar() >= tar) {
                tar = p.tar();
                tAtFar = p.threshold();
            }
        }
        return new Result(out, mean, std, overall, tar, farTarget, tAtFar, roc);
    }

    /** The threshold (midway between neighbouring distances) maximising accuracy on {@code idx}. */
    static double bestThreshold(double[] distance, boolean[] same, List<Integer> idx) {
        double[] d = new double[idx.size()];
        for (int k = 0; k < d.length; k++) {
            d[k] = distance[idx.get(k)];
        }
        double[] sorted = d.clone();
        Arrays.sort(sorted);
        // Candidates: below everything, between each distinct neighbour pair, above everything.
        double best = sorted[0] - 1;
        int bestCorrect = -1;
        Integer[] order = idx.toArray(new Integer[0]);
        Arrays.sort(order, (a, b) -> Double.compare(distance[a], distance[b]));
        int negatives = 0;
        for (int i : order) {
            if (!same[i]) {
                negatives++;
            }
        }
        // Sweep: accepting the first k pairs (by distance) gives correct = positives among them + negatives after.
        int posAccepted = 0;
        int negAccepted = 0;
        int correct = negatives; // accept nothing
        bestCorrect = correct;
        for (int k = 0; k < order.length; k++) {
            if (same[order[k]]) {
                posAccepted++;
            } else {
                negAccepted++;
            }
            boolean boundary = k + 1 == order.length || distance[order[k + 1]] > distance[order[k]];
            if (!boundary) {
                continue;
            }
            correct = posAccepted + (negatives - negAccepted);
            if (correct > bestCorrect) {
                bestCorrect = correct;
                best = k + 1 == order.length ? distance[order[k]] + 1e-9 * Math.max(1, Math.abs(distance[order[k]]))
                        : (distance[order[k]] + distance[order[k + 1]]) / 2;
            }
        }
        return best;
    }

    static double accuracy(double[] distance, boolean[] same, List<Integer> idx, double t) {
        int ok = 0;
        for (int i : idx) {
            if ((distance[i] < t) == same[i]) {
                ok++;
            }
        }
        return (double) ok / idx.size();
    }

    /** The ROC: one point per distinct distance, thresholds just above it, from strictest to loosest. */
    static List<RocPoint> roc(double[] distance, boolean[] same) {
        Integer[] order = new Integer[distance.length];
        int pos = 0;
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            if (same[i]) {
                pos++;
            }
        }
        int neg = distance.length - pos;
        Arrays.sort(order, (a, b) -> Double.compare(distance[a], distance[b]));
        List<RocPoint> out = new ArrayList<>();
        out.add(new RocPoint(distance[order[0]], 0, 0));
        int tp = 0;
        int fp = 0;
        for (int k = 0; k < order.length; k++) {
            if (same[order[k]]) {
                tp++;
            } else {
                fp++;
            }
            if (k + 1 == order.length || distance[order[k + 1]] > distance[order[k]]) {
                double t = k + 1 == order.length ? Math.nextUp(distance[order[k]]) : (distance[order[k]] + distance[order[k + 1]]) / 2;
                out.add(new RocPoint(t, neg == 0 ? 0 : (double) fp / neg, pos == 0 ? 0 : (double) tp / pos));
            }
        }
        return out;
    }
}
