package io.tinyreid.app.budget;

import java.util.List;

import io.tinyreid.app.track.Detections;
import io.tinyreid.app.track.IouTracker;

/** The frame loop's tracks (resident: they carry faces from frame to frame) and its per-frame box list. */
public record TrackerFootprint(IouTracker tracker, Detections boxes) implements Footprint {
    @Override
    public List<Region> regions() {
        return List.of(
                Region.resident("tracks (" + tracker.capacity() + " faces)", Part.TRACKER, tracker.sizeBytes(),
                        "IouTracker.sizeBytes()"),
                new Region("frame boxes (" + boxes.capacity() + ")", Part.TRACKER, boxes.sizeBytes(), Phase.DETECT,
                        Phase.TRACK, "track Detections.sizeBytes()"));
    }
}
