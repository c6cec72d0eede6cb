package io.tinyreid.app.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.tinyreid.app.events.EventKind;
import io.tinyreid.app.events.NewEvent;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.EnrolReport;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.gallery.Progress;
import io.tinyreid.app.testing.ColourCodedEngine;

/**
 * The child process of {@link CrashTest}: writes to a household as fast as it can and prints one
 * line per change after it is committed, until it is killed.
 * Usage: {@code CrashWorker enrol|events DIR FIRST}.
 */
public final class CrashWorker {
    private CrashWorker() {}

    public static void main(String[] args) {
        String mode = args[0];
        Path dir = Path.of(args[1]);
        int first = Integer.parseInt(args[2]);
        ColourCodedEngine faces = new ColourCodedEngine(FaceModel.FACEREID);
        try (Household h = Household.open(new DataDirectory(dir))) {
            System.out.println("ready");
            System.out.flush();
            for (int i = first; ; i++) {
                if (mode.equals("enrol")) {
                    int colour = CrashTest.colour(i);
                    faces.register(colour, StoreFailureTest.descriptor(i));
                    EnrolReport r = h.gallery().enrol(faces.engine(), "Person " + i, List.of(
                            new PhotoInput("a", StoreFailureTest.noisyPhoto(colour)),
                            new PhotoInput("b", ColourCodedEngine.photo(colour, 96, 80))), Progress.NONE);
                    if (r.acceptedCount() != 2) {
                        throw new IllegalStateException("enrolment refused: " + r);
                    }
                    System.out.println("person " + i);
                } else {
                    var e = h.events().append(new NewEvent(Instant.ofEpochMilli(i), EventKind.STRANGER, null, (long) i,
                            "event " + i, i, "facereid", ColourCodedEngine.photo(CrashTest.colour(i), 64, 48)));
                    System.out.println("event " + i + " " + e.id());
                }
                System.out.flush();
            }
        }
    }
}
