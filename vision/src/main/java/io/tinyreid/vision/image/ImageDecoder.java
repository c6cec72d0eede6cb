package io.tinyreid.vision.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG and PNG (JDK ImageIO) and PGM (our own reader) into gray or RGB planes.
 *
 * <p>Every input is checked before pixels are decoded: empty input, unknown magic bytes, encoded size
 * over {@link ImageLimits#maxBytes()}, and width*height from the header over
 * {@link ImageLimits#maxPixels()}. Truncated or corrupt data (including the JPEG reader's "premature
 * end" warnings, which ImageIO would otherwise paper over with gray) is an {@link ImageDecodeException}.
 */
public final class ImageDecoder {
    private final ImageLimits limits;

    /** A decoder with the given limits. */
    public ImageDecoder(ImageLimits limits) {
        this.limits = limits;
    }

    /** A decoder with {@link ImageLimits#DEFAULT}. */
    public ImageDecoder() {
        this(ImageLimits.DEFAULT);
    }

    /** The limits this decoder enforces. */
    public ImageLimits limits() {
        return limits;
    }

    /** Size and format read from the header only. */
    public record Info(ImageFormat format, int width, int height) {}

    /** Reads a file, refusing it before reading when it is over the byte limit. */
    public byte[] readFile(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ImageDecodeException(file + ": no such file");
        }
        if (size > limits.maxBytes()) {
            throw new ImageDecodeException(file + ": file is " + size + " bytes, over the limit of " + limits.maxBytes());
        }
        return Files.readAllBytes(file);
    }

    /** Reads a stream up to the byte limit (one byte more is an error). */
    public byte[] readStream(InputStream in, String what) throws IOException {
        byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, limits.maxBytes() + 1));
        if (data.length > limits.maxBytes()) {
            throw new ImageDecodeException(what + ": more than " + limits.maxBytes() + " bytes, over the limit");
        }
        return data;
    }

    /** Decodes a file to gray. */
    public GrayImage decodeGray(Path file) throws IOException {
        return decodeGray(readFile(file), file.toString(), null);
    }

    /** Decodes a file to RGB. */
    public RgbImage decodeRgb(Path file) throws IOException {
        return decodeRgb(readFile(file), file.toString(), null);
    }

    /** Reads the format and size from the header without decoding pixels. */
    public Info probe(byte[] data, String what) throws ImageDecodeException {
        ImageFormat f = check(data, what);
        if (f == ImageFormat.PGM) {
            Pgm.Header h = Pgm.header(data, data.length, what);
            return new Info(f, (int) Math.min(Integer.MAX_VALUE, h.width()), (int) Math.min(Integer.MAX_VALUE, h.height()));
        }
        try (ImageInputStream iis = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            ImageReader reader = readerFor(iis, f, what);
            try {
                return new Info(f, reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException(what + ": corrupt " + f + " header: " + describe(e), e);
        }
    }

    /** Decodes encoded bytes to gray into {@code dst} (reused when it has the capacity; null allocates). */
    public GrayImage decodeGray(byte[] data, String what, GrayImage dst) throws ImageDecodeException {
        ImageFormat f = check(data, what);
        if (f == ImageFormat.PGM) {
            return Pgm.decode(data, data.length, limits, dst, what);
        }
        BufferedImage img = decodeImageIo(data, f, what);
        int w = img.getWidth();
        int h = img.getHeight();
        dst = dst == null ? new GrayImage(w, h) : dst.reshape(w, h);
        byte[] p = dst.pixels();
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY && img.getRaster().getDataBuffer() instanceof DataBufferByte db
                && img.getRaster().getNumBands() == 1 && img.getRaster().getSampleModelTranslateX() == 0) {
            // Raw samples: getRGB would push gray through a colour-space conversion and change values.
            System.arraycopy(db.getData(), 0, p, 0, w * h);
            return dst;
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            int o = y * w;
            for (int x = 0; x < w; x++) {
                int c = row[x];
                p[o + x] = (byte) ((((c >> 16) & 0xFF) * 4899 + ((c >> 8) & 0xFF) * 9617 + (c & 0xFF) * 1868 + 8192) >> 14);
            }
        }
        return dst;
    }

    /** Decodes encoded bytes to RGB into {@code dst} (reused when it has the capacity; null allocates). */
    public RgbImage decodeRgb(byte[] data, String what, RgbImage dst) throws ImageDecodeException {
        ImageFormat f = check(data, what);
        if (f == ImageFormat.PGM) {
            GrayImage g = Pgm.decode(data, data.length, limits, null, what);
            dst = dst == null ? new RgbImage(g.width(), g.height()) : dst;
            return dst.setFromGray(g);
        }
        BufferedImage img = decodeImageIo(data, f, what);
        int w = img.getWidth();
        int h = img.getHeight();
        dst = dst == null ? new RgbImage(w, h) : dst.reshape(w, h);
        byte[] r = dst.red();
        byte[] g = dst.green();
        byte[] b = dst.blue();
        boolean rawGray = img.getType() == BufferedImage.TYPE_BYTE_GRAY
                && img.getRaster().getDataBuffer() instanceof DataBufferByte && img.getRaster().getNumBands() == 1;
        if (rawGray) {
            byte[] s = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            System.arraycopy(s, 0, r, 0, w * h);
            System.arraycopy(s, 0, g, 0, w * h);
            System.arraycopy(s, 0, b, 0, w * h);
            return dst;
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            int o = y * w;
            for (int x = 0; x < w; x++) {
                int c = row[x];
                r[o + x] = (byte) (c >> 16);
                g[o + x] = (byte) (c >> 8);
                b[o + x] = (byte) c;
            }
        }
        return dst;
    }

    private ImageFormat check(byte[] data, String what) throws ImageDecodeException {
        if (data == null || data.length == 0) {
            throw new ImageDecodeException(what + ": empty input (0 bytes)");
        }
        if (data.length > limits.maxBytes()) {
            throw new ImageDecodeException(what + ": " + data.length + " bytes, over the limit of " + limits.maxBytes());
        }
        ImageFormat f = ImageFormat.sniff(data, data.length);
        if (f == null) {
            StringBuilder magic = new StringBuilder();
            for (int i = 0; i < Math.min(4, data.length); i++) {
                magic.append(String.format("%02x", data[i] & 0xFF));
            }
            throw new ImageDecodeException(what + ": not a JPEG, PNG or PGM image (starts with 0x" + magic + ")");
        }
        return f;
    }

    private static ImageReader readerFor(ImageInputStream iis, ImageFormat f, String what) throws ImageDecodeException {
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(f == ImageFormat.JPEG ? "jpeg" : "png");
        if (!it.hasNext()) {
            throw new ImageDecodeException(what + ": this JDK has no " + f + " reader");
        }
        ImageReader reader = it.next();
        reader.setInput(iis, true, true);
        return reader;
    }

    private BufferedImage decodeImageIo(byte[] data, ImageFormat f, String what) throws ImageDecodeException {
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream iis = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            ImageReader reader = readerFor(iis, f, what);
            try {
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                limits.checkDimensions(w, h, what);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage img = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new ImageDecodeException(what + ": corrupt or truncated " + f + ": " + String.join("; ", warnings));
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (ImageDecodeException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw new ImageDecodeException(what + ": not enough memory to decode this " + f, e);
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException(what + ": corrupt or truncated " + f + ": " + describe(e), e);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!sb.isEmpty()) sb.append(": ");
            sb.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
            if (t.getCause() == t) break;
        }
        return sb.toString();
    }
}
