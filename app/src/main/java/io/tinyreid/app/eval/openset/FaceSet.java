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

    /** Described images without a detected face. */
    public int undetected() {
        int n = 0;
        for (int i = 0; i < unit.length; i++) {
            n += unit[i] != null && !detected[i] ? 1 : 0;
        }
        return n;
    }
}
