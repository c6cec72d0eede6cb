package io.tinyreid.app.photo;

import java.util.Optional;

/** Photo formats accepted from users, recognised by their first bytes (never by a file name). */
public enum PhotoFormat {
    JPEG("jpg"),
    PNG("png"),
    /** Binary 8-bit PGM (P5), the format of the reference's test crops and of ORL. */
    PGM("pgm");

    private final String extension;

    PhotoFormat(String extension) {
        this.extension = extension;
    }

    /** The file name extension we give stored files of this format. */
    public String extension() {
        return extension;
    }

    /** The format whose signature starts {@code head}, if any. */
    public static Optional<PhotoFormat> sniff(byte[] head) {
        if (head.length >= 3 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8 && (head[2] & 0xff) == 0xFF) {
            return Optional.of(JPEG);
        }
        if (head.length >= 8 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G'
                && head[4] == 0x0D && head[5] == 0x0A && head[6] == 0x1A && head[7] == 0x0A) {
            return Optional.of(PNG);
        }
        if (head.length >= 3 && head[0] == 'P' && head[1] == '5' && Character.isWhitespace(head[2])) {
            return Optional.of(PGM);
        }
        return Optional.empty();
    }
}
