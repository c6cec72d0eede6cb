package io.tinyreid.app.eval.openset;

import java.util.List;

/**
 * Every image of an LFW-style folder as a Q14 unit descriptor of one model, with its person:
 * image {@code i} shows person {@code identity[i]} ({@code people.get(identity[i])}), its face was
 * found by the detector when {@code detected[i]} (else the centred square was used). Built in two
 * steps ({@link FaceSetReader}): the people and files first, then the descriptors the run needs
 * ({@code unit[i]} is null until described).
 */
public record FaceSet(String modelId, List<String> people, int[] identity, List<String> files, short[][] unit,
                      boolean[] detected) {
    public FaceSet {
        if (identity.length != files.size() || unit.length != identity.length || detected.length != identity.length) {
            throw new IllegalArgumentException("face set arrays differ in length");
        }
    }

    /** Number of images. */
    public int size() {
        return identity.length;
    }

    /** Descriptor dimension. */
    public int dimension() {
        for (short[] u : unit) {
            if (u != null) {
                return u.length;
            }
        }
        return 0;
    }

    /**
     * The images of the people in fold {@code fold} of {@code folds} (person index mod {@code folds},
     * people in name order), sharing this set's descriptors; the people list stays whole, so the
     * other folds' people are present without images.
     */
    public FaceSet fold(int fold, int folds) {
        if (folds < 1 || fold < 0 || fold >= folds) {
            throw new IllegalArgumentException("fold " + fold + " of " + folds);
        }
        java.util.List<Integer> keep = new java.util.ArrayList<>();
        for (int i = 0; i < identity.length; i++) {
            if (identity[i] % folds == fold) {
                keep.add(i);
            }
        }
        int n = keep.size();
        int[] id = new int[n];
        java.util.List<String> f = new java.util.ArrayList<>(n);
        short[][] u = new short[n][];
        boolean[] det = new boolean[n];
        for (int k = 0; k < n; k++) {
            int i = keep.get(k);
            id[k] = identity[i];
            f.add(files.get(i));
            u[k] = unit[i];
            det[k] = detected[i];
        }
        return new FaceSet(modelId, people, id, java.util.List.copyOf(f), u, det);
    }

    /** Described images without a detected face. */
    public int undetected() {
        int n = 0;
        for (int i = 0; i < unit.length; i++) {
            n += unit[i] != null && !detected[i] ? 1 : 0;
        }
        return n;
    }
}
