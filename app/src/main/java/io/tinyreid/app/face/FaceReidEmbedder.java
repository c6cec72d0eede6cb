package io.tinyreid.app.face;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

import io.tinyreid.nn.exec.FloatExecutor;
import io.tinyreid.nn.importer.FaceReidImporter;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.Resize;

/**
 * The reference FaceReID network as a {@link FaceEmbedder}: the face box (made square, clamped to
 * the photo) cut from the gray photo, bilinear to 128x128 (no alignment, as on the device), run
 * through the network, the 512 outputs as int16 Q10 like the device's descriptors.
 *
 * <p>Runs nn's float executor (dequantised weights); the exact int16 executor replaces it when it
 * lands (float vs device: cosine >= 0.99, see the test).
 */
public final class FaceReidEmbedder implements FaceEmbedder {
    private static final int SIDE = FaceReidImporter.INPUT_SIZE;
    private static final int Q10 = 1 << 10;

    private final FloatExecutor executor;
    private final float[] input = new float[SIDE * SIDE];
    private final float[] output;
    private final GrayImage crop = new GrayImage(SIDE, SIDE);
    private final GrayImage scaled = new GrayImage(SIDE, SIDE);

    public FaceReidEmbedder(Graph graph) {
        this.executor = new FloatExecutor(graph);
        this.output = new float[graph.output().shape().size()];
        if (output.length != FaceModel.FACEREID.dimension()) {
            throw new IllegalArgumentException("FaceReID graph outputs " + output.length + " values, expected 512");
        }
    }

    /** Loads the network from the 26 layer files in {@code quantizedModelDir}. */
    public static FaceReidEmbedder load(Path quantizedModelDir) {
        return new FaceReidEmbedder(FaceReidImporter.load(quantizedModelDir));
    }

    @Override
    public FaceModel model() {
        return FaceModel.FACEREID;
    }

    @Override
    public synchronized Descriptor embed(BufferedImage photo, FaceBox box) {
        return embed(Pictures.gray(photo), box.x(), box.y(), box.width(), box.height());
    }

    /** The descriptor of box (x, y, w, h) of a gray picture (the pipeline's path, no JDK image). */
    public synchronized Descriptor embed(GrayImage gray, int x, int y, int w, int h) {
        int side = Math.max(w, h);
        int cx = x + w / 2;
        int cy = y + h / 2;
        side = Math.min(side, Math.min(gray.width(), gray.height()));
        int x0 = Math.clamp(cx - side / 2, 0, gray.width() - side);
        int y0 = Math.clamp(cy - side / 2, 0, gray.height() - side);
        gray.crop(x0, y0, side, side, crop);
        Resize.bilinear(crop, scaled);
        byte[] px = scaled.pixels();
        for (int i = 0; i < px.length; i++) {
            input[i] = px[i] & 0xFF;
        }
        executor.run(input, output);
        short[] q = new short[output.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = (short) Math.clamp(Math.round(output[i] * Q10), Short.MIN_VALUE, Short.MAX_VALUE);
        }
        return new Descriptor.Int16(q);
    }
}
