package io.tinyreid.app.photo;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Checks and decodes user photos: format by signature, size and declared dimensions checked before
 * any pixel is decoded, large photos subsampled while decoding so memory stays bounded.
 */
public final class PhotoDecoder {
    private final PhotoLimits limits;

    public PhotoDecoder(PhotoLimits limits) {
        this.limits = limits;
    }

    /** The limits this decoder applies. */
    public PhotoLimits limits() {
        return limits;
    }

    /** Identifies the format and checks the byte size, without decoding. */
    public PhotoFormat check(String label, byte[] bytes) throws PhotoException {
        if (bytes.length == 0) {
            throw new PhotoException(label + ": the file is empty");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new PhotoException(label + ": " + mib(bytes.length) + " is larger than the " + mib(limits.maxBytes())
                    + " limit for a photo");
        }
        return PhotoFormat.sniff(bytes).orElseThrow(() ->
                new PhotoException(label + ": not a JPEG, PNG or PGM photo"));
    }

    /** Decodes {@code bytes} (named {@code label} in messages), or explains why it cannot. */
    public DecodedPhoto decode(String label, byte[] bytes) throws PhotoException {
        PhotoFormat format = check(label, bytes);
        return format == PhotoFormat.PGM ? decodePgm(label, bytes) : decodeImageIo(label, bytes, format);
    }

    private DecodedPhoto decodeImageIo(String label, byte[] bytes, PhotoFormat format) throws PhotoException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new PhotoException(label + ": no decoder for this " + format + " file");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                checkDimensions(label, w, h);
                ImageReadParam param = reader.getDefaultReadParam();
                int step = subsampling(w, h);
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                BufferedImage image = reader.read(0, param);
                return new DecodedPhoto(image, format, w, h, EncodedLength.of(format, bytes));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // ImageIO reports truncated/corrupt data as IIOException or, for some files, runtime exceptions.
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new PhotoException(label + ": corrupt or truncated " + format + " (" + why + ")", e);
        }
    }

    private DecodedPhoto decodePgm(String label, byte[] bytes) throws PhotoException {
        int[] pos = {2};
        int w = pgmNumber(label, bytes, pos);
        int h = pgmNumber(label, bytes, pos);
        int max = pgmNumber(label, bytes, pos);
        if (max != 255) {
            throw new PhotoException(label + ": PGM with maximum value " + max + " is not supported (only 8-bit)");
        }
        checkDimensions(label, w, h);
        int start = pos[0] + 1; // exactly one whitespace byte after the header
        long need = (long) w * h;
        if (bytes.length - (long) start < need) {
            throw new PhotoException(label + ": truncated PGM (" + (bytes.length - start) + " of " + need + " pixel bytes)");
        }
        int step = subsampling(w, h);
        int ow = (w + step - 1) / step;
        int oh = (h + step - 1) / step;
        BufferedImage image = new BufferedImage(ow, oh, BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int y = 0, oy = 0; oy < oh; y += step, oy++) {
            for (int x = 0, ox = 0; ox < ow; x += step, ox++) {
                out[oy * ow + ox] = bytes[start + y * w + x];
            }
        }
        return new DecodedPhoto(image, PhotoFormat.PGM, w, h, (int) (start + need));
    }

    private static int pgmNumber(String label, byte[] b, int[] pos) throws PhotoException {
        int i = pos[0];
        while (i < b.length) {
            if (b[i] == '#') {
                while (i < b.length && b[i] != '\n') i++;
            } else if (Character.isWhitespace(b[i])) {
                i++;
            } else {
                break;
            }
        }
        int startDigits = i;
        long v = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9' && i - startDigits < 9) {
            v = v * 10 + (b[i] - '0');
            i++;
        }
        if (i == startDigits || i >= b.length || !Character.isWhitespace(b[i])) {
            throw new PhotoException(label + ": malformed PGM header near byte " + i);
        }
        pos[0] = i;
        return (int) v;
    }

    private void checkDimensions(String label, int w, int h) throws PhotoException {
        if (w <= 0 || h <= 0) {
            throw new PhotoException(label + ": the photo has no pixels (" + w + "x" + h + ")");
        }
        long pixels = (long) w * h;
        if (pixels > limits.maxPixels()) {
            throw new PhotoException(String.format(Locale.ROOT,
                    "%s: %dx%d is %.1f megapixels, more than the %.0f megapixel limit; scale it down first",
                    label, w, h, pixels / 1e6, limits.maxPixels() / 1e6));
        }
    }

    private int subsampling(int w, int h) {
        int side = Math.max(w, h);
        return Math.max(1, (side + limits.maxSide() - 1) / limits.maxSide());
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** Header text for tests and tools that write PGM files. */
    static byte[] pgmHeader(int w, int h) {
        return ("P5\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII);
    }
}
