package io.tinyreid.app.budget;

import java.util.Locale;

/**
 * The steps of one pass of the doorbell's frame loop, in order: the time axis of the whole-device
 * memory plan. Buffers live from one phase to another; buffers whose phases never meet share bytes.
 *
 * <p>The display is composed right after tracking (boxes, and the names the tracks already carry)
 * so that the camera frame is free once the faces are cropped, and the network's arena can reuse its
 * bytes, as the reference device did with its detection and inference memory.
 */
public enum Phase {
    /** The camera writes the frame. */
    CAPTURE("capture"),
    /** The Haar cascade runs over the frame's pyramid, strip by strip. */
    DETECT("detect"),
    /** Detections become tracks (IoU matching). */
    TRACK("track"),
    /** The annotated frame is composed for the screen and the live stream. */
    DISPLAY("display"),
    /**
     * A landmark network finds the face's points in the frame (models aligned by landmarks, as
     * dlib-resnet; nothing is live only here for models that are not).
     */
    LANDMARKS("landmarks"),
    /** The face to identify is cut from the frame and scaled (or aligned) to the network's input. */
    CROP("crop"),
    /** The network turns the crop into a descriptor, weights streamed from the model file. */
    EMBED("embed"),
    /** The descriptor is compared with the gallery. */
    MATCH("match");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    /** Short lowercase name. */
    public String label() {
        return label;
    }

    /** The first phase of the loop. */
    public static Phase first() {
        return CAPTURE;
    }

    /** The last phase of the loop. */
    public static Phase last() {
        return MATCH;
    }

    /** Parses {@link #label()}. */
    public static Phase parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
