package io.tinyreid.app.face;

/** How descriptor values are stored. */
public enum DescriptorFormat {
    INT16(2),
    FLOAT32(4);

    private final int bytesPerValue;

    DescriptorFormat(int bytesPerValue) {
        this.bytesPerValue = bytesPerValue;
    }

    /** Bytes per component in the stored form. */
    public int bytesPerValue() {
        return bytesPerValue;
    }
}
