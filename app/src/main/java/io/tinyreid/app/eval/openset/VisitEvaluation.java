package io.tinyreid.app.eval.openset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.tinyreid.app.gallery.OpenSetCalibration;
import io.tinyreid.app.gallery.OpenSetCalibrations;
import io.tinyreid.app.gallery.StrangerCohort;
import io.tinyreid.app.gallery.StrangerRate;
import io.tinyreid.app.gallery.UnitVectors;
import io.tinyreid.app.quality.QualityGate;
import io.tinyreid.app.quality.VisitDescriptor;

/**
 * Quality gates and visit-level decisions in {@code tinyreid eval openset}, with the product's rule
 * (shipped calibration and cohort, accept distance at the target). The households are drawn as in
 * {@link OpenSetProtocol} (same seeds: with one frame per visit and no gate the numbers are the
 * product row's); a gate picks each member's enrolment photos in the drawn order, skipping those that
 * fail it (a member with too few good photos enrols failing ones: counted), and drops probe frames that
 * fail it (a household visit left empty is a miss, a stranger's is not named: counted). A visit of V
 * frames is V photos of one person: a member's probes in chunks of V, a stranger's up to V photos (with
 * V > 1 only people with at least 2 photos are strangers, so both sides aggregate). Decisions per visit:
 * {@code vote} (the frame loop's: each frame votes for its nearest person under the accept distance or
 * "stranger", a person is named with more than half of the votes), {@code mean} (the mean of the frames'
 * unit descriptors, renormalised, compared once) and {@code weighted} (the same with
 * {@link VisitDescriptor#weight quality weights}).
 */
public final class VisitEvaluation {
    private VisitEvaluation() {}

    /** How a visit's frames become one verdict. */
    public enum Rule { FRAME, VOTE, MEAN, WEIGHTED, VOTE_AND_WEIGHTED }

    /** One draw's outcome. */
    public record Draw(int visits, int strangerVisits, double dir, double named, double dirAt1, double dirAt01,
                       int skippedFrames, int frames, int skippedStrangerFrames, int strangerFrames,
                       int poorEnrolments, double[] strangerDistances, double accept) {}

    // a visit's verdict material: the distance from which it is named, and whether as the right person
    private record Verdict(double distance, boolean correct) {}

