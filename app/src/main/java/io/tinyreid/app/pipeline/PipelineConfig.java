package io.tinyreid.app.pipeline;

import java.time.Duration;

import io.tinyreid.app.quality.QualityGate;

/**
 * How the doorbell turns detections into events.
 *
 * @param confirmFrames  consecutive frames a face must be detected before it counts (reference: 3)
 * @param identifyEvery  frames between two identification attempts of one track
 * @param votesToDecide  identifications before a track is named (majority vote)
 * @param maxVotes       identifications kept per track
 * @param debounce       a person (or stranger) announced again only after this long
 * @param minFaceSize    smaller faces (pixels, QVGA) are tracked but not identified (skipped frames, counted)
 * @param minSharpness   faces whose crop is less sharp ({@code FaceQuality.sharpness}) are not identified (0: off)
 * @param maxAsymmetry   faces whose crop is more asymmetric ({@code FaceQuality.asymmetry}, turned away) are not
 *                       identified (infinity: off)
 * @param decision       how a track's identifications become its verdict
 */
public record PipelineConfig(int confirmFrames, int identifyEvery, int votesToDecide, int maxVotes,
                             Duration debounce, int minFaceSize, double minSharpness, double maxAsymmetry,
                             Decision decision) {
    /**
     * {@code VOTES}: each identification votes for a person or "stranger", a person with more than half
     * of the votes is named (the default: measured in BENCHMARKS, "Quality gates and visit descriptors");
     * {@code VISIT}: the track's quality-weighted mean descriptor ({@code VisitDescriptor}) is compared with
     * the gallery once the votes are in (from {@code votesToDecide} on).
     */
    public enum Decision { VOTES, VISIT }

    public PipelineConfig {
        if (confirmFrames < 1 || identifyEvery < 1 || votesToDecide < 1 || maxVotes < votesToDecide
                || debounce.isNegative() || minFaceSize < 1 || !(minSharpness >= 0) || !(maxAsymmetry > 0)
                || decision == null) {
            throw new IllegalArgumentException("bad pipeline settings");
        }
    }

    /** Without quality gates beyond the face size, deciding by votes. */
    public PipelineConfig(int confirmFrames, int identifyEvery, int votesToDecide, int maxVotes, Duration debounce,
                          int minFaceSize) {
        this(confirmFrames, identifyEvery, votesToDecide, maxVotes, debounce, minFaceSize, 0, Double.POSITIVE_INFINITY,
                Decision.VOTES);
    }

    /** The quality gate faces must pass before they are identified. */
    public QualityGate gate() {
        return new QualityGate(minFaceSize, minSharpness, maxAsymmetry);
    }

    /** True when identification needs the crop's quality measured (a sharpness or pose gate, or visit weights). */
    public boolean measuresQuality() {
        return minSharpness > 0 || maxAsymmetry != Double.POSITIVE_INFINITY || decision == Decision.VISIT;
    }

    /** These settings with another quality gate and decision. */
    public PipelineConfig with(double sharpness, double asymmetry, Decision d) {
        return new PipelineConfig(confirmFrames, identifyEvery, votesToDecide, maxVotes, debounce, minFaceSize, sharpness,
                asymmetry, d);
    }

    /** Confirm after 3 frames, identify every 2nd frame, decide on 3 of up to 5 votes, 60 s debounce. */
    public static final PipelineConfig DEFAULT = new PipelineConfig(3, 2, 3, 5, Duration.ofSeconds(60), 24);
}
