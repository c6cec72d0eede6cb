package io.tinyreid.app.engine;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.face.FaceEmbedder;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.pipeline.FrameDescriber;
import io.tinyreid.app.source.Frame;
import io.tinyreid.nn.exec.FloatExecutor;
import io.tinyreid.nn.importer.FaceReidImporter;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.LinearResizer;
import io.tinyreid.vision.image.Resize;

/**
 * FaceReID descriptors the way the reference computed them: the face box (square) cut from the
 * gray picture, bilinear to 128x128, through the network, 512 values in Q10 as int16.
 *
 * <p>Buffers are allocated once; calls are serialised (one network, one arena).
 */
public final class FaceReidNet implements FrameDescriber, FaceEmbedder {
    private static final int SIZE = FaceReidImporter.INPUT_SIZE;
    private final FloatExecutor executor;
    private final GrayImage crop = new GrayImage(SIZE, SIZE);
    private final GrayImage input = new GrayImage(SIZE, SIZE);
    private final LinearResizer resizer = new LinearResizer();
    private final float[] in = new float[SIZE * SIZE];
    private final float[] out = new float[512];
    private final GrayImage photoGray = new GrayImage(1, 1);

    private FaceReidNet(Graph graph) {
        this.executor = new FloatExecutor(graph);
    }

    /** Loads the network's 26 layer files from {@code dir} (the model cache's {@code facereid/quantized_model}). */
    public static FaceReidNet load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("the FaceReID model is not in " + dir + "; run 'tinyreid models fetch' first");
        }
        return new FaceReidNet(FaceReidImporter.load(dir));
    }

    @Override
    public FaceModel model() {
        return FaceModel.FACEREID;
    }

    @Override
    public Descriptor describe(Frame frame, int x, int y, int w, int h) {
        return describe(frame.gray(), x, y, w, h);
    }

    @Override
    public synchronized Descriptor embed(BufferedImage photo, FaceBox box) {
        GrayImage g = photoGray.reshape(photo.getWidth(), photo.getHeight());
        byte[] p = g.pixels();
        int w = photo.getWidth();
        for (int yy = 0; yy < photo.getHeight(); yy++) {
            for (int xx = 0; xx < w; xx++) {
                int c = photo.getRGB(xx, yy);
                p[yy * w + xx] = (byte) ((((c >> 16) & 0xFF) * 4899 + ((c >> 8) & 0xFF) * 9617 + (c & 0xFF) * 1868 + 8192) >> 14);
            }
        }
        return describe(g, box.x(), box.y(), box.width(), box.height());
    }

    /** The descriptor of the face in box (x, y, w, h) of a gray picture. */
    public synchronized Descriptor describe(GrayImage gray, int x, int y, int w, int h) {
        int side = Math.max(w, h);
        int sx = x + w / 2 - side / 2;
        int sy = y + h / 2 - side / 2;
        gray.cropClamped(sx, sy, side, side, crop);
        input.reshape(SIZE, SIZE);
        Resize.bilinear(crop, input, resizer);
        byte[] px = input.pixels();
        for (int i = 0; i < in.length; i++) {
            in[i] = px[i] & 0xFF;
        }
        executor.run(in, out);
        short[] q = new short[out.length];
        for (int i = 0; i < out.length; i++) {
            long v = Math.round(out[i] * 1024.0);
            q[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
        return new Descriptor.Int16(q);
    }
}
