package io.tinyreid.app.eval.openset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

import io.tinyreid.app.gallery.StrangerCohort;
import io.tinyreid.app.gallery.TemplateRule;
import io.tinyreid.app.gallery.UnitVectors;

/**
 * Open-set identification over random households drawn from a {@link FaceSet}: each draw enrols
 * {@code gallery} people (among those with at least {@code enrol + 2} photos) with {@code enrol}
 * photos each, then probes with their other photos (genuine) and one photo each of up to
 * {@code strangers} other people. A probe is named when the nearest person lies strictly under the
 * accept distance and, with a margin, the second-nearest person is at least that much farther.
 * With a {@link StrangerCohort} every template's distances are shifted by its cohort shift first, as
 * the gallery does. People without images in the set (another fold's) are never drawn.
 */
public final class OpenSetProtocol {
    private OpenSetProtocol() {}

    /** What to draw; {@code margin} 0 disables the margin rule. */
    public record Config(int gallery, int enrol, int strangers, int draws, long seed, TemplateRule rule, double margin) {
        public Config {
            if (gallery < 1 || enrol < 1 || strangers < 1 || draws < 1) {
                throw new IllegalArgumentException("gallery, enrol, strangers and draws must be at least 1");
            }
            if (!(margin >= 0)) {
                throw new IllegalArgumentException("margin must be >= 0");
            }
        }
    }

    /**
     * One draw's outcome. Rates are over the draw's genuine probes or strangers; {@code dir} is the
     * detection-and-identification rate (named correctly), {@code named} the strangers named,
     * {@code misnamed} genuine probes named as another household member, all at the accept distance
     * {@code accept}; {@code dirAt1}/{@code dirAt01} at the distance where 1% / 0.1% of the strangers are named.
     */
    public record Draw(int genuine, int strangers, int templates, double accept, double rank1, double dir, double named,
                       double misnamed, double dirAt1, double dirAt01) {}

    /** One DET point: at distance {@code threshold}, the strangers named and the genuine probes not named correctly. */
    public record DetPoint(double threshold, double strangersNamed, double missed) {}

    /** All draws and the pooled DET curve. */
    public record Result(Config config, List<Draw> draws, List<DetPoint> det) {}

    // One probe's verdict material: nearest person's distance, whether that person is right, margin kept.
    private record Probe(double nearest, boolean correct, boolean clear) {}

    // One draw's household: per member the enrolled images; the genuine probes with their member; the strangers' images.
    private record Household(List<List<Integer>> enrolled, List<Integer> genuine, List<Integer> genuineOwners,
                             List<Integer> strangers) {}

    /** The images the draws of {@code c} use (to describe only those); needs only the set's identities. */
    public static boolean[] imagesUsed(FaceSet set, Config c) {
        List<List<Integer>> photos = photosByPerson(set);
        List<Integer> eligible = eligible(photos, c);
        boolean[] used = new boolean[set.size()];
        for (int d = 0; d < c.draws(); d++) {
            Household h = household(photos, eligible, c, d);
            h.enrolled().forEach(l -> l.forEach(i -> used[i] = true));
            h.genuine().forEach(i -> used[i] = true);
            h.strangers().forEach(i -> used[i] = true);
        }
        return used;
    }

    /** Runs the draws; {@code acceptDistance} maps the gallery's template count to the accept distance. */
    public static Result run(FaceSet set, Config c, IntToDoubleFunction acceptDistance) {
        return run(set, c, acceptDistance, null);
    }

