package io.tinyreid.app.budget;

import java.util.List;

import io.tinyreid.vision.detect.CascadeDetector;
import io.tinyreid.vision.detect.Detections;

/**
 * What vision's cascade detector holds, read from its own arrays: the packed cascade (resident: the
 * detector needs it every frame), the strip scratch for its largest frame (only while detecting),
 * and the raw detections it returns (until the tracker has read them).
 */
public record DetectorFootprint(CascadeDetector detector, Detections results) implements Footprint {
    @Override
    public List<Region> regions() {
        return List.of(
                Region.resident("packed face cascade", Part.CASCADE, detector.cascade().sizeBytes(), "PackedCascade.sizeBytes()"),
                new Region("detector strip scratch", Part.DETECTOR, detector.scratchBytes(), Phase.DETECT, Phase.DETECT,
                        "CascadeDetector.scratchBytes()"),
                new Region("detections (" + results.capacity() + " boxes)", Part.TRACKER, results.sizeBytes(),
                        Phase.DETECT, Phase.TRACK, "vision Detections.sizeBytes()"));
    }
}
