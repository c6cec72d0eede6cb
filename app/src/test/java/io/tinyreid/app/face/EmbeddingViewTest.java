package io.tinyreid.app.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.photo.DecodedPhoto;
import io.tinyreid.app.photo.PhotoDecoder;
import io.tinyreid.app.photo.PhotoLimits;
import io.tinyreid.nn.runtime.Mode;
import io.tinyreid.testing.SharedData;
import io.tinyreid.testing.WrapGolden;

/**
 * The embedding views against the plain path fed by hand: test-time flip is the mean of the plain
 * descriptors of the photo and of its mirror image (mirrored here pixel by pixel), a crop scale is
 * the plain descriptor of a box enlarged by hand about the same centre.
 */
class EmbeddingViewTest {
    static FaceReidEmbedder net;
    static final PhotoDecoder DECODER = new PhotoDecoder(PhotoLimits.DEFAULT);

    @BeforeAll
    static void load(@TempDir Path models) throws Exception {
        net = FaceReidEmbedder.open(FaceReidEmbedder.compile(SharedData.require("models/facereid/quantized_model"),
                models.resolve("facereid.tinyreid")), Mode.EXACT);
    }

    @AfterAll
    static void close() {
        net.close();
    }

    /** The mirror image, sample by sample in the photo's own colour model (getRGB would convert gray to sRGB). */
    static BufferedImage mirrored(BufferedImage img) {
        var raster = img.getColorModel().createCompatibleWritableRaster(img.getWidth(), img.getHeight());
        int[] px = new int[img.getRaster().getNumBands()];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                raster.setPixel(img.getWidth() - 1 - x, y, img.getRaster().getPixel(x, y, px));
            }
        }
        return new BufferedImage(img.getColorModel(), raster, img.isAlphaPremultiplied(), null);
    }

    @Test
    void flipIsTheMeanOfThePhotoAndItsMirrorImage() throws Exception {
        int checked = 0;
        EmbeddingView flip = new EmbeddingView(1.0, true);
        for (WrapGolden.Face f : WrapGolden.withDevice()) { // 128x128 device crops: the network input is the photo itself
            DecodedPhoto p = DECODER.decode(f.file().getFileName().toString(), Files.readAllBytes(f.file()));
            FaceBox whole = new FaceBox(0, 0, 128, 128, 1);
            short[] a = ((Descriptor.Int16) net.embed(p.image(), whole, EmbeddingView.PLAIN)).values();
            short[] b = ((Descriptor.Int16) net.embed(mirrored(p.image()), whole, EmbeddingView.PLAIN)).values();
            short[] both = ((Descriptor.Int16) net.embed(p.image(), whole, flip)).values();
            int differ = 0;
            for (int i = 0; i < a.length; i++) {
                // both sides are Q10 values; their mean rounds half up (what the frame loop and the firmware compute)
                assertEquals((int) Math.floor((a[i] + b[i]) / 2.0 + 0.5), both[i], f.name() + " component " + i);
                differ += a[i] != both[i] ? 1 : 0;
            }
            assertTrue(differ > 50, f.name() + ": flip changed only " + differ + " components"); // many outputs are 0 after ReLU
            checked++;
        }
        assertTrue(checked >= 4, "wrap goldens checked: " + checked);
    }

    @Test
    void theProductsViewIsEachModelsDescriptorView() {
        // descriptors are stored under the model's view: the embedders must look through that view
        assertEquals(new EmbeddingView(1.0, true), EmbeddingView.of(FaceModel.FACEREID));
        assertEquals(new EmbeddingView(1.0, true), EmbeddingView.of(FaceModel.DLIB_RESNET));
        assertEquals(EmbeddingView.of(FaceModel.FACEREID), net.view());
    }

    @Test
    void cropScaleIsTheBoxEnlargedAboutItsCentre() throws Exception {
        DecodedPhoto p = DECODER.decode("lfw.jpg", Files.readAllBytes(
                SharedData.require("data/lfw-dev/images/Kate_Hudson/Kate_Hudson_0002.jpg")));
        FaceBox box = new FaceBox(81, 77, 96, 96, 1);
        for (double scale : new double[] {0.9, 1.15, 1.3}) {
            int side = (int) Math.round(96 * scale);
            FaceBox enlarged = new FaceBox(81 + 48 - side / 2, 77 + 48 - side / 2, side, side, 1);
            assertEquals(net.embed(p.image(), enlarged, EmbeddingView.PLAIN),
                    net.embed(p.image(), box, new EmbeddingView(scale, false)), "crop scale " + scale);
        }
        assertTrue(!net.embed(p.image(), box, EmbeddingView.PLAIN).equals(net.embed(p.image(), box, new EmbeddingView(1.15, false))));
    }

    @Test
    void viewsReadBackFromTheirNamesAndBadNamesAreRefused() {
        for (String s : new String[] {"plain", "flip", "crop1.15", "crop1.15+flip", "crop0.9"}) {
            assertEquals(s, EmbeddingView.parse(s).id());
        }
        assertEquals(new EmbeddingView(1.3, true), EmbeddingView.parse("flip+crop1.3"));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingView.parse("mirror"));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingView.parse("crop9"));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingView.parse("cropx"));
    }
}
