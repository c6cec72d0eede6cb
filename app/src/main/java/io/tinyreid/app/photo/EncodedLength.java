package io.tinyreid.app.photo;

/**
 * Where an encoded photo ends: the JPEG's end-of-image marker, the PNG's IEND chunk, the PGM's
 * last pixel. Decoders stop there and ignore the rest, so bytes appended after the image (junk,
 * a hidden archive, 30 MB of padding) would otherwise be stored, hashed and served with it.
 */
final class EncodedLength {
    private EncodedLength() {}

    /** The length of the image at the start of {@code b}; all of {@code b} when its end cannot be found. */
    static int of(PhotoFormat format, byte[] b) {
        int end = switch (format) {
            case JPEG -> jpeg(b);
            case PNG -> png(b);
            case PGM -> -1; // the decoder knows its header and size (see PhotoDecoder)
        };
        return end > 0 && end <= b.length ? end : b.length;
    }

    /** Walks the marker segments; entropy-coded data runs until a marker other than a stuffed 0xFF00 or a restart. */
    private static int jpeg(byte[] b) {
        int i = 2; // after SOI
        while (i + 1 < b.length) {
            if ((b[i] & 0xff) != 0xFF) {
                return -1;
            }
            while (i < b.length && (b[i] & 0xff) == 0xFF) {
                i++; // fill bytes before a marker
            }
            if (i >= b.length) {
                return -1;
            }
            int marker = b[i++] & 0xff;
            if (marker == 0xD9) {
                return i; // EOI
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // markers without a length
            }
            if (i + 1 >= b.length) {
                return -1;
            }
            int length = ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
            if (length < 2) {
                return -1;
            }
            i += length;
            if (marker == 0xDA) { // start of scan: skip the entropy-coded data
                while (i + 1 < b.length) {
                    if ((b[i] & 0xff) == 0xFF) {
                        int next = b[i + 1] & 0xff;
                        if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i++;
                }
            }
        }
        return -1;
    }

    /** Chunk by chunk (length, type, data, CRC) up to and including IEND. */
    private static int png(byte[] b) {
        long i = 8;
        while (i + 8 <= b.length) {
            int p = (int) i;
            long length = ((b[p] & 0xffL) << 24) | ((b[p + 1] & 0xffL) << 16) | ((b[p + 2] & 0xffL) << 8) | (b[p + 3] & 0xffL);
            boolean iend = b[p + 4] == 'I' && b[p + 5] == 'E' && b[p + 6] == 'N' && b[p + 7] == 'D';
            i += 12 + length;
            if (iend) {
                return i <= b.length ? (int) i : -1;
            }
        }
        return -1;
    }
}