    /** Percentiles of the quality measures over {@code set}'s images (to choose gates). */
    public static String qualitySummary(FaceSet set, FaceQualities q) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "face quality over %d images (percentiles 1, 5, 10, 25, 50, 75, 90, 99):%n", set.size()));
        sb.append("  face side   ").append(percentiles(Arrays.stream(q.side()).asDoubleStream().toArray())).append('\n');
        sb.append("  sharpness   ").append(percentiles(q.sharpness())).append('\n');
        sb.append("  asymmetry   ").append(percentiles(q.asymmetry())).append('\n');
        return sb.toString();
    }

    private static String percentiles(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        StringBuilder sb = new StringBuilder();
        for (double p : new double[] {0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.99}) {
            sb.append(String.format(Locale.ROOT, "%9.4f", s[Math.min(s.length - 1, (int) Math.floor(p * s.length))]));
        }
        return sb.toString();
    }

    /** The table: for each visit length and gate, each rule's DIR and strangers named (mean +- std over draws). */
    public static String report(FaceSet set, FaceQualities q, FaceSet calSet, FaceQualities calQ, OpenSetProtocol.Config c,
                                OpenSetCalibration shipped, StrangerRate target, List<QualityGate> gates, List<Integer> visitFrames) {
        StrangerCohort cohort = OpenSetCalibrations.builtIn().cohortFor(shipped).orElse(null);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nquality gates and visits (product rule: %s%s, shipped calibration, %s):%n",
                shipped.rule().id(), cohort != null ? " + cohort" : "", target.describe()));
        sb.append(String.format(Locale.ROOT, "%-6s %-42s %-17s %-7s %-17s %-17s %-17s %-17s %-14s %-14s %-9s %-8s %-17s %-17s%n",
                "frames", "gate", "rule", "visits", "DIR", "strangers named", "DIR@named=1%", "DIR@named=0.1%", "skipped(home)",
                "skipped(str.)", "poorEnrol", "vcal<", "DIR (vcal)", "named (vcal)"));
        for (int v : visitFrames) {
            for (QualityGate g : gates) {
                for (Rule r : v == 1 ? List.of(Rule.FRAME) : List.of(Rule.VOTE, Rule.MEAN, Rule.WEIGHTED, Rule.VOTE_AND_WEIGHTED)) {
                    List<Draw> draws = run(set, q, c, shipped, target, cohort, g, v, r);
                    // the same rule's accept distance calibrated on the calibration fold's visits (pooled over its draws)
                    double vcal = Double.NaN;
                    List<Draw> calibrated = null;
                    if (calSet != null) {
                        double[] all = run(calSet, calQ, c, shipped, target, cohort, g, v, r).stream()
                                .flatMapToDouble(d -> Arrays.stream(d.strangerDistances())).sorted().toArray();
                        vcal = all[Math.min(all.length - 1, (int) Math.floor(target.fraction() * all.length))];
                        calibrated = run(set, q, c, shipped, target, cohort, g, v, r, vcal);
                    }
                    sb.append(String.format(Locale.ROOT, "%-6d %-42s %-17s %-7d %s %s %s %s %-14s %-14s %-9d %-8.4f %s %s%n", v,
                            g.equals(QualityGate.OFF) ? "off" : g.describe(), r.name().toLowerCase(Locale.ROOT),
                            draws.getFirst().visits() + draws.getFirst().strangerVisits(),
                            pm(draws, Draw::dir), pm(draws, Draw::named), pm(draws, Draw::dirAt1), pm(draws, Draw::dirAt01),
                            ratio(draws, true), ratio(draws, false),
                            draws.stream().mapToInt(Draw::poorEnrolments).sum(), vcal,
                            calibrated == null ? "-" : pm(calibrated, Draw::dir), calibrated == null ? "-" : pm(calibrated, Draw::named)));
                }
            }
        }
        sb.append("visits: household + stranger visits of the first draw; skipped: frames failing the gate / all frames, "
                + "over all draws; poorEnrol: enrolment photos taken although they fail the gate (too few good ones); vcal: the "
                + "rule's accept distance calibrated on the calibration fold's visits (gallery of " + c.gallery() + ")\n");
        return sb.toString();
    }

    private static String ratio(List<Draw> draws, boolean household) {
        int s = draws.stream().mapToInt(household ? Draw::skippedFrames : Draw::skippedStrangerFrames).sum();
        int n = draws.stream().mapToInt(household ? Draw::frames : Draw::strangerFrames).sum();
        return s + "/" + n;
    }

    private static String pm(List<Draw> draws, java.util.function.ToDoubleFunction<Draw> f) {
        double m = draws.stream().mapToDouble(f).average().orElse(Double.NaN);
        double sd = Math.sqrt(draws.stream().mapToDouble(d -> (f.applyAsDouble(d) - m) * (f.applyAsDouble(d) - m)).average()
                .orElse(Double.NaN));
        return String.format(Locale.ROOT, "%-17s", String.format(Locale.ROOT, "%.4f +- %.4f", m, sd));
    }

    /** The draws of one visit length, gate and rule. */
    public static List<Draw> run(FaceSet set, FaceQualities q, OpenSetProtocol.Config c, OpenSetCalibration shipped,
                                 StrangerRate target, StrangerCohort cohort, QualityGate gate, int frames, Rule rule) {
        return run(set, q, c, shipped, target, cohort, gate, frames, rule, Double.NaN);
    }

    /** {@link #run} at a fixed accept distance ({@code fixedAccept}; NaN: the shipped calibration's). */
    public static List<Draw> run(FaceSet set, FaceQualities q, OpenSetProtocol.Config c, OpenSetCalibration shipped,
                                 StrangerRate target, StrangerCohort cohort, QualityGate gate, int frames, Rule rule,
                                 double fixedAccept) {
        List<List<Integer>> photos = OpenSetProtocol.photosByPerson(set);
        List<Integer> eligible = OpenSetProtocol.eligible(photos, c);
        int dim = set.dimension();
        List<Draw> out = new ArrayList<>();
        for (int d = 0; d < c.draws(); d++) {
            Random rnd = new Random(c.seed() * 1_000_003L + d); // as OpenSetProtocol's draws
            List<Integer> pool = new ArrayList<>(eligible);
            Collections.shuffle(pool, rnd);
            List<Integer> members = pool.subList(0, c.gallery());
            boolean[] inHousehold = new boolean[photos.size()];
            members.forEach(p -> inHousehold[p] = true);
            int poorEnrol = 0;
            short[] flat = new short[members.size() * dim];
            int[] owner = new int[members.size()];
            double[] shift = new double[members.size()];
            List<List<Integer>> visits = new ArrayList<>();
            List<Integer> visitOwner = new ArrayList<>();
            int t = 0;
            for (int h = 0; h < members.size(); h++) {
                List<Integer> mine = new ArrayList<>(photos.get(members.get(h)));
                Collections.shuffle(mine, rnd);
                List<Integer> enrolled = new ArrayList<>();
                for (int i : mine) {
                    if (enrolled.size() < c.enrol() && q.passes(i, gate)) {
                        enrolled.add(i);
                    }
                }
                for (int i : mine) { // too few good photos: the next ones, as a user told "poor photo" might still keep
                    if (enrolled.size() < c.enrol() && !enrolled.contains(i)) {
                        enrolled.add(i);
                        poorEnrol++;
                    }
                }
                List<short[]> units = new ArrayList<>();
                enrolled.forEach(i -> units.add(set.unit()[i]));
                for (short[] tpl : shipped.rule().templates(units)) {
                    if (t == owner.length) {
                        throw new IllegalStateException("one template per person expected (mean rule)");
                    }
                    System.arraycopy(tpl, 0, flat, t * dim, dim);
                    owner[t] = h;
                    shift[t] = cohort == null ? 0 : cohort.shift(tpl);
                    t++;
                }
                List<Integer> rest = new ArrayList<>();
                for (int i : mine) {
                    if (!enrolled.contains(i)) {
                        rest.add(i);
                    }
                }
                for (int k = 0; k < rest.size(); k += frames) {
                    visits.add(List.copyOf(rest.subList(k, Math.min(rest.size(), k + frames))));
                    visitOwner.add(h);
                }
            }
            List<Integer> others = OpenSetProtocol.strangerPool(photos, inHousehold, rnd);
            if (frames > 1) {
                others.removeIf(p -> photos.get(p).size() < 2);
            }
            List<List<Integer>> strangerVisits = new ArrayList<>();
            for (int s = 0; s < Math.min(c.strangers(), others.size()); s++) {
                List<Integer> theirs = photos.get(others.get(s));
                if (frames == 1) {
                    strangerVisits.add(List.of(theirs.get(rnd.nextInt(theirs.size()))));
                } else {
                    List<Integer> mix = new ArrayList<>(theirs);
                    Collections.shuffle(mix, rnd);
                    strangerVisits.add(List.copyOf(mix.subList(0, Math.min(frames, mix.size()))));
                }
            }
            int templates = t;
            double accept = Double.isNaN(fixedAccept) ? shipped.acceptDistance(templates, target) : fixedAccept;
            int[] counts = new int[4]; // skipped household frames, household frames, skipped stranger frames, stranger frames
            List<Verdict> genuine = new ArrayList<>();
            for (int v = 0; v < visits.size(); v++) {
                genuine.add(verdict(set, q, visits.get(v), gate, rule, flat, owner, shift, templates, dim, members.size(),
                        visitOwner.get(v), counts, 0));
            }
            List<Verdict> strangers = new ArrayList<>();
            for (List<Integer> v : strangerVisits) {
                strangers.add(verdict(set, q, v, gate, rule, flat, owner, shift, templates, dim, members.size(), -1, counts, 2));
            }
            int named = 0;
            for (Verdict s : strangers) {
                named += s.distance() < accept ? 1 : 0;
            }
            int ok = 0;
            for (Verdict g : genuine) {
                ok += g.correct() && g.distance() < accept ? 1 : 0;
            }
            out.add(new Draw(genuine.size(), strangers.size(), (double) ok / genuine.size(), (double) named / strangers.size(),
                    dirAt(genuine, strangers, 0.01), dirAt(genuine, strangers, 0.001), counts[0], counts[1], counts[2], counts[3],
                    poorEnrol, strangers.stream().mapToDouble(Verdict::distance).toArray(), accept));
        }
        return out;
    }

    private static Verdict verdict(FaceSet set, FaceQualities q, List<Integer> visit, QualityGate gate, Rule rule, short[] flat,
                                   int[] owner, double[] shift, int templates, int dim, int people, int truth, int[] counts,
                                   int at) {
        List<Integer> kept = new ArrayList<>();
        for (int i : visit) {
            counts[at + 1]++;
            if (q.passes(i, gate)) {
                kept.add(i);
            } else {
                counts[at]++;
            }
        }
        if (kept.isEmpty()) {
            return new Verdict(Double.POSITIVE_INFINITY, false); // nothing good enough to describe: never named
        }
        if (rule == Rule.VOTE_AND_WEIGHTED) {
            // named only when the frames' majority and the visit descriptor name the same person: from the
            // larger of the two distances
            Verdict vote = verdict(set, q, kept, QualityGate.OFF, Rule.VOTE, flat, owner, shift, templates, dim, people, truth,
                    new int[4], 0);
            int[] who = new int[1];
            Verdict mean = visitVerdict(set, q, kept, true, flat, owner, shift, templates, dim, people, truth, who);
            int votedFor = votedPerson(set, kept, flat, owner, shift, templates, dim, people);
            if (Double.isInfinite(vote.distance()) || votedFor != who[0]) {
                return new Verdict(Double.POSITIVE_INFINITY, false);
            }
            return new Verdict(Math.max(vote.distance(), mean.distance()), vote.correct());
        }
        double[] perPerson = new double[people];
        switch (rule) {
            case FRAME, VOTE -> {
                int n = kept.size();
                double[][] byPerson = new double[people][n];
                int[] count = new int[people];
                for (int i : kept) {
                    int best = nearest(set.unit()[i], flat, owner, shift, templates, dim, perPerson);
                    byPerson[best][count[best]++] = perPerson[best];
                }
                // named p from the distance where p's (n/2+1)-th nearest frame falls under the accept line
                int need = n / 2 + 1;
                double bestD = Double.POSITIVE_INFINITY;
                int bestP = -1;
                for (int p = 0; p < people; p++) {
                    if (count[p] >= need) {
                        double[] ds = Arrays.copyOf(byPerson[p], count[p]);
                        Arrays.sort(ds);
                        if (ds[need - 1] < bestD) {
                            bestD = ds[need - 1];
                            bestP = p;
                        }
                    }
                }
                return new Verdict(bestD, bestP >= 0 && bestP == truth);
            }
            default -> {
                return visitVerdict(set, q, kept, rule == Rule.WEIGHTED, flat, owner, shift, templates, dim, people, truth,
                        new int[1]);
            }
        }
    }

    // the person the frames' majority names at any distance (-1: no majority)
    private static int votedPerson(FaceSet set, List<Integer> kept, short[] flat, int[] owner, double[] shift, int templates,
                                   int dim, int people) {
        double[] perPerson = new double[people];
        int[] count = new int[people];
        for (int i : kept) {
            count[nearest(set.unit()[i], flat, owner, shift, templates, dim, perPerson)]++;
        }
        for (int p = 0; p < people; p++) {
            if (count[p] * 2 > kept.size()) {
                return p;
            }
        }
        return -1;
    }

    private static Verdict visitVerdict(FaceSet set, FaceQualities q, List<Integer> kept, boolean weighted, short[] flat,
                                        int[] owner, double[] shift, int templates, int dim, int people, int truth, int[] who) {
        double[] perPerson = new double[people];
        {
            {
                Rule rule = weighted ? Rule.WEIGHTED : Rule.MEAN;
                float[] sum = new float[dim];
                for (int i : kept) {
                    float w = rule == Rule.WEIGHTED ? (float) VisitDescriptor.weight(q.side()[i], q.sharpness()[i], q.asymmetry()[i]) : 1f;
                    short[] u = set.unit()[i];
                    for (int k = 0; k < dim; k++) {
                        sum[k] += w * u[k];
                    }
                }
                short[] unit = new short[dim];
                UnitVectors.fromFloat(sum, unit);
                int best = nearest(unit, flat, owner, shift, templates, dim, perPerson);
                who[0] = best;
                return new Verdict(perPerson[best], best == truth);
            }
        }
    }

    private static int nearest(short[] u, short[] flat, int[] owner, double[] shift, int templates, int dim, double[] perPerson) {
        Arrays.fill(perPerson, Double.POSITIVE_INFINITY);
        for (int t = 0; t < templates; t++) {
            double d = StrangerCohort.shifted(UnitVectors.distance(u, 0, flat, t * dim, dim), shift[t]);
            if (d < perPerson[owner[t]]) {
                perPerson[owner[t]] = d;
            }
        }
        int best = 0;
        for (int p = 1; p < perPerson.length; p++) {
            if (perPerson[p] < perPerson[best]) {
                best = p;
            }
        }
        return best;
    }

    private static double dirAt(List<Verdict> genuine, List<Verdict> strangers, double rate) {
        double[] s = strangers.stream().mapToDouble(Verdict::distance).sorted().toArray();
        int allowed = (int) Math.floor(rate * strangers.size() + 1e-9);
        double th = allowed < s.length ? s[allowed] : Double.POSITIVE_INFINITY;
        int ok = 0;
        for (Verdict g : genuine) {
            ok += g.correct() && g.distance() < th ? 1 : 0;
        }
        return (double) ok / genuine.size();
    }
}
