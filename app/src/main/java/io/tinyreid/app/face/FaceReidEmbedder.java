package io.tinyreid.app.face;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.tinyreid.nn.importer.FaceReidImporter;
import io.tinyreid.nn.runtime.CompiledModel;
import io.tinyreid.nn.runtime.Mode;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.Resize;

/**
 * The reference FaceReID network as a {@link FaceEmbedder}: the face box (made square, clamped to
 * the photo) cut from the gray photo, bilinear to 128x128 (no alignment, as on the device), run by
 * nn's compiled model (planned 512 KiB arena, streamed weights; {@link Mode#EXACT} reproduces the
 * GAP8 bit for bit), the 512 outputs as the device's int16 Q10 values.
 */
public final class FaceReidEmbedder implements FaceEmbedder, AutoCloseable {
    private static final int SIDE = FaceReidImporter.INPUT_SIZE;
    private static final int Q10 = 1 << 10;

    private final CompiledModel net;
    private final float[] input = new float[SIDE * SIDE];
    private final float[] output;
    private final float[] mirrored;
    private EmbeddingView view = EmbeddingView.of(FaceModel.FACEREID); // the product's: see FaceModel
    private final GrayImage crop = new GrayImage(SIDE, SIDE);
    private final GrayImage scaled = new GrayImage(SIDE, SIDE);

    public FaceReidEmbedder(CompiledModel net) {
        this.net = net;
        if (net.input().size() != SIDE * SIDE || net.descriptorLength() != FaceModel.FACEREID.dimension()) {
            throw new IllegalArgumentException("not the FaceReID network: input " + net.input().size()
                    + " values, descriptor " + net.descriptorLength());
        }
        this.output = new float[net.descriptorLength()];
        this.mirrored = new float[net.descriptorLength()];
    }

    /** Opens a FaceReID model file ({@code tinyreid model import facereid}) in {@code mode}. */
    public static FaceReidEmbedder open(Path modelFile, Mode mode) {
        return new FaceReidEmbedder(CompiledModel.open(modelFile, mode));
    }

    /**
     * Writes the model file for the layer files in {@code quantizedModelDir} to {@code modelFile}
     * unless it is already there (atomically, so a crash never leaves half a file).
     */
    public static Path compile(Path quantizedModelDir, Path modelFile) throws IOException {
        if (Files.isRegularFile(modelFile)) {
            return modelFile;
        }
        Files.createDirectories(modelFile.toAbsolutePath().getParent());
        Path tmp = modelFile.resolveSibling(modelFile.getFileName() + ".partial");
        ModelFile.write(FaceReidImporter.load(quantizedModelDir), tmp);
        ModelFile.open(tmp); // verifies what was written
        Files.move(tmp, modelFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return modelFile;
    }

    @Override
    public FaceModel model() {
        return FaceModel.FACEREID;
    }

    /** The view {@link #embed(BufferedImage, FaceBox)} uses from now on. */
    public synchronized void view(EmbeddingView v) {
        this.view = v;
    }

    @Override
    public synchronized EmbeddingView view() {
        return view;
    }

    @Override
    public synchronized Descriptor embed(BufferedImage photo, FaceBox box) {
        return embed(Pictures.gray(photo), box.x(), box.y(), box.width(), box.height(), view);
    }

    @Override
    public synchronized Descriptor embed(BufferedImage photo, FaceBox box, EmbeddingView v) {
        return embed(Pictures.gray(photo), box.x(), box.y(), box.width(), box.height(), v);
    }

    /** The descriptor of box (x, y, w, h) of a gray picture, through this embedder's view. */
    public synchronized Descriptor embed(GrayImage gray, int x, int y, int w, int h) {
        return embed(gray, x, y, w, h, view);
    }

    /** The descriptor of box (x, y, w, h) of a gray picture through {@code v}. */
    public synchronized Descriptor embed(GrayImage gray, int x, int y, int w, int h, EmbeddingView v) {
        int boxSide = (int) Math.round(Math.max(w, h) * v.cropScale());
        int side = Math.min(boxSide, Math.min(gray.width(), gray.height()));
        int x0 = Math.clamp(x + w / 2 - side / 2, 0, gray.width() - side);
        int y0 = Math.clamp(y + h / 2 - side / 2, 0, gray.height() - side);
        gray.crop(x0, y0, side, side, crop);
        Resize.bilinear(crop, scaled);
        byte[] px = scaled.pixels();
        for (int i = 0; i < px.length; i++) {
            input[i] = px[i] & 0xFF;
        }
        net.embed(input, output);
        if (v.mirrorAverage()) {
            PlanarMirror.mirror(input, SIDE);
            net.embed(input, mirrored);
            PlanarMirror.average(output, mirrored);
        }
        short[] q = new short[output.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = (short) Math.clamp(Math.round(output[i] * Q10), Short.MIN_VALUE, Short.MAX_VALUE);
        }
        return new Descriptor.Int16(q);
    }

    @Override
    public synchronized void close() {
        net.close();
    }
}
