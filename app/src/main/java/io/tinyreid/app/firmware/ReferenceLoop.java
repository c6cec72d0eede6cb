package io.tinyreid.app.firmware;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.tinyreid.app.engine.FaceReidFrames;
import io.tinyreid.app.engine.FrameLoopFootprint;
import io.tinyreid.app.engine.HaarFrameDetector;
import io.tinyreid.app.face.DescriptorBuffer;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.Gallery;
import io.tinyreid.app.gallery.Match;
import io.tinyreid.app.pipeline.PipelineConfig;
import io.tinyreid.app.source.Frame;
import io.tinyreid.nn.runtime.Mode;
import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.detect.Detections;
import io.tinyreid.vision.detect.FaceDetector;
import io.tinyreid.vision.image.GrayImage;

/**
 * The Java frame loop's components on one frame, as the firmware runs them: the frame detector
 * (vision's detector as {@link HaarFrameDetector} loads and parameterises it), the largest face at
 * least {@link PipelineConfig#minFaceSize()} big, {@link FaceReidFrames}' crop and exact network,
 * and {@link Gallery#identify(DescriptorBuffer, Match)}. The truth {@code firmware check} compares
 * the firmware with. Not thread-safe.
 */
public final class ReferenceLoop implements AutoCloseable {
    private final FaceDetector detector;
    private final FaceReidFrames network;
    private final Gallery gallery;
    private final Detections found = new Detections(FrameLoopFootprint.FRAME_BOXES);
    private final DescriptorBuffer query = new DescriptorBuffer(FaceModel.FACEREID);
    private final Match match = new Match();

    /** The loop with the FaceReID model file {@code model} (exact mode) and the household's gallery. */
    public ReferenceLoop(Path model, Gallery gallery) throws IOException {
        this.detector = FaceDetector.load(CascadeLibrary.DEFAULT_FACE, null, Frame.MAX_WIDTH, Frame.MAX_HEIGHT);
        this.network = FaceReidFrames.open(model, Mode.EXACT);
        this.gallery = gallery;
    }

    /** What the loop says about {@code frame}. */
    public FrameVerdict run(GrayImage frame) {
        detector.detect(frame, HaarFrameDetector.PARAMS, found);
        List<List<Long>> boxes = new ArrayList<>();
        int face = -1;
        int min = PipelineConfig.DEFAULT.minFaceSize();
        for (int i = 0; i < found.size(); i++) {
            int w = found.width(i), h = found.height(i);
            boxes.add(List.of((long) found.x(i), (long) found.y(i), (long) w, (long) h, (long) found.neighbors(i),
                    Integer.toUnsignedLong(Float.floatToRawIntBits(found.score(i)))));
            if (Math.min(w, h) >= min && (face < 0 || w * h > found.width(face) * found.height(face))) {
                face = i;
            }
        }
        if (face < 0) {
            return new FrameVerdict(boxes, found.truncated(), null, null, "none", 0, null);
        }
        int x = found.x(face), y = found.y(face), w = found.width(face), h = found.height(face);
        network.describeInto(frame, x, y, w, h, query.int16());
        String checksum = FrameVerdict.checksum(query.int16());
        gallery.identify(query, match);
        return new FrameVerdict(boxes, found.truncated(), List.of((long) x, (long) y, (long) w, (long) h), checksum,
                match.known() ? "known" : "stranger", match.known() ? match.personId() : 0, FrameVerdict.bits(match.distance()));
    }

    @Override
    public void close() {
        network.close();
    }
}
