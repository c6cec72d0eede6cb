package io.tinyreid.app.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.OptionalInt;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tinyreid.app.budget.DoorbellBudget;
import io.tinyreid.app.budget.DoorbellLayout;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.testing.SharedData;

/**
 * The largest gallery {@link GalleryCapacity} finds is checked against the real FaceReID doorbell
 * plan at the edge: a budget of exactly the plan's peak for N descriptors holds N and not N + 1,
 * one byte less holds N - 1.
 */
class GalleryCapacityTest {
    private String savedCache;

    @BeforeEach
    void useSharedModels() {
        savedCache = System.getProperty("tinyreid.cache");
        System.setProperty("tinyreid.cache", SharedData.require("models").toString());
    }

    @AfterEach
    void restore() {
        if (savedCache == null) {
            System.clearProperty("tinyreid.cache");
        } else {
            System.setProperty("tinyreid.cache", savedCache);
        }
    }

    @Test
    void theLargestGalleryIsFoundOnTheRealPlanToTheByte() {
        Engines engines = new Engines(ModelCache.standard());
        DoorbellBudget.Display gray = DoorbellBudget.Display.GRAY;
        long peak37 = engines.plan(FaceModel.FACEREID, gray, 37, 1L << 30).orElseThrow().peak();

        GalleryCapacity exact = new GalleryCapacity(engines::plan, gray, peak37);
        assertEquals(OptionalInt.of(37), exact.maxDescriptors(FaceModel.FACEREID));
        assertTrue(exact.fits(FaceModel.FACEREID, 37));
        assertFalse(exact.fits(FaceModel.FACEREID, 38));

        GalleryCapacity oneShort = new GalleryCapacity(engines::plan, gray, peak37 - 1);
        assertEquals(OptionalInt.of(36), oneShort.maxDescriptors(FaceModel.FACEREID));

        // the default 512 KiB doorbell: the answer fits, one more does not
        GalleryCapacity standard = new GalleryCapacity(engines::plan, gray, 512 * 1024);
        int max = standard.maxDescriptors(FaceModel.FACEREID).orElseThrow();
        assertTrue(max > 0, "a 512 KiB doorbell holds some people: " + max);
        DoorbellLayout at = engines.plan(FaceModel.FACEREID, gray, max, 512 * 1024).orElseThrow();
        DoorbellLayout over = engines.plan(FaceModel.FACEREID, gray, max + 1, 512 * 1024).orElseThrow();
        assertTrue(at.fits() && !over.fits(), at.peak() + " / " + over.peak());

        // a budget the frame loop alone overflows
        assertEquals(OptionalInt.of(-1), new GalleryCapacity(engines::plan, gray, 100 * 1024).maxDescriptors(FaceModel.FACEREID));
    }
}
