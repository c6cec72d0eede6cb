package io.tinyreid.app.budget;

/** Which part of the doorbell a region belongs to (the colours of the memory map). */
public enum Part {
    FRAME("frame"),
    CASCADE("cascade"),
    DETECTOR("detector"),
    TRACKER("tracks"),
    DISPLAY("display"),
    CROP("crop"),
    NETWORK("network"),
    DESCRIPTOR("descriptor"),
    GALLERY("gallery");

    private final String label;

    Part(String label) {
        this.label = label;
    }

    /** Legend text. */
    public String label() {
        return label;
    }
}