    /** {@link #run(FaceSet, Config, IntToDoubleFunction)} comparing {@code d - cohort.shift(template)} (null: plain distances). */
    public static Result run(FaceSet set, Config c, IntToDoubleFunction acceptDistance, StrangerCohort cohort) {
        List<List<Integer>> photos = photosByPerson(set);
        List<Integer> eligible = eligible(photos, c);
        List<Draw> draws = new ArrayList<>();
        List<Probe> allGenuine = new ArrayList<>();
        List<Probe> allStrangers = new ArrayList<>();
        int dim = set.dimension();
        for (int d = 0; d < c.draws(); d++) {
            Household h = household(photos, eligible, c, d);
            List<short[]> templates = new ArrayList<>();
            List<Integer> owners = new ArrayList<>();
            for (int p = 0; p < h.enrolled().size(); p++) {
                List<short[]> enrolled = new ArrayList<>();
                for (int i : h.enrolled().get(p)) {
                    enrolled.add(set.unit()[i]);
                }
                for (short[] t : c.rule().templates(enrolled)) {
                    templates.add(t);
                    owners.add(p);
                }
            }
            List<Integer> genuineImages = h.genuine();
            List<Integer> genuineOwners = h.genuineOwners();
            List<Integer> strangerImages = h.strangers();
            short[] flat = new short[templates.size() * dim];
            int[] owner = new int[templates.size()];
            double[] shift = new double[templates.size()];
            for (int t = 0; t < templates.size(); t++) {
                System.arraycopy(templates.get(t), 0, flat, t * dim, dim);
                owner[t] = owners.get(t);
                shift[t] = cohort == null ? 0 : cohort.shift(templates.get(t));
            }
            double accept = acceptDistance.applyAsDouble(templates.size());
            double[] perPerson = new double[h.enrolled().size()];
            List<Probe> genuine = new ArrayList<>();
            int rank1 = 0;
            for (int g = 0; g < genuineImages.size(); g++) {
                Probe p = probe(set.unit()[genuineImages.get(g)], flat, owner, shift, dim, perPerson, c.margin(), genuineOwners.get(g));
                genuine.add(p);
                rank1 += p.correct() ? 1 : 0;
            }
            List<Probe> strangers = new ArrayList<>();
            for (int s : strangerImages) {
                strangers.add(probe(set.unit()[s], flat, owner, shift, dim, perPerson, c.margin(), -1));
            }
            int dir = 0;
            int misnamed = 0;
            for (Probe p : genuine) {
                boolean named = p.clear() && p.nearest() < accept;
                dir += named && p.correct() ? 1 : 0;
                misnamed += named && !p.correct() ? 1 : 0;
            }
            int named = 0;
            for (Probe p : strangers) {
                named += p.clear() && p.nearest() < accept ? 1 : 0;
            }
            double n = genuine.size();
            draws.add(new Draw(genuine.size(), strangers.size(), templates.size(), accept, rank1 / n, dir / n,
                    (double) named / strangers.size(), misnamed / n,
                    dirAt(genuine, strangers, 0.01), dirAt(genuine, strangers, 0.001)));
            allGenuine.addAll(genuine);
            allStrangers.addAll(strangers);
        }
        return new Result(c, List.copyOf(draws), det(allGenuine, allStrangers));
    }

    /** Image indices per person of {@code set}. */
    static List<List<Integer>> photosByPerson(FaceSet set) {
        List<List<Integer>> photos = new ArrayList<>();
        for (int p = 0; p < set.people().size(); p++) {
            photos.add(new ArrayList<>());
        }
        for (int i = 0; i < set.size(); i++) {
            photos.get(set.identity()[i]).add(i);
        }
        return photos;
    }

    /** People with enough photos to be enrolled and still probed; fails when the gallery cannot be drawn. */
    static List<Integer> eligible(List<List<Integer>> photos, Config c) {
        List<Integer> eligible = new ArrayList<>();
        for (int p = 0; p < photos.size(); p++) {
            if (photos.get(p).size() >= c.enrol() + 2) {
                eligible.add(p);
            }
        }
        if (eligible.size() < c.gallery()) {
            throw new IllegalArgumentException("only " + eligible.size() + " people have at least " + (c.enrol() + 2)
                    + " photos; a gallery of " + c.gallery() + " needs more");
        }
        if (photos.stream().filter(l -> !l.isEmpty()).count() - c.gallery() < 1) {
            throw new IllegalArgumentException("no people left to be strangers");
        }
        return eligible;
    }

    /** People outside the household who have photos, in the draw's shuffled order. */
    static List<Integer> strangerPool(List<List<Integer>> photos, boolean[] inHousehold, Random rnd) {
        List<Integer> others = new ArrayList<>();
        for (int p = 0; p < photos.size(); p++) {
            if (!inHousehold[p] && !photos.get(p).isEmpty()) {
                others.add(p);
            }
        }
        Collections.shuffle(others, rnd);
        return others;
    }

