package io.tinyreid.app.gallery;

import java.awt.image.BufferedImage;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.DescriptorBuffer;
import io.tinyreid.app.face.DescriptorFormat;
import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.face.FaceEngine;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.photo.DecodedPhoto;
import io.tinyreid.app.photo.PhotoDecoder;
import io.tinyreid.app.photo.PhotoException;
import io.tinyreid.app.photo.PhotoFormat;
import io.tinyreid.app.settings.Settings;
import io.tinyreid.app.store.Database;
import io.tinyreid.app.store.FileVault;
import io.tinyreid.app.store.StoreException;

/**
 * The household's known people and the strangers seen at the door, with their photos and, per
 * model, their descriptors. Identification is nearest neighbour under the model's threshold over an
 * in-memory index that is rebuilt after every change (and when another process commits).
 *
 * <p>Thread-safe: writes are serialised; {@link #identify} reads an immutable snapshot.
 */
public final class Gallery {
    /** Most photos kept for one stranger (the first sightings; enough to re-embed and to show). */
    public static final int MAX_STRANGER_PHOTOS = 3;
    /** Default cap on the number of strangers (the device kept 10). */
    public static final int DEFAULT_STRANGER_CAP = 50;
    /** Default days after which an unseen stranger is forgotten. */
    public static final int DEFAULT_STRANGER_MAX_AGE_DAYS = 30;
    private static final int MAX_NAME = 64;
    private static final long REFRESH_CHECK_NANOS = 1_000_000_000L;

    private final Database db;
    private final FileVault photos;
    private final Settings settings;
    private final Thresholds thresholds;
    private final OpenSetCalibrations calibrations = OpenSetCalibrations.builtIn();
    private final PhotoDecoder decoder;
    private final Clock clock;
    private final ReentrantLock writeLock = new ReentrantLock();

    private volatile State state;
    private volatile long lastRefreshCheck;

    private record State(FaceModel model, Threshold threshold, DescriptorIndex index, Map<Long, String> names,
                         long dataVersion, OpenSetCalibration calibration, StrangerRate strangerRate, double accept) {}

    /**
     * Margin rule against the second-nearest person: not used (0), since {@code eval openset} showed
     * it does not pay (BENCHMARKS.md, open-set identification).
     */
    static final double MARGIN = 0;

    public Gallery(Database db, FileVault photos, Settings settings, Thresholds thresholds, PhotoDecoder decoder,
                   FaceModel model, Clock clock) {
        this.db = db;
        this.photos = photos;
        this.settings = settings;
        this.thresholds = thresholds;
        this.decoder = decoder;
        this.clock = clock;
        this.state = load(model);
    }

    // ---------------------------------------------------------------- model and threshold

    /** The model whose descriptors identification uses. */
    public FaceModel model() {
        return state.model();
    }

    /** The accept threshold in force for the current model (setting override, else file/built-in default). */
    public Threshold threshold() {
        return state.threshold();
    }

    /** Overrides the current model's threshold (stored in the setting {@code threshold.<model>}). */
    public void setThreshold(double accept) {
        Threshold t = state.threshold();
        new Threshold(t.modelId(), t.metric(), accept, "setting", false); // validates
        settings.set(Settings.THRESHOLD_PREFIX + t.modelId(), Double.toString(accept));
        reload();
    }

    /** Removes the override, returning to the calibrated/default threshold. */
    public void resetThreshold() {
        settings.remove(Settings.THRESHOLD_PREFIX + state.model().id());
        reload();
    }

    /** How often a stranger may be named (the setting {@code strangers.named}; default balanced). */
    public StrangerRate strangerRate() {
        return state.strangerRate();
    }

    /** Sets how often a stranger may be named. */
    public void setStrangerRate(StrangerRate rate) {
        settings.set(Settings.STRANGERS_NAMED, rate.id());
        reload();
    }

    /**
     * The accept distance people are named under now: the current model's open-set calibration at
     * {@link #strangerRate()} for the number of templates enrolled.
     */
    public double acceptDistance() {
        return state.accept();
    }

    /** How enrolled photos map to the descriptors identification compares (the calibration's rule). */
    public TemplateRule templateRule() {
        return state.calibration().rule();
    }

    /** The accept distance a household of {@code templates} templates would get at the current stranger rate. */
    public double acceptDistanceFor(int templates) {
        State s = state;
        return s.calibration().acceptDistance(templates, s.strangerRate());
    }

    /** Share of different-person pairs allowed closer than {@link #differentFaceDistance()}. */
    static final double DIFFERENT_FACE_RATE = 0.05;

