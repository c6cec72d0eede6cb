package io.tinyreid.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.display.Scores;
import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.face.FaceEngine;
import io.tinyreid.app.face.FaceEngineSource;
import io.tinyreid.app.face.FaceEngines;
import io.tinyreid.app.gallery.Gallery;
import io.tinyreid.app.gallery.Identification;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.photo.DecodedPhoto;
import io.tinyreid.app.photo.PhotoDecoder;
import io.tinyreid.app.photo.PhotoException;
import io.tinyreid.app.photo.PhotoLimits;
import io.tinyreid.app.store.Household;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tinyreid identify IMAGE...}: who is in these photos (read-only; records nothing). */
@Command(name = "identify", mixinStandardHelpOptions = true,
        description = "Find the faces in photos and say who they are (changes nothing).")
public final class IdentifyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataDirOption data;
    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "photos (files or folders)")
    List<Path> images;

    private final FaceEngineSource engines;

    public IdentifyCommand() {
        this(new FaceEngines());
    }

    /** With another source of detector + network (tests). */
    public IdentifyCommand(FaceEngineSource engines) {
        this.engines = engines;
    }

    /**
     * Background faces (shorter side under this many photo pixels and under half the photo's largest
     * face) are not named: upscaled blur whose descriptors drift towards the middle of face space,
     * close to household templates (two LFW background faces of 50-57 px were named so).
     */
    static final int MIN_FACE_TO_NAME = 80;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return CliSupport.guarded(err, () -> {
            PhotoFiles files = PhotoFiles.read(images, PhotoLimits.DEFAULT);
            try (Household h = data.open()) {
                Gallery g = h.gallery();
                FaceEngine engine = engines.open(g.model());
                CliSupport.embedMissing(g, engine, err);
                PhotoDecoder decoder = new PhotoDecoder(PhotoLimits.DEFAULT);
                int faces = 0;
                int known = 0;
                int skipped = 0;
                for (PhotoFiles.Refused r : files.refused) {
                    out.println(r.label() + ": " + r.reason());
                }
                for (PhotoInput in : files.inputs) {
                    DecodedPhoto photo;
                    try {
                        photo = decoder.decode(in.label(), in.bytes());
                    } catch (PhotoException e) {
                        out.println(e.getMessage());
                        continue;
                    }
                    List<FaceBox> boxes = engine.finder().find(photo.image()).stream()
                            .sorted(Comparator.comparingInt(FaceBox::x)).toList();
                    if (boxes.isEmpty()) {
                        out.println(in.label() + ": no face found");
                        continue;
                    }
                    double scale = (double) photo.width() / photo.image().getWidth();
                    long largest = Math.round(boxes.stream().mapToInt(b -> Math.min(b.width(), b.height())).max().orElse(0) * scale);
                    for (int i = 0; i < boxes.size(); i++) {
                        FaceBox b = boxes.get(i);
                        long side = Math.round(Math.min(b.width(), b.height()) * scale);
                        if (side < MIN_FACE_TO_NAME && side * 2 < largest) {
                            skipped++;
                            out.printf("%s: a %d px face at %d,%d is too small to identify (needs %d px)%n", in.label(), side,
                                    Math.round(b.x() * scale), Math.round(b.y() * scale), MIN_FACE_TO_NAME);
                            continue;
                        }
                        Descriptor d = engine.embedder().embed(photo.image(), b);
                        Identification id = g.identify(d);
                        faces++;
                        String where = String.format("face %d at %d,%d %dx%d", i + 1, Math.round(b.x() * scale),
                                Math.round(b.y() * scale), Math.round(b.width() * scale), Math.round(b.height() * scale));
                        String dist = Scores.distance(id.distance());
                        String limit = Scores.distance(id.threshold());
                        if (id instanceof Identification.Known k) {
                            known++;
                            out.printf("%s: %s: %s (person #%d, similarity %s; distance %s < %s)%n", in.label(), where,
                                    k.name(), k.personId(), Scores.similarity(k.distance()), dist, limit);
                        } else if (Double.isInfinite(id.distance())) {
                            out.printf("%s: %s: unknown (nobody is enrolled)%n", in.label(), where);
                        } else {
                            out.printf("%s: %s: unknown (nearest person: similarity %s; distance %s, needs < %s)%n", in.label(),
                                    where, Scores.similarity(id.distance()), dist, limit);
                        }
                    }
                    out.flush();
                }
                out.printf("%d face(s), %d recognised%s; %s, %d descriptors enrolled (model %s)%n", faces, known,
                        skipped == 0 ? "" : ", " + skipped + " too small skipped", g.strangerRate().describe(),
                        g.descriptorCount(), g.model().id());
                out.flush();
                return files.inputs.isEmpty() ? 1 : 0;
            }
        });
    }
}
