package io.tinyreid.app.pipeline;

import java.time.Duration;

/**
 * How the doorbell turns detections into events.
 *
 * @param confirmFrames  consecutive frames a face must be detected before it counts (reference: 3)
 * @param identifyEvery  frames between two identification attempts of one track
 * @param votesToDecide  identifications before a track is named (majority vote)
 * @param maxVotes       identifications kept per track
 * @param debounce       a person (or stranger) announced again only after this long
 * @param minFaceSize    smaller faces (pixels, QVGA) are tracked but not identified
 */
public record PipelineConfig(int confirmFrames, int identifyEvery, int votesToDecide, int maxVotes,
                             Duration debounce, int minFaceSize) {
    public PipelineConfig {
        if (confirmFrames < 1 || identifyEvery < 1 || votesToDecide < 1 || maxVotes < votesToDecide
                || debounce.isNegative() || minFaceSize < 1) {
            throw new IllegalArgumentException("bad pipeline settings");
        }
    }

    /** Confirm after 3 frames, identify every 2nd frame, decide on 3 of up to 5 votes, 60 s debounce. */
    public static final PipelineConfig DEFAULT = new PipelineConfig(3, 2, 3, 5, Duration.ofSeconds(60), 24);
}