    /**
     * The unit distance beyond which two descriptors are taken for two different faces: in the current
     * model's calibration (LFW dev) 95% of stranger-template pairs lie farther apart, and never less
     * than the accept distance (what would be named the same person is not "someone else"). The frame
     * loop ends a track whose face moved this far from its previous descriptor.
     */
    public double differentFaceDistance() {
        State s = state;
        return Math.max(s.calibration().distanceAtRate(DIFFERENT_FACE_RATE), s.accept());
    }

    // ---------------------------------------------------------------- identification

    /** Who {@code descriptor} (of the current model) is, or that nobody near enough is enrolled. */
    public Identification identify(Descriptor descriptor) {
        State s = current();
        requireModel(s.model(), descriptor);
        Match m = new Match();
        s.index().nearestPerson(DescriptorIndex.unit(descriptor), s.accept(), MARGIN, m);
        return m.toIdentification();
    }

    /**
     * {@link #identify(Descriptor)} for the frame loop: the same answer into a reusable holder,
     * allocating nothing. It reads the in-memory index as it is and does not look for other
     * processes' changes (that takes a database query): call {@link #checkForChanges()} off the
     * frame loop (the event writer's thread does).
     */
    public void identify(DescriptorBuffer descriptor, Match out) {
        State s = state;
        if (!descriptor.model().equals(s.model())) {
            throw new StoreException(StoreException.Reason.INVALID, "descriptor of model " + descriptor.model().id()
                    + " given to the " + s.model().id() + " gallery");
        }
        short[] unit = out.unitScratch(descriptor.model().dimension());
        if (descriptor.model().format() == DescriptorFormat.INT16) {
            UnitVectors.fromInt16(descriptor.int16(), unit);
        } else {
            UnitVectors.fromFloat(descriptor.float32(), unit);
        }
        s.index().nearestPerson(unit, s.accept(), MARGIN, out);
    }

    /** {@link #identify(DescriptorBuffer, Match)} of a Q14 unit vector of the gallery's model (a visit's mean); allocates nothing. */
    public void identifyUnit(short[] unit, Match out) {
        State s = state;
        if (unit.length != s.model().dimension()) {
            throw new StoreException(StoreException.Reason.INVALID, "unit vector of " + unit.length + " components given to the "
                    + s.model().id() + " gallery");
        }
        s.index().nearestPerson(unit, s.accept(), MARGIN, out);
    }

    /**
     * What {@link #identify(DescriptorBuffer, Match)} decides with, as data: the people's templates,
     * their owners, the accept distance in force and the margin (the firmware's gallery is this, so its
     * decision is the product's without re-deriving the rule).
     */
    public DecisionData decisionData() {
        State s = current();
        return s.index().decisionData(s.accept(), MARGIN);
    }

    /** Reloads the index when another process changed the household (checked at most once a second). */
    public void checkForChanges() {
        current();
    }

    /**
     * Descriptors the current model's index holds, for the memory budget: one template per person
     * ({@link TemplateRule#MEAN}: the mean of the person's photos, 1 KiB for FaceReID, as on the
     * reference device) plus each stranger's descriptors. {@link #templateRule()} says what an
     * enrolment adds ({@link TemplateRule#descriptorsFor}).
     */
    public int descriptorCount() {
        return state.index().size();
    }

    // ---------------------------------------------------------------- people

