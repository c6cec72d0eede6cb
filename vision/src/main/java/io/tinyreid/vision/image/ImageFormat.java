package io.tinyreid.vision.image;

/** The encoded formats we accept, recognised by their magic bytes (never by file name). */
public enum ImageFormat {
    JPEG, PNG, PGM;

    /** The format of the bytes, or null when they are none of ours. */
    public static ImageFormat sniff(byte[] data, int length) {
        if (length >= 3 && (data[0] & 0xFF) == 0xFF && (data[1] & 0xFF) == 0xD8 && (data[2] & 0xFF) == 0xFF) {
            return JPEG;
        }
        if (length >= 8 && (data[0] & 0xFF) == 0x89 && data[1] == 'P' && data[2] == 'N' && data[3] == 'G'
                && data[4] == 0x0D && data[5] == 0x0A && data[6] == 0x1A && data[7] == 0x0A) {
            return PNG;
        }
        if (Pgm.looksLikePgm(data, length)) {
            return PGM;
        }
        return null;
    }
}