    /** Draw {@code d}: a seeded household, its probes and its strangers. */
    private static Household household(List<List<Integer>> photos, List<Integer> eligible, Config c, int d) {
        Random rnd = new Random(c.seed() * 1_000_003L + d);
        List<Integer> pool = new ArrayList<>(eligible);
        Collections.shuffle(pool, rnd);
        List<Integer> members = pool.subList(0, c.gallery());
        boolean[] inHousehold = new boolean[photos.size()];
        members.forEach(p -> inHousehold[p] = true);
        List<List<Integer>> enrolled = new ArrayList<>();
        List<Integer> genuine = new ArrayList<>();
        List<Integer> genuineOwners = new ArrayList<>();
        for (int h = 0; h < members.size(); h++) {
            List<Integer> mine = new ArrayList<>(photos.get(members.get(h)));
            Collections.shuffle(mine, rnd);
            enrolled.add(List.copyOf(mine.subList(0, c.enrol())));
            for (int k = c.enrol(); k < mine.size(); k++) {
                genuine.add(mine.get(k));
                genuineOwners.add(h);
            }
        }
        List<Integer> others = strangerPool(photos, inHousehold, rnd);
        List<Integer> strangers = new ArrayList<>();
        for (int s = 0; s < Math.min(c.strangers(), others.size()); s++) {
            List<Integer> theirs = photos.get(others.get(s));
            strangers.add(theirs.get(rnd.nextInt(theirs.size())));
        }
        return new Household(enrolled, genuine, genuineOwners, strangers);
    }

    /** Nearest person over the templates (a person's distance is its nearest template), second person for the margin. */
    private static Probe probe(short[] q, short[] flat, int[] owner, double[] shift, int dim, double[] perPerson, double margin,
                               int truth) {
        Arrays.fill(perPerson, Double.POSITIVE_INFINITY);
        for (int t = 0; t < owner.length; t++) {
            double d = StrangerCohort.shifted(UnitVectors.distance(q, 0, flat, t * dim, dim), shift[t]);
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
        double second = Double.POSITIVE_INFINITY;
        for (int p = 0; p < perPerson.length; p++) {
            if (p != best && perPerson[p] < second) {
                second = perPerson[p];
            }
        }
        return new Probe(perPerson[best], best == truth, margin == 0 || second - perPerson[best] >= margin);
    }

    /** Genuine probes named correctly at the largest distance naming at most {@code rate} of the strangers. */
    private static double dirAt(List<Probe> genuine, List<Probe> strangers, double rate) {
        double[] s = strangers.stream().filter(Probe::clear).mapToDouble(Probe::nearest).sorted().toArray();
        int allowed = (int) Math.floor(rate * strangers.size() + 1e-9);
        double t = allowed < s.length ? s[allowed] : Double.POSITIVE_INFINITY;
        int ok = 0;
        for (Probe p : genuine) {
            ok += p.clear() && p.correct() && p.nearest() < t ? 1 : 0;
        }
        return (double) ok / genuine.size();
    }

    /** The pooled DET curve: one point per distinct distance, strictest first. */
    private static List<DetPoint> det(List<Probe> genuine, List<Probe> strangers) {
        double[] g = genuine.stream().filter(p -> p.clear() && p.correct()).mapToDouble(Probe::nearest).sorted().toArray();
        double[] s = strangers.stream().filter(Probe::clear).mapToDouble(Probe::nearest).sorted().toArray();
        List<DetPoint> out = new ArrayList<>();
        int gi = 0;
        int si = 0;
        out.add(new DetPoint(0, 0, 1));
        while (gi < g.length || si < s.length) {
            double t = Math.min(gi < g.length ? g[gi] : Double.POSITIVE_INFINITY, si < s.length ? s[si] : Double.POSITIVE_INFINITY);
            while (gi < g.length && g[gi] <= t) {
                gi++;
            }
            while (si < s.length && s[si] <= t) {
                si++;
            }
            out.add(new DetPoint(Math.nextUp(t), (double) si / strangers.size(), 1 - (double) gi / genuine.size()));
        }
        return out;
    }
}