    /** Everyone enrolled, by name. */
    public List<Person> people() {
        return db.read("listing people", c -> {
            List<Person> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT p.id, p.name, p.created_at, (SELECT COUNT(*) FROM photos f WHERE f.person_id = p.id)
                    FROM people p ORDER BY p.name COLLATE NOCASE""");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Person(rs.getLong(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getInt(4)));
                }
            }
            return out;
        });
    }

    /** The person with {@code id}, if any. */
    public Optional<Person> person(long id) {
        return people().stream().filter(p -> p.id() == id).findFirst();
    }

    /** The person called {@code name} (case-insensitive), if any. */
    public Optional<Person> personNamed(String name) {
        String n = name == null ? "" : name.trim();
        return people().stream().filter(p -> p.name().equalsIgnoreCase(n)).findFirst();
    }

    /**
     * Enrols photos for the person called {@code name}, creating the person with the first photo
     * that is accepted (an existing person of that name gets the photos added). Each photo is
     * committed on its own, so work done before a crash is kept. Photos without exactly one clear
     * face, corrupt or too large are refused with a reason; the others still count.
     */
    public EnrolReport enrol(FaceEngine engine, String name, List<PhotoInput> inputs, Progress progress) {
        String clean = checkName(name);
        FaceModel m = engine.model();
        requireSameModel(m);
        List<EnrolReport.Outcome> outcomes = new ArrayList<>();
        Long personId = personNamed(clean).map(Person::id).orElse(null);
        int done = 0;
        for (PhotoInput in : inputs) {
            String label = in.label();
            try {
                DecodedPhoto photo = decoder.decode(label, in.bytes());
                byte[] kept = photo.imageBytes(in.bytes()); // junk appended after the image is not kept
                Optional<StoredCopy> copy = storedCopy(sha256Of(kept));
                if (copy.isPresent()) {
                    outcomes.add(EnrolReport.Outcome.alreadyStored(label, copy.get().personId(), label
                            + ": the same photo is already enrolled for " + copy.get().owner() + "; it is not stored again"));
                    progress.update(++done, inputs.size(), label);
                    continue;
                }
                FaceBox face = chooseEnrolmentFace(label, engine.finder().find(photo.image()), photo);
                Descriptor d = engine.embedder().embed(photo.image(), face);
                requireModel(m, d);
                FaceBox original = toOriginal(face, photo);
                Long known = personId;
                long photoId = writePhoto(kept, photo.format(), photo.width(), photo.height(), original, d, m,
                        c -> known != null ? known : insertPerson(c, clean), null);
                if (personId == null) {
                    personId = personNamed(clean).map(Person::id).orElseThrow();
                }
                String warning = io.tinyreid.app.quality.EnrolmentQuality.warning(photo.image(), face);
                outcomes.add(warning == null ? EnrolReport.Outcome.accepted(label, photoId)
                        : EnrolReport.Outcome.acceptedWithWarning(label, photoId, warning));
            } catch (PhotoException e) {
                outcomes.add(EnrolReport.Outcome.refused(label, e.getMessage()));
            }
            progress.update(++done, inputs.size(), label);
        }
        reload();
        Person person = personId == null ? null : person(personId).orElse(null);
        return new EnrolReport(person, List.copyOf(outcomes));
    }

    // The same photo twice would count twice in the template and the budget, and fill the disk.
    private record StoredCopy(long personId, String owner) {
    }

    private Optional<StoredCopy> storedCopy(String sha256) {
        return db.read("looking for the same photo", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT f.id, p.name, p.id FROM photos f JOIN people p ON p.id = f.person_id WHERE f.sha256 = ? LIMIT 1""")) {
                ps.setString(1, sha256);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new StoredCopy(rs.getLong(3), rs.getString(2) + " (photo #" + rs.getLong(1) + ")"))
                            : Optional.<StoredCopy>empty();
                }
            }
        });
    }

    /** Renames a person; refuses a name another person already has. */
    public Person rename(long personId, String newName) {
        String clean = checkName(newName);
        lockedWrite("renaming a person", c -> {
            requirePerson(c, personId);
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM people WHERE name = ? COLLATE NOCASE AND id <> ?")) {
                ps.setString(1, clean);
                ps.setLong(2, personId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw new StoreException(StoreException.Reason.INVALID, "someone is already called '" + clean + "'");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE people SET name = ? WHERE id = ?")) {
                ps.setString(1, clean);
                ps.setLong(2, personId);
                ps.executeUpdate();
            }
            return null;
        });
        reload();
        return person(personId).orElseThrow();
    }

    /** Removes a person with their photos and descriptors (their past events stay, unlinked). */
    public void removePerson(long personId) {
        List<String> files = lockedWrite("removing a person", c -> {
            requirePerson(c, personId);
            List<String> f = filesWhere(c, "person_id = ?", personId);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM people WHERE id = ?")) {
                ps.setLong(1, personId);
                ps.executeUpdate();
            }
            return f;
        });
        files.forEach(photos::delete);
        reload();
    }

    /** The photos of a person, oldest first. */
    public List<StoredPhoto> photosOf(long personId) {
        return db.read("listing photos", c -> photosWhere(c, "person_id = ?", personId));
    }

    /** A stored photo's metadata. */
    public Optional<StoredPhoto> photo(long photoId) {
        return db.read("reading a photo", c -> photosWhere(c, "id = ?", photoId)).stream().findFirst();
    }

    /** The encoded bytes of a stored photo (JPEG/PNG/PGM as enrolled). */
    public byte[] photoBytes(long photoId) {
        String file = db.read("reading a photo", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT file FROM photos WHERE id = ?")) {
                ps.setLong(1, photoId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new StoreException(StoreException.Reason.INVALID, "no photo #" + photoId);
                    }
                    return rs.getString(1);
                }
            }
        });
        return photos.read(file);
    }

    /** Removes one photo (and its descriptors). */
    public void removePhoto(long photoId) {
        List<String> files = lockedWrite("removing a photo", c -> {
            List<String> f = filesWhere(c, "id = ?", photoId);
            if (f.isEmpty()) {
                throw new StoreException(StoreException.Reason.INVALID, "no photo #" + photoId);
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM photos WHERE id = ?")) {
                ps.setLong(1, photoId);
                ps.executeUpdate();
            }
            return f;
        });
        files.forEach(photos::delete);
        reload();
    }

    // ---------------------------------------------------------------- strangers

    /**
     * Records a sighting of an unknown face: it joins the stranger it matches (several matching
     * strangers are merged into the oldest), or becomes a new stranger. Then strangers past the
     * age limit are forgotten and the least recently seen beyond the cap dropped.
     */
    public StrangerSighting recordStranger(Descriptor descriptor, FacePhoto photo) {
        State s = current();
        FaceModel m = s.model();
        requireModel(m, descriptor);
        DecodedPhoto decoded;
        try {
            decoded = decoder.decode("stranger photo", photo.encoded());
        } catch (PhotoException e) {
            throw new StoreException(StoreException.Reason.INVALID, e.getMessage(), e);
        }
        if (!photo.face().fitsIn(decoded.width(), decoded.height())) {
            throw new StoreException(StoreException.Reason.INVALID, "stranger face box lies outside its photo");
        }
        Instant now = clock.instant();
        List<DescriptorIndex.Nearest> matches = s.index().strangersWithin(descriptor, s.threshold());
        long strangerId;
        boolean isNew = matches.isEmpty();
        double distance = isNew ? Double.POSITIVE_INFINITY : matches.getFirst().distance();
        writeLock.lock();
        try {
            if (isNew) {
                long[] created = new long[1];
                writePhoto(photo.encoded(), decoded.format(), decoded.width(), decoded.height(), photo.face(), descriptor, m,
                        null, c -> {
                            created[0] = insertStranger(c, now);
                            return created[0];
                        });
                strangerId = created[0];
            } else {
                List<Long> ids = matches.stream().map(n -> n.entry().strangerId()).distinct().sorted().toList();
                long target = ids.getFirst();
                strangerId = target;
                int photoCount = db.write("recording a stranger sighting", c -> {
                    for (long other : ids.subList(1, ids.size())) {
                        mergeStranger(c, other, target);
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE strangers SET last_seen = MAX(last_seen, ?), sightings = sightings + 1 WHERE id = ?")) {
                        ps.setLong(1, now.toEpochMilli());
                        ps.setLong(2, target);
                        if (ps.executeUpdate() != 1) {
                            throw new StoreException(StoreException.Reason.INVALID, "stranger #" + target + " vanished");
                        }
                    }
                    return countWhere(c, "SELECT COUNT(*) FROM photos WHERE stranger_id = ?", target);
                });
                if (photoCount < MAX_STRANGER_PHOTOS) {
                    writePhoto(photo.encoded(), decoded.format(), decoded.width(), decoded.height(), photo.face(),
                            descriptor, m, null, c -> target);
                }
            }
            forgetOldStrangers(now);
        } finally {
            writeLock.unlock();
        }
        reload();
        Stranger st = stranger(strangerId).orElseThrow(() ->
                new StoreException(StoreException.Reason.INVALID, "stranger was dropped by the cap immediately"));
        return new StrangerSighting(st, isNew, distance);
    }

    /** Strangers, most recently seen first. */
    public List<Stranger> strangers() {
        return db.read("listing strangers", c -> strangersWhere(c, "1 = 1", null));
    }

    /** One stranger. */
    public Optional<Stranger> stranger(long id) {
        return db.read("reading a stranger", c -> strangersWhere(c, "s.id = ?", id)).stream().findFirst();
    }

    /**
     * Names a stranger: their photos and descriptors move to the person called {@code name}
     * (created if nobody has that name, otherwise added to them), and their past events are linked
     * to that person.
     */
    public Person nameStranger(long strangerId, String name) {
        String clean = checkName(name);
        long personId = lockedWrite("naming a stranger", c -> {
            requireStranger(c, strangerId);
            long pid;
            Optional<Long> existing = personIdNamed(c, clean);
            pid = existing.isPresent() ? existing.get() : insertPerson(c, clean);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE photos SET person_id = ?, stranger_id = NULL WHERE stranger_id = ?")) {
                ps.setLong(1, pid);
                ps.setLong(2, strangerId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE events SET person_id = ? WHERE stranger_id = ?")) {
                ps.setLong(1, pid);
                ps.setLong(2, strangerId);
                ps.executeUpdate();
            }
            deleteStrangerRow(c, strangerId);
            return pid;
        });
        reload();
        return person(personId).orElseThrow();
    }

    /** Forgets a stranger and their photos (events that mention them stay). */
    public void dismissStranger(long strangerId) {
        List<String> files = lockedWrite("dismissing a stranger", c -> {
            requireStranger(c, strangerId);
            List<String> f = filesWhere(c, "stranger_id = ?", strangerId);
            deleteStrangerRow(c, strangerId);
            return f;
        });
        files.forEach(photos::delete);
        reload();
    }

    // ---------------------------------------------------------------- models

    /**
     * Embeds, with {@code engine}'s model, every stored photo that has no descriptor for it yet
     * (people's and strangers'), reporting progress; each photo is committed on its own.
     */
    public ReembedReport reembed(FaceEngine engine, Progress progress) {
        FaceModel m = engine.model();
        List<StoredPhoto> todo = db.read("finding photos to embed", c -> {
            List<StoredPhoto> out = new ArrayList<>();
            for (StoredPhoto p : photosWhere(c, "1 = 1", null)) {
                if (countWhere2(c, p.id(), m.descriptorKey()) == 0) {
                    out.add(p);
                }
            }
            return out;
        });
        int total = db.read("counting photos", c -> countWhere(c, "SELECT COUNT(*) FROM photos", null));
        List<String> failures = new ArrayList<>();
        int embedded = 0;
        int done = 0;
        for (StoredPhoto p : todo) {
            String label = "photo #" + p.id();
            try {
                DecodedPhoto decoded = decoder.decode(label, photoBytes(p.id()));
                FaceBox face = toDecoded(p.face(), decoded);
                Descriptor d = engine.embedder().embed(decoded.image(), face);
                requireModel(m, d);
                lockedWrite("storing a descriptor", c -> {
                    insertDescriptor(c, p.id(), m, d);
                    return null;
                });
                embedded++;
            } catch (PhotoException | StoreException e) {
                failures.add(label + ": " + e.getMessage());
            }
            progress.update(++done, todo.size(), label);
        }
        reload();
        return new ReembedReport(m.id(), embedded, total - todo.size(), List.copyOf(failures));
    }

    /**
     * Stored photos without a descriptor of the current model's view (e.g. embedded by an older version
     * with another view): they identify nobody until {@link #reembed} computes them.
     */
    public int photosWithoutDescriptor() {
        String key = state.model().descriptorKey();
        return db.read("counting photos to embed", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT COUNT(*) FROM photos p WHERE NOT EXISTS
                        (SELECT 1 FROM descriptors d WHERE d.photo_id = p.id AND d.model_id = ?)""")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** Re-embeds for {@code engine}'s model, then makes it the active model (setting {@code model}). */
    public ReembedReport switchModel(FaceEngine engine, Progress progress) {
        ReembedReport report = reembed(engine, progress);
        settings.set(Settings.MODEL, engine.model().id());
        state = load(engine.model());
        return report;
    }

    /** Drops descriptors of models other than the current one (after a switch, to save space). */
    public int forgetOtherModels() {
        String keep = state.model().descriptorKey();
        int n = lockedWrite("removing descriptors of other models", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM descriptors WHERE model_id <> ?")) {
                ps.setString(1, keep);
                return ps.executeUpdate();
            }
        });
        reload();
        return n;
    }

    /** Rebuilds the in-memory index from the database (after changes made elsewhere). */
    public void reload() {
        state = load(state.model());
    }

    // ---------------------------------------------------------------- internals

    private State current() {
        long now = System.nanoTime();
        if (now - lastRefreshCheck > REFRESH_CHECK_NANOS) {
            lastRefreshCheck = now;
            if (db.dataVersion() != state.dataVersion()) {
                reload(); // another process (e.g. 'tinyreid people add') changed the household
            }
        }
        return state;
    }

    private State load(FaceModel model) {
        Threshold t = effectiveThreshold(model);
        OpenSetCalibration base = calibrations.find(model.id()).orElseThrow(() -> new StoreException(
                StoreException.Reason.INVALID, "no open-set calibration is shipped for model " + model.id()));
        StrangerRate rate;
        try {
            rate = StrangerRate.parse(settings.get(Settings.STRANGERS_NAMED, StrangerRate.DEFAULT.id()));
        } catch (IllegalArgumentException e) {
            throw new StoreException(StoreException.Reason.INVALID, "setting " + Settings.STRANGERS_NAMED + ": " + e.getMessage());
        }
        return db.read("loading the gallery", c -> {
            long version;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA data_version")) {
                rs.next();
                version = rs.getLong(1);
            }
            Map<Long, String> names = new HashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, name FROM people")) {
                while (rs.next()) {
                    names.put(rs.getLong(1), rs.getString(2));
                }
            }
            List<DescriptorIndex.Entry> entries = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT p.id, p.person_id, p.stranger_id, d.format, d.data
                    FROM descriptors d JOIN photos p ON p.id = d.photo_id WHERE d.model_id = ?""")) {
                ps.setString(1, model.descriptorKey());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Descriptor d = Descriptor.fromBytes(DescriptorFormat.valueOf(rs.getString(4)), rs.getBytes(5));
                        if (!model.accepts(d)) {
                            throw new StoreException(StoreException.Reason.CORRUPT, "stored descriptor of photo #"
                                    + rs.getLong(1) + " does not fit model " + model.id());
                        }
                        long pid = rs.getLong(2);
                        Long person = rs.wasNull() ? null : pid;
                        long sid = rs.getLong(3);
                        Long stranger = rs.wasNull() ? null : sid;
                        entries.add(new DescriptorIndex.Entry(rs.getLong(1), person, stranger, d));
                    }
                }
            }
            // Every shipped k<photos> calibration of a model is made with the same cohort (or none).
            DescriptorIndex index = new DescriptorIndex(model.metric(), entries, names, base.rule(),
                    calibrations.cohortFor(base).orElse(null));
            // Templates of more photos draw strangers closer: the line follows the most photos anyone has.
            OpenSetCalibration cal = calibrations.find(model.id(), index.mostPhotos()).orElse(base);
            return new State(model, t, index, Map.copyOf(names), version, cal, rate,
                    cal.acceptDistance(index.templateCount(), rate));
        });
    }

    private Threshold effectiveThreshold(FaceModel model) {
        Optional<String> override = settings.get(Settings.THRESHOLD_PREFIX + model.id());
        if (override.isPresent()) {
            try {
                return new Threshold(model.id(), model.metric(), Double.parseDouble(override.get().trim()),
                        "setting " + Settings.THRESHOLD_PREFIX + model.id(), false);
            } catch (IllegalArgumentException e) {
                throw new StoreException(StoreException.Reason.INVALID, "setting " + Settings.THRESHOLD_PREFIX
                        + model.id() + " = '" + override.get() + "' is not a positive number");
            }
        }
        return thresholds.forModel(model);
    }

    /**
     * Stores a photo file and, in one transaction, its row (owned by the person or stranger that
     * {@code owner} returns) and its descriptor. The file is written first; if the transaction
     * fails it is deleted again, and a crash in between leaves only an orphan file that is swept.
     */
    private long writePhoto(byte[] bytes, PhotoFormat format, int width, int height, FaceBox face, Descriptor d,
                            FaceModel m, OwnerWork person, OwnerWork stranger) {
        String sha = sha256Of(bytes);
        String file = photos.store(bytes, format.extension());
        try {
            return lockedWrite("storing a photo", c -> {
                Long pid = person == null ? null : person.owner(c);
                Long sid = stranger == null ? null : stranger.owner(c);
                long photoId;
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO photos(person_id, stranger_id, file, sha256, format, width, height,
                                           box_x, box_y, box_w, box_h, added_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                    ps.setObject(1, pid);
                    ps.setObject(2, sid);
                    ps.setString(3, file);
                    ps.setString(4, sha);
                    ps.setString(5, format.name());
                    ps.setInt(6, width);
                    ps.setInt(7, height);
                    ps.setInt(8, face.x());
                    ps.setInt(9, face.y());
                    ps.setInt(10, face.width());
                    ps.setInt(11, face.height());
                    ps.setLong(12, clock.millis());
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        photoId = keys.getLong(1);
                    }
                }
                insertDescriptor(c, photoId, m, d);
                return photoId;
            });
        } catch (RuntimeException e) {
            photos.delete(file);
            throw e;
        }
    }

    @FunctionalInterface
    private interface OwnerWork {
        long owner(Connection c) throws SQLException;
    }

    private <T> T lockedWrite(String doing, io.tinyreid.app.store.SqlWork<T> work) {
        writeLock.lock();
        try {
            return db.write(doing, work);
        } finally {
            writeLock.unlock();
        }
    }

    private static void insertDescriptor(Connection c, long photoId, FaceModel m, Descriptor d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR REPLACE INTO descriptors(photo_id, model_id, format, data) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, photoId);
            ps.setString(2, m.descriptorKey());
            ps.setString(3, d.format().name());
            ps.setBytes(4, d.toBytes());
            ps.executeUpdate();
        }
    }

    private long insertPerson(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO people(name, created_at) VALUES (?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, name);
            ps.setLong(2, clock.millis());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static long insertStranger(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO strangers(first_seen, last_seen, sightings) VALUES (?, ?, 1)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, now.toEpochMilli());
            ps.setLong(2, now.toEpochMilli());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static void mergeStranger(Connection c, long from, long into) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE strangers SET
                  first_seen = MIN(first_seen, (SELECT first_seen FROM strangers WHERE id = ?1)),
                  last_seen = MAX(last_seen, (SELECT last_seen FROM strangers WHERE id = ?1)),
                  sightings = sightings + (SELECT sightings FROM strangers WHERE id = ?1)
                WHERE id = ?2""")) {
            ps.setLong(1, from);
            ps.setLong(2, into);
            ps.executeUpdate();
        }
        for (String sql : new String[] {"UPDATE photos SET stranger_id = ? WHERE stranger_id = ?",
                "UPDATE events SET stranger_id = ? WHERE stranger_id = ?"}) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, into);
                ps.setLong(2, from);
                ps.executeUpdate();
            }
        }
        deleteStrangerRow(c, from);
    }

    private static void deleteStrangerRow(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM strangers WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    private void forgetOldStrangers(Instant now) {
        int cap = Math.max(1, settings.getInt(Settings.STRANGERS_CAP, DEFAULT_STRANGER_CAP));
        int days = Math.max(1, settings.getInt(Settings.STRANGERS_MAX_AGE_DAYS, DEFAULT_STRANGER_MAX_AGE_DAYS));
        long cutoff = now.minus(Duration.ofDays(days)).toEpochMilli();
        List<String> files = db.write("forgetting old strangers", c -> {
            List<Long> doomed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id FROM strangers WHERE last_seen < ?
                    UNION SELECT id FROM (SELECT id FROM strangers ORDER BY last_seen DESC, id DESC LIMIT -1 OFFSET ?)""")) {
                ps.setLong(1, cutoff);
                ps.setInt(2, cap);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        doomed.add(rs.getLong(1));
                    }
                }
            }
            List<String> f = new ArrayList<>();
            for (long id : doomed) {
                f.addAll(filesWhere(c, "stranger_id = ?", id));
                deleteStrangerRow(c, id);
            }
            return f;
        });
        files.forEach(photos::delete);
    }

    private static List<String> filesWhere(Connection c, String where, Long arg) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT file FROM photos WHERE " + where)) {
            if (arg != null) {
                ps.setLong(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static List<StoredPhoto> photosWhere(Connection c, String where, Long arg) throws SQLException {
        List<StoredPhoto> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, person_id, stranger_id, format, width, height, box_x, box_y, box_w, box_h, added_at
                FROM photos WHERE\s""" + where + " ORDER BY id")) {
            if (arg != null) {
                ps.setLong(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long pid = rs.getLong(2);
                    Long person = rs.wasNull() ? null : pid;
                    long sid = rs.getLong(3);
                    Long stranger = rs.wasNull() ? null : sid;
                    out.add(new StoredPhoto(rs.getLong(1), person, stranger, PhotoFormat.valueOf(rs.getString(4)),
                            rs.getInt(5), rs.getInt(6),
                            new FaceBox(rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10), 0),
                            Instant.ofEpochMilli(rs.getLong(11))));
                }
            }
        }
        return out;
    }

    private static List<Stranger> strangersWhere(Connection c, String where, Long arg) throws SQLException {
        List<Stranger> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT s.id, s.first_seen, s.last_seen, s.sightings,
                       (SELECT MAX(f.id) FROM photos f WHERE f.stranger_id = s.id)
                FROM strangers s WHERE\s""" + where + " ORDER BY s.last_seen DESC, s.id DESC")) {
            if (arg != null) {
                ps.setLong(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Stranger(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)),
                            Instant.ofEpochMilli(rs.getLong(3)), rs.getInt(4), rs.getLong(5)));
                }
            }
        }
        return out;
    }

    private static int countWhere(Connection c, String sql, Long arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) {
                ps.setLong(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static int countWhere2(Connection c, long photoId, String modelId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM descriptors WHERE photo_id = ? AND model_id = ?")) {
            ps.setLong(1, photoId);
            ps.setString(2, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static Optional<Long> personIdNamed(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM people WHERE name = ? COLLATE NOCASE")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static void requirePerson(Connection c, long id) throws SQLException {
        if (countWhere(c, "SELECT COUNT(*) FROM people WHERE id = ?", id) == 0) {
            throw new StoreException(StoreException.Reason.INVALID, "nobody has id " + id + " (see 'tinyreid people list')");
        }
    }

    private static void requireStranger(Connection c, long id) throws SQLException {
        if (countWhere(c, "SELECT COUNT(*) FROM strangers WHERE id = ?", id) == 0) {
            throw new StoreException(StoreException.Reason.INVALID, "no stranger has id " + id
                    + " (see 'tinyreid strangers list')");
        }
    }

    private void requireSameModel(FaceModel m) {
        if (!m.equals(state.model())) {
            throw new IllegalArgumentException("the engine embeds with model " + m.id() + " but the gallery uses "
                    + state.model().id() + "; switch models first");
        }
    }

    private static void requireModel(FaceModel m, Descriptor d) {
        if (!m.accepts(d)) {
            throw new IllegalArgumentException("descriptor " + d + " does not come from model " + m.id() + " ("
                    + m.dimension() + " x " + m.format() + ")");
        }
    }

    /**
     * A person's name: trimmed, 1-64 characters; letters, marks, symbols and the joiners that
     * Persian, Indic scripts and emoji sequences need (ZWJ, ZWNJ), but no control characters, no
     * bidi overrides or other invisible format characters, no separators beyond the space.
     */
    public static String checkName(String name) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty()) {
            throw new StoreException(StoreException.Reason.INVALID, "a name cannot be empty");
        }
        if (n.length() > MAX_NAME) {
            throw new StoreException(StoreException.Reason.INVALID, "a name can have at most " + MAX_NAME + " characters");
        }
        if (n.codePoints().anyMatch(Gallery::refusedInName)) {
            throw new StoreException(StoreException.Reason.INVALID,
                    "a name cannot contain control characters or text-direction overrides");
        }
        return n;
    }

    private static boolean refusedInName(int cp) {
        if (cp == 0x200C || cp == 0x200D) {
            return false; // ZWNJ, ZWJ
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    private static FaceBox chooseEnrolmentFace(String label, List<FaceBox> faces, DecodedPhoto photo)
            throws PhotoException {
        if (faces.isEmpty()) {
            throw new PhotoException(label + ": no face found; use a photo where the face is frontal and at least "
                    + "about 40 pixels wide");
        }
        List<FaceBox> sorted = faces.stream().sorted((a, b) -> Long.compare(b.area(), a.area())).toList();
        if (sorted.size() > 1 && sorted.get(0).area() < 2 * sorted.get(1).area()) {
            throw new PhotoException(label + ": " + faces.size() + " faces of similar size found; use a photo of "
                    + "this person alone");
        }
        FaceBox f = sorted.getFirst();
        if (!f.fitsIn(photo.image().getWidth(), photo.image().getHeight())) {
            throw new PhotoException(label + ": the detector returned a box outside the photo");
        }
        return f;
    }

    /** Maps a box found in the (possibly subsampled) decoded image to original-photo coordinates. */
    private static FaceBox toOriginal(FaceBox b, DecodedPhoto p) {
        BufferedImage img = p.image();
        if (img.getWidth() == p.width() && img.getHeight() == p.height()) {
            return b;
        }
        double sx = (double) p.width() / img.getWidth();
        double sy = (double) p.height() / img.getHeight();
        int x = (int) Math.floor(b.x() * sx);
        int y = (int) Math.floor(b.y() * sy);
        int w = Math.min(p.width() - x, Math.max(1, (int) Math.round(b.width() * sx)));
        int h = Math.min(p.height() - y, Math.max(1, (int) Math.round(b.height() * sy)));
        return new FaceBox(x, y, w, h, b.score());
    }

    /** Maps a stored original-coordinate box into a decoded (possibly subsampled) image. */
    private static FaceBox toDecoded(FaceBox b, DecodedPhoto p) {
        BufferedImage img = p.image();
        if (img.getWidth() == p.width() && img.getHeight() == p.height()) {
            return b;
        }
        double sx = (double) img.getWidth() / p.width();
        double sy = (double) img.getHeight() / p.height();
        int x = Math.min(img.getWidth() - 1, (int) Math.floor(b.x() * sx));
        int y = Math.min(img.getHeight() - 1, (int) Math.floor(b.y() * sy));
        int w = Math.min(img.getWidth() - x, Math.max(1, (int) Math.round(b.width() * sx)));
        int h = Math.min(img.getHeight() - y, Math.max(1, (int) Math.round(b.height() * sy)));
        return new FaceBox(x, y, w, h, b.score());
    }

    /** Hex SHA-256 of {@code bytes} (how photos are recognised as already stored). */
    public static String sha256Of(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
