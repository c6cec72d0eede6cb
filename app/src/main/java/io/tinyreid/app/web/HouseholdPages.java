package io.tinyreid.app.web;

import static io.tinyreid.app.web.Html.esc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.tinyreid.app.display.Scores;
import io.tinyreid.app.events.Event;
import io.tinyreid.app.events.EventKind;
import io.tinyreid.app.events.EventQuery;
import io.tinyreid.app.face.FaceEngine;
import io.tinyreid.app.face.FaceEngineSource;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.face.FaceModels;
import io.tinyreid.app.gallery.EnrolReport;
import io.tinyreid.app.gallery.FacePhoto;
import io.tinyreid.app.gallery.Gallery;
import io.tinyreid.app.gallery.Person;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.gallery.Progress;
import io.tinyreid.app.gallery.ReembedReport;
import io.tinyreid.app.gallery.Stranger;
import io.tinyreid.app.gallery.StoredPhoto;
import io.tinyreid.app.gallery.StrangerRate;
import io.tinyreid.app.json.JsonString;
import io.tinyreid.app.photo.PhotoDecoder;
import io.tinyreid.app.photo.PhotoException;
import io.tinyreid.app.photo.PhotoFormat;
import io.tinyreid.app.photo.PhotoLimits;
import io.tinyreid.app.pipeline.FaceCrops;
import io.tinyreid.app.source.SourceSpec;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.store.HouseholdArchive;
import io.tinyreid.app.store.StoreException;

/**
 * The household pages: People, Strangers, History, Settings. Every id in a URL is parsed as a
 * number and looked up in the gallery; every change is a CSRF-checked POST followed by a redirect
 * with a message (POST-redirect-GET, so reloading never repeats an action).
 */
public final class HouseholdPages implements WebServer.Backend {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", Locale.ENGLISH);

    private final Household household;
    private final FaceEngineSource engines;
    private final LiveControl live;
    private final AdminPassword password;
    private final ZoneId zone;
    private final AtomicReference<String> modelJob = new AtomicReference<>("");
    private final EnrolJobs enrolJobs = new EnrolJobs();
    private Pages pages;
    private WebServer server;
    private volatile io.tinyreid.app.engine.GalleryCapacity capacity;
    private java.util.function.Supplier<String> banner;

    public HouseholdPages(Household household, FaceEngineSource engines, LiveControl live, AdminPassword password,
                          ZoneId zone) {
        this.household = household;
        this.engines = engines;
        this.live = live;
        this.password = password;
        this.zone = zone;
    }

    /** Refuses enrolments that would take the household beyond the doorbell's memory budget ({@code run} sets it). */
    public HouseholdPages checkingBudget(io.tinyreid.app.engine.GalleryCapacity c) {
        this.capacity = c;
        return this;
    }

    /** Shows {@code html} (see {@link Pages#banner}) atop every page, e.g. why the doorbell is off. */
    public HouseholdPages withBanner(java.util.function.Supplier<String> html) {
        this.banner = html;
        return this;
    }

    /** Refuses, before anything is committed, an enrolment the doorbell's memory would not hold. */
    private void requireRoom(String name, int photos) {
        io.tinyreid.app.engine.GalleryCapacity c = capacity;
        if (c != null) {
            c.refusal(gallery(), name, photos).ifPresent(why -> {
                throw new UserError(409, why);
            });
        }
    }

    @Override
    public io.tinyreid.app.pipeline.LiveView liveView() {
        return live.liveView();
    }

    @Override
    public String statusLine() {
        return live.statusLine();
    }

    @Override
    public void registerPages(JavalinConfig config, Pages p) {
        this.pages = p;
        this.server = p.server();
        if (banner != null) {
            p.banner(banner);
        }
        var r = config.routes;
        r.get("/people", this::people);
        r.post("/people", this::addPerson);
        r.post("/people/from-live", this::addFromLive);
        r.post("/people/import", this::importArchive);
        r.get("/people/{id}", this::person);
        r.post("/people/{id}/rename", this::rename);
        r.post("/people/{id}/delete", this::deletePerson);
        r.post("/people/{id}/photos", this::addPhotos);
        r.get("/photos/{id}", this::photo);
        r.get("/jobs/{id}", this::job);
        r.get("/api/model-job", ctx -> ctx.header("Cache-Control", "no-store").contentType("application/json")
                .result("{\"running\":" + modelSwitchRunning() + ",\"text\":" + JsonString.quote(modelJob.get()) + "}"));
        r.post("/photos/{id}/delete", this::deletePhoto);
        r.get("/strangers", this::strangers);
        r.post("/strangers/{id}/name", this::nameStranger);
        r.post("/strangers/{id}/dismiss", this::dismissStranger);
        r.get("/history", this::history);
        r.get("/events/{id}/snapshot", this::snapshot);
        r.get("/settings", this::settings);
        r.post("/settings/source", this::setSource);
        r.post("/settings/strangers-named", this::setStrangersNamed);
        r.post("/settings/model", this::setModel);
        r.post("/settings/password", this::setPassword);
        r.post("/settings/notifications", this::setNotifications);
        config.routes.exception(StoreException.class, (e, ctx) -> {
            int status = switch (e.reason()) {
                case INVALID -> 400;
                case DISK_FULL -> 507;
                case BUSY -> 503;
                default -> 500;
            };
            if (status == 503) {
                ctx.header("Retry-After", "5");
            }
            p.error(ctx, status, storeMessage(e));
        });
    }

    /** What a storage failure tells the user: refusals in full, failures without paths or internals. */
    private static String storeMessage(StoreException e) {
        return switch (e.reason()) {
            case INVALID -> capitalise(e.getMessage()) + ".";
            case DISK_FULL -> "The doorbell's storage is full, so nothing was changed. Free some space and try again.";
            case BUSY -> "The household is busy (another tinyreid command is using it); try again in a moment.";
            default -> "The doorbell could not read or write its storage (incident " + Incident.log("in storage", e)
                    + "). Nothing was changed; the details are in the server log.";
        };
    }

    private Gallery gallery() {
        return household.gallery();
    }

    // ------------------------------------------------------------------ people

    private void people(Context ctx) {
        List<Person> people = gallery().people();
        StringBuilder b = new StringBuilder("<h1>People</h1>");
        b.append("<section class=\"card\"><h2>Add a person</h2>")
                .append("<form method=\"post\" action=\"/people\" enctype=\"multipart/form-data\" class=\"stack\">")
                .append(Html.csrfField(pages.csrf(ctx)))
                .append("<label>Name <input name=\"name\" required maxlength=\"64\" autocomplete=\"off\"></label>")
                .append("<label>Photos <small>(JPEG or PNG, one face each, up to ").append(WebServer.MAX_UPLOAD_FILES)
                .append(" photos of ").append(WebServer.MAX_UPLOAD_FILE_BYTES >> 20).append(" MiB)</small>")
                .append("<input type=\"file\" name=\"photos\" accept=\"image/jpeg,image/png\" multiple required></label>")
                .append("<button class=\"primary\">Add</button></form>")
                .append("<p class=\"muted small\">Or add the person standing at the door from the <a href=\"/live\">live view</a>.</p></section>");
        b.append("<section class=\"card\"><h2>Restore a backup</h2>")
                .append("<form method=\"post\" action=\"/people/import\" enctype=\"multipart/form-data\" class=\"stack\">")
                .append(Html.csrfField(pages.csrf(ctx)))
                .append("<label>Archive (from <code>tinyreid people export</code>, at most ")
                .append(WebServer.MAX_UPLOAD_FILE_BYTES >> 20).append(" MiB)<input type=\"file\" name=\"archive\" accept=\".zip\" required></label>")
                .append("<button>Restore</button></form><p class=\"muted small\">People are merged by name; every photo is embedded for "
                        + "this doorbell's model so they are recognised, whichever model the backup was made with.</p></section>");
        b.append("<section class=\"card\"><h2>").append(people.size()).append(people.size() == 1 ? " person" : " people")
                .append("</h2>");
        if (people.isEmpty()) {
            b.append("<p class=\"empty\">Nobody yet. Add the people who live here so the doorbell can greet them.</p>");
        } else {
            b.append("<ul class=\"list\" id=\"people-list\">");
            for (Person p : people) {
                List<StoredPhoto> photos = gallery().photosOf(p.id());
                b.append("<li>");
                if (!photos.isEmpty()) {
                    b.append("<img src=\"/photos/").append(photos.getFirst().id()).append("\" alt=\"\" loading=\"lazy\">");
                }
                b.append("<div class=\"grow\"><a class=\"person-name\" href=\"/people/").append(p.id()).append("\"><strong>")
                        .append(esc(p.name())).append("</strong></a><div class=\"muted small\">").append(p.photoCount())
                        .append(p.photoCount() == 1 ? " photo" : " photos").append(" · since ")
                        .append(esc(date(p.createdAt()))).append("</div></div>")
                        .append("<a class=\"button\" href=\"/people/").append(p.id()).append("\">Open</a></li>");
            }
            b.append("</ul>");
        }
        b.append("</section>");
        pages.render(ctx, "People", "/people", b.toString());
    }

    private void addPerson(Context ctx) {
        List<PhotoInput> photos = Uploads.photos(ctx, "photos");
        String name = Gallery.checkName(required(ctx, "name", "a name"));
        if (photos.isEmpty()) {
            throw new UserError(400, "Choose at least one photo of " + name + ".");
        }
        requireRoom(name, photos.size());
        FaceEngine engine = engine();
        startEnrolment(ctx, "Adding " + name, photos.size(), job -> {
            EnrolReport report = gallery().enrol(engine, name, photos, job);
            String to = report.person() == null ? "/people" : "/people/" + report.person().id();
            return new EnrolJobs.Result(to, enrolMessage(name, report), report.acceptedCount() == 0);
        }, "/people");
    }

    /**
     * Runs an enrolment on the enrolment thread. A quick one answers with its result directly; a
     * longer one sends the browser to a page that shows its progress and then the result.
     */
    private void startEnrolment(Context ctx, String title, int photos,
                                java.util.function.Function<EnrolJobs.Job, EnrolJobs.Result> work, String onFailure) {
        EnrolJobs.Job job = enrolJobs.submit(WebServer.session(ctx), title, photos, j -> {
            try {
                return work.apply(j);
            } catch (StoreException e) {
                return new EnrolJobs.Result(onFailure, storeMessage(e), true);
            } catch (UserError e) {
                return new EnrolJobs.Result(onFailure, e.getMessage(), true);
            } catch (RuntimeException e) {
                String incident = Incident.log("while enrolling", e);
                return new EnrolJobs.Result(onFailure, "Something went wrong on the doorbell (incident " + incident
                        + "). Photos added before it are kept; the details are in the server log.", true);
            }
        });
        EnrolJobs.Result r;
        try {
            r = job.await(1500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r = null;
        }
        if (r != null) {
            enrolJobs.forget(job);
            pages.redirect(ctx, r.to(), r.message(), r.error());
        } else {
            ctx.redirect("/jobs/" + job.id, io.javalin.http.HttpStatus.SEE_OTHER);
        }
    }

    private void job(Context ctx) {
        EnrolJobs.Job job = enrolJobs.find(id(ctx), WebServer.session(ctx))
                .orElseThrow(() -> new UserError(404, "There is no such task (it may have finished already)."));
        EnrolJobs.Result r = job.result();
        if (r != null) {
            enrolJobs.forget(job);
            pages.redirect(ctx, r.to(), r.message(), r.error());
            return;
        }
        int done = job.done();
        String status = done == 0 && job.item().isEmpty() ? "Starting..."
                : "Checked " + done + " of " + job.total() + (job.total() == 1 ? " photo" : " photos")
                        + (job.item().isEmpty() ? "" : " (last: " + job.item() + ")");
        pages.render(ctx, job.title, "/people", "<section class=\"card narrow\"><h1>" + esc(job.title) + "</h1>"
                + "<progress id=\"job-progress\" value=\"" + done + "\" max=\"" + job.total() + "\"></progress>"
                + "<p id=\"job-status\">" + esc(status) + "</p>"
                + "<p class=\"muted small\">This page updates itself. Each photo is checked for exactly one face, then kept; "
                + "you may leave this page, the photos are added anyway.</p></section>", "/static/job.js");
    }

    /**
     * Restores an archive of {@code tinyreid people export} on the enrolment thread, with progress: the
     * archive brings descriptors of the model it was made with, so every photo is then embedded for the
     * household's model (otherwise a backup from the other model would recognise nobody).
     */
    private void importArchive(Context ctx) {
        List<PhotoInput> files = Uploads.photos(ctx, "archive");
        if (files.size() != 1) {
            throw new UserError(400, "Choose one archive made by 'tinyreid people export'.");
        }
        FaceEngine engine = engine();
        Path archive;
        try {
            archive = Files.createTempFile(household.directory().root(), ".web-import-", ".zip");
            Files.write(archive, files.getFirst().bytes());
        } catch (IOException e) {
            throw new UserError(507, "The doorbell could not keep the upload (incident " + Incident.log("storing an upload", e)
                    + "); is its storage full?");
        }
        startEnrolment(ctx, "Restoring a backup", 0, job -> {
            try {
                HouseholdArchive.ImportReport r = new HouseholdArchive(household).importFrom(archive,
                        (done, total, item) -> job.update(done, total, "restoring " + item));
                job.update(0, r.photosImported(), "embedding for " + engine.model().id());
                ReembedReport e = gallery().reembed(engine, (done, total, item) -> job.update(done, total,
                        "embedding for " + engine.model().id() + ": " + item));
                io.tinyreid.app.engine.GalleryCapacity c = capacity;
                boolean fits = c == null || c.fits(gallery().model(), gallery().descriptorCount());
                String message = "Restored " + r.photosImported() + " photo(s): " + r.peopleCreated() + " new people, "
                        + r.peopleMerged() + " existing people extended, " + r.strangersImported() + " stranger(s); "
                        + r.photosAlreadyPresent() + " photo(s) were already here. Embedded " + e.embedded()
                        + " photo(s) for this doorbell's model " + e.modelId() + " so they are recognised ("
                        + e.alreadyPresent() + " already were)."
                        + (e.failures().isEmpty() ? "" : " Could not embed: " + String.join("; ", e.failures()) + ".")
                        + (fits ? "" : " The household is now larger than the doorbell's memory holds: remove people or "
                        + "photos, or the doorbell will not start again.");
                return new EnrolJobs.Result("/people", message, !e.failures().isEmpty() || !fits);
            } finally {
                try {
                    Files.deleteIfExists(archive);
                } catch (IOException ignored) {
                    // a leftover upload in the data directory is harmless; the next one has another name
                }
            }
        }, "/people");
    }

    private void addFromLive(Context ctx) {
        String name = Gallery.checkName(required(ctx, "name", "a name"));
        Optional<FacePhoto> face = live.largestFaceNow();
        if (face.isEmpty()) {
            throw new UserError(409, "Nobody is in front of the camera right now.");
        }
        requireRoom(name, 1);
        EnrolReport report = gallery().enrol(engine(), name,
                List.of(new PhotoInput("live snapshot", face.get().encoded())), Progress.NONE);
        String to = report.person() == null ? "/live" : "/people/" + report.person().id();
        pages.redirect(ctx, to, enrolMessage(name, report), report.acceptedCount() == 0);
    }

    private static String enrolMessage(String name, EnrolReport report) {
        long ok = report.acceptedCount();
        String refused = report.outcomes().stream().filter(o -> !o.accepted())
                .map(o -> o.message()).collect(Collectors.joining("; "));
        if (ok == 0) {
            return "No photo of " + name + " could be used: " + refused;
        }
        String warned = report.outcomes().stream().filter(EnrolReport.Outcome::warned)
                .map(o -> o.message()).collect(Collectors.joining("; "));
        return "Added " + ok + (ok == 1 ? " photo" : " photos") + " of " + name + "."
                + (refused.isEmpty() ? "" : " Not used: " + refused) + (warned.isEmpty() ? "" : " Warning: " + warned);
    }

    private FaceEngine engine() {
        try {
            return engines.open(gallery().model());
        } catch (IllegalStateException e) {
            throw new UserError(503, e.getMessage());
        }
    }

    private Person personOr404(Context ctx) {
        long id = id(ctx);
        return gallery().person(id).orElseThrow(() -> new UserError(404, "There is no such person (maybe they were removed)."));
    }

    private void person(Context ctx) {
        Person p = personOr404(ctx);
        List<StoredPhoto> photos = gallery().photosOf(p.id());
        String csrf = Html.csrfField(pages.csrf(ctx));
        StringBuilder b = new StringBuilder();
        b.append("<p><a href=\"/people\">&larr; People</a></p><h1>").append(esc(p.name())).append("</h1>");
        b.append("<section class=\"card\"><h2>Photos</h2><div class=\"grid\">");
        for (StoredPhoto ph : photos) {
            b.append("<div class=\"tile\"><img src=\"/photos/").append(ph.id()).append("\" alt=\"Photo of ")
                    .append(esc(p.name())).append("\" loading=\"lazy\"><div class=\"body\"><span class=\"muted small\">")
                    .append(esc(date(ph.addedAt()))).append("</span>");
            if (photos.size() > 1) {
                b.append("<form method=\"post\" action=\"/photos/").append(ph.id()).append("/delete\">").append(csrf)
                        .append("<button class=\"danger\">Remove photo</button></form>");
            }
            b.append("</div></div>");
        }
        b.append("</div><form method=\"post\" action=\"/people/").append(p.id())
                .append("/photos\" enctype=\"multipart/form-data\" class=\"row spaced\">").append(csrf)
                .append("<label>More photos <input type=\"file\" name=\"photos\" accept=\"image/jpeg,image/png\" multiple required></label>")
                .append("<button>Add photos</button></form></section>");
        b.append("<section class=\"card\"><h2>Rename</h2><form method=\"post\" action=\"/people/").append(p.id())
                .append("/rename\" class=\"row\">").append(csrf)
                .append("<label>New name <input name=\"name\" required maxlength=\"64\" value=\"").append(esc(p.name()))
                .append("\"></label><button>Rename</button></form></section>");
        b.append("<section class=\"card\"><h2>History</h2><p><a href=\"/history?person=").append(p.id())
                .append("\">Every visit of ").append(esc(p.name())).append("</a></p></section>");
        b.append("<section class=\"card\"><h2>Remove</h2><form method=\"post\" action=\"/people/").append(p.id())
                .append("/delete\" class=\"stack\">").append(csrf)
                .append("<label class=\"row plain\"><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required> Remove ")
                .append(esc(p.name())).append(" and their photos</label><button class=\"danger\">Remove ").append(esc(p.name()))
                .append("</button></form></section>");
        pages.render(ctx, p.name(), "/people", b.toString());
    }

    private void rename(Context ctx) {
        Person p = personOr404(ctx);
        Person renamed = gallery().rename(p.id(), required(ctx, "name", "a new name"));
        pages.redirect(ctx, "/people/" + p.id(), "Renamed " + p.name() + " to " + renamed.name() + ".", false);
    }

    private void deletePerson(Context ctx) {
        Person p = personOr404(ctx);
        if (!"yes".equals(ctx.formParam("confirm"))) {
            throw new UserError(400, "Tick the box to confirm removing " + p.name() + ".");
        }
        gallery().removePerson(p.id());
        pages.redirect(ctx, "/people", "Removed " + p.name() + ".", false);
    }

    private void addPhotos(Context ctx) {
        Person p = personOr404(ctx);
        List<PhotoInput> photos = Uploads.photos(ctx, "photos");
        if (photos.isEmpty()) {
            throw new UserError(400, "Choose at least one photo.");
        }
        requireRoom(p.name(), photos.size());
        FaceEngine engine = engine();
        startEnrolment(ctx, "Adding photos of " + p.name(), photos.size(), job -> {
            EnrolReport report = gallery().enrol(engine, p.name(), photos, job);
            return new EnrolJobs.Result("/people/" + p.id(), enrolMessage(p.name(), report), report.acceptedCount() == 0);
        }, "/people/" + p.id());
    }

    private void photo(Context ctx) throws IOException {
        long id = id(ctx);
        StoredPhoto ph = gallery().photo(id).orElseThrow(() -> new UserError(404, "There is no such photo."));
        byte[] bytes;
        try {
            bytes = gallery().photoBytes(ph.id());
        } catch (StoreException e) {
            if (e.reason() != StoreException.Reason.CORRUPT) {
                throw e;
            }
            Incident.log("reading photo #" + ph.id(), e);
            throw new UserError(404, "The file of this photo is missing from the doorbell's storage. "
                    + "Remove the photo and add it again.");
        }
        ctx.header("Cache-Control", "no-store"); // personal: never left in a shared browser's cache
        if (ph.format() == PhotoFormat.PGM) {
            try {
                bytes = FaceCrops.png(new PhotoDecoder(PhotoLimits.DEFAULT).decode("photo", bytes).image());
            } catch (PhotoException e) {
                throw new UserError(500, "This photo cannot be shown: " + e.getMessage());
            }
            ctx.contentType("image/png");
        } else {
            ctx.contentType(ph.format() == PhotoFormat.PNG ? "image/png" : "image/jpeg");
        }
        ctx.result(bytes);
    }

    private void deletePhoto(Context ctx) {
        long id = id(ctx);
        StoredPhoto ph = gallery().photo(id).orElseThrow(() -> new UserError(404, "There is no such photo."));
        gallery().removePhoto(ph.id());
        pages.redirect(ctx, ph.personId() != null ? "/people/" + ph.personId() : "/strangers", "Photo removed.", false);
    }

    // ------------------------------------------------------------------ strangers

    private void strangers(Context ctx) {
        List<Stranger> strangers = gallery().strangers();
        String csrf = Html.csrfField(pages.csrf(ctx));
        StringBuilder b = new StringBuilder("<h1>Strangers</h1>");
        if (strangers.isEmpty()) {
            b.append("<section class=\"card\"><p class=\"empty\">No strangers have come to the door.</p></section>");
        } else {
            b.append("<p class=\"muted\">Faces the doorbell did not know. Name someone to add them to the household, or dismiss them.</p>");
            b.append("<div class=\"grid\" id=\"stranger-grid\">");
            for (Stranger s : strangers) {
                b.append("<div class=\"tile stranger\" data-stranger=\"").append(s.id()).append("\"><img src=\"/photos/")
                        .append(s.photoId()).append("\" alt=\"Stranger ").append(s.id()).append("\" loading=\"lazy\">")
                        .append("<div class=\"body\"><span class=\"title\">Stranger #").append(s.id()).append("</span>")
                        .append("<span class=\"muted small\">").append(s.sightings()).append(s.sightings() == 1 ? " visit" : " visits")
                        .append(" · last ").append(esc(ago(s.lastSeen()))).append("</span>")
                        .append("<form method=\"post\" action=\"/strangers/").append(s.id()).append("/name\" class=\"stack\">")
                        .append(csrf).append("<input name=\"name\" required maxlength=\"64\" placeholder=\"Name\" aria-label=\"Name for stranger ")
                        .append(s.id()).append("\"><button class=\"primary\">Name</button></form>")
                        .append("<form method=\"post\" action=\"/strangers/").append(s.id()).append("/dismiss\">").append(csrf)
                        .append("<button>Dismiss</button></form></div></div>");
            }
            b.append("</div>");
        }
        pages.render(ctx, "Strangers", "/strangers", b.toString());
    }

    private Stranger strangerOr404(Context ctx) {
        long id = id(ctx);
        return gallery().stranger(id).orElseThrow(() -> new UserError(404, "There is no such stranger (maybe already named or dismissed)."));
    }

    private void nameStranger(Context ctx) {
        Stranger s = strangerOr404(ctx);
        Person p = gallery().nameStranger(s.id(), required(ctx, "name", "a name"));
        pages.redirect(ctx, "/strangers", "Stranger #" + s.id() + " is now " + p.name() + ".", false);
    }

    private void dismissStranger(Context ctx) {
        Stranger s = strangerOr404(ctx);
        gallery().dismissStranger(s.id());
        pages.redirect(ctx, "/strangers", "Dismissed stranger #" + s.id() + ".", false);
    }

    // ------------------------------------------------------------------ history

    private void history(Context ctx) {
        Long personId = optionalId(ctx.queryParam("person"));
        EventKind kind = switch (String.valueOf(ctx.queryParam("kind"))) {
            case "known" -> EventKind.KNOWN;
            case "stranger" -> EventKind.STRANGER;
            default -> null;
        };
        Long before = optionalId(ctx.queryParam("before"));
        int pageSize = 30;
        List<Event> events = household.events().query(new EventQuery(personId, kind, null, null, before, pageSize));
        List<Person> people = gallery().people();
        StringBuilder b = new StringBuilder("<h1>History</h1><section class=\"card\"><form method=\"get\" action=\"/history\" class=\"row\">");
        b.append("<label>Person <select name=\"person\"><option value=\"\">Everyone</option>");
        for (Person p : people) {
            b.append("<option value=\"").append(p.id()).append('"').append(personId != null && personId == p.id() ? " selected" : "")
                    .append('>').append(esc(p.name())).append("</option>");
        }
        b.append("</select></label><label>What <select name=\"kind\"><option value=\"\">All visits</option>")
                .append("<option value=\"known\"").append(kind == EventKind.KNOWN ? " selected" : "").append(">Known people</option>")
                .append("<option value=\"stranger\"").append(kind == EventKind.STRANGER ? " selected" : "").append(">Strangers</option>")
                .append("</select></label><button>Show</button></form></section>");
        b.append("<section class=\"card\">");
        if (events.isEmpty()) {
            b.append("<p class=\"empty\">Nothing has happened at the door").append(personId != null || kind != null ? " that matches" : "")
                    .append(" yet.</p>");
        } else {
            b.append("<ul class=\"list\" id=\"history-list\">");
            for (Event e : events) {
                b.append("<li>");
                if (e.hasSnapshot()) {
                    b.append("<a href=\"/events/").append(e.id()).append("/snapshot\"><img src=\"/events/").append(e.id())
                            .append("/snapshot\" alt=\"Snapshot\" loading=\"lazy\"></a>");
                }
                boolean known = e.kind() == EventKind.KNOWN;
                b.append("<div class=\"grow\"><span class=\"badge ").append(known ? "known" : "stranger").append("\">")
                        .append(known ? "Known" : "Stranger").append("</span> <strong class=\"event-label\">").append(esc(e.label()))
                        .append("</strong><div class=\"muted small\">").append(esc(date(e.at()))).append(" · ").append(esc(ago(e.at())));
                String score = Scores.format(e.distance());
                if (!score.isEmpty()) {
                    b.append(" · <span title=\"distance ").append(esc(Scores.distance(e.distance()))).append("\">")
                            .append(esc(score)).append("</span>");
                }
                b.append("</div></div></li>");
            }
            b.append("</ul>");
            if (events.size() == pageSize) {
                b.append("<p><a class=\"button\" href=\"/history?before=").append(events.getLast().id())
                        .append(personId != null ? "&person=" + personId : "")
                        .append(kind != null ? "&kind=" + kind.name().toLowerCase(Locale.ROOT) : "").append("\">Older</a></p>");
            }
        }
        b.append("</section>");
        pages.render(ctx, "History", "/history", b.toString());
    }

    private void snapshot(Context ctx) {
        long id = id(ctx);
        byte[] jpeg = household.events().snapshot(id).orElseThrow(() -> new UserError(404, "This event has no snapshot."));
        ctx.header("Cache-Control", "no-store"); // personal: never left in a shared browser's cache
        ctx.contentType(jpeg.length > 3 && (jpeg[0] & 0xFF) == 0x89 ? "image/png" : "image/jpeg").result(jpeg);
    }

    // ------------------------------------------------------------------ settings

    private void settings(Context ctx) {
        String csrf = Html.csrfField(pages.csrf(ctx));
        FaceModel model = gallery().model();
        StringBuilder b = new StringBuilder("<h1>Settings</h1>");
        b.append("<section class=\"card\"><h2>Camera</h2><p class=\"muted small\" id=\"source-status\">").append(esc(live.statusLine()))
                .append("</p><form method=\"post\" action=\"/settings/source\" class=\"row\">").append(csrf)
                .append("<label>Source <small>(a camera such as /dev/video0, or an rtsp:// or http:// stream)</small>")
                .append("<input name=\"source\" required maxlength=\"500\" value=\"").append(esc(sourceText(live.source())))
                .append("\" spellcheck=\"false\" autocomplete=\"off\"></label><button>Switch</button></form>")
                .append("<p class=\"muted small\">Video files and image folders can be played with <code>tinyreid run --source</code> on the doorbell itself.</p></section>");
        StrangerRate rate = gallery().strangerRate();
        b.append("<section class=\"card\"><h2>Recognition</h2><form method=\"post\" action=\"/settings/strangers-named\" class=\"row\">")
                .append(csrf).append("<label>Strangers greeted by a family member's name <select name=\"rate\">");
        for (StrangerRate r : List.of(StrangerRate.STRICT, StrangerRate.BALANCED, StrangerRate.LENIENT)) {
            b.append("<option value=\"").append(esc(r.id())).append('"').append(r.equals(rate) ? " selected" : "").append('>')
                    .append("at most 1 in ").append(r.oneIn()).append(" (").append(esc(r.id())).append(")</option>");
        }
        if (!List.of(StrangerRate.STRICT, StrangerRate.BALANCED, StrangerRate.LENIENT).contains(rate)) {
            b.append("<option value=\"").append(esc(rate.id())).append("\" selected>at most 1 in ").append(rate.oneIn()).append("</option>");
        }
        b.append("</select></label><button>Save</button></form><details class=\"muted small\"><summary>Details</summary>")
                .append("Stricter greets strangers by name less often and may take longer to recognise family. Calibrated on LFW for ")
                .append(esc(model.id())).append(": with ").append(gallery().descriptorCount()).append(" descriptors enrolled, a face is named when ")
                .append("its distance to a person is below ").append(esc(String.format(java.util.Locale.ROOT, "%.3f", gallery().acceptDistance())))
                .append(" (similarity above ").append(esc(Scores.similarity(gallery().acceptDistance()))).append(").</details>");
        b.append("<form method=\"post\" action=\"/settings/model\" class=\"row spaced\">").append(csrf)
                .append("<label>Model <select name=\"model\">");
        for (FaceModel m : FaceModels.all()) {
            b.append("<option value=\"").append(esc(m.id())).append('"').append(m.equals(model) ? " selected" : "").append('>')
                    .append(esc(m.id())).append("</option>");
        }
        b.append("</select></label><button>Switch model</button></form>");
        String job = modelJob.get();
        if (!job.isEmpty()) {
            b.append("<p class=\"muted small\" id=\"model-job\">").append(esc(job)).append("</p>");
        }
        b.append("<p class=\"muted small\">Switching computes the new model's descriptors from every stored photo; people stay enrolled.</p></section>");
        notificationsCard(b, csrf);
        b.append("<section class=\"card\"><h2>Admin password</h2><form method=\"post\" action=\"/settings/password\" class=\"stack\">").append(csrf)
                .append("<label>Current password <input type=\"password\" name=\"current\" required autocomplete=\"current-password\"></label>")
                .append("<label>New password <input type=\"password\" name=\"password\" required minlength=\"").append(AdminPassword.MIN_LENGTH)
                .append("\" autocomplete=\"new-password\"></label>")
                .append("<label>Repeat new password <input type=\"password\" name=\"confirm\" required autocomplete=\"new-password\"></label>")
                .append("<button>Change password</button></form></section>");
        if (modelSwitchRunning()) {
            pages.render(ctx, "Settings", "/settings", b.toString(), "/static/settings.js");
        } else {
            pages.render(ctx, "Settings", "/settings", b.toString());
        }
    }

    private void setSource(Context ctx) {
        String text = required(ctx, "source", "a source");
        SourceSpec spec;
        try {
            spec = SourceSpec.parse(text, false);
        } catch (IllegalArgumentException e) {
            throw new UserError(400, capitalise(e.getMessage()) + ".");
        }
        // Nothing from the web reaches the file system: only cameras and network streams.
        if (!(spec instanceof SourceSpec.Camera || spec instanceof SourceSpec.StreamUrl)) {
            throw new UserError(400, "From the web, choose a camera (/dev/videoN) or a stream URL; files are played with 'tinyreid run'.");
        }
        if (spec instanceof SourceSpec.Camera c && !c.device().toString().matches("/dev/video\\d{1,3}")) {
            throw new UserError(400, "A camera is /dev/video followed by its number.");
        }
        live.switchSource(spec);
        household.settings().set("source.last", text.strip());
        pages.redirect(ctx, "/settings", "Switched to " + spec.describe() + ". Watch the status line for the camera's state.", false);
    }

    private void setStrangersNamed(Context ctx) {
        StrangerRate r;
        try {
            r = StrangerRate.parse(required(ctx, "rate", "a setting"));
        } catch (IllegalArgumentException e) {
            throw new UserError(400, "Choose strict, balanced or lenient.");
        }
        gallery().setStrangerRate(r);
        pages.redirect(ctx, "/settings", "Strangers named: at most 1 in " + r.oneIn() + ".", false);
    }

    private void setModel(Context ctx) {
        FaceModel m;
        try {
            m = FaceModels.byId(required(ctx, "model", "a model"));
        } catch (IllegalArgumentException e) {
            throw new UserError(400, capitalise(e.getMessage()) + ".");
        }
        if (m.equals(gallery().model())) {
            pages.redirect(ctx, "/settings", "Already using " + m.id() + ".", false);
            return;
        }
        FaceEngine engine;
        try {
            engine = engines.open(m);
        } catch (IllegalStateException e) {
            throw new UserError(503, e.getMessage());
        }
        if (!modelJob.compareAndSet("", "Switching to " + m.id() + "...")
                && !modelJob.get().startsWith("Switched") && !modelJob.get().startsWith("Could not")) {
            throw new UserError(409, "A model switch is already running.");
        }
        modelJob.set("Switching to " + m.id() + "...");
        Thread.ofPlatform().name("model-switch").daemon().start(() -> {
            try {
                ReembedReport r = gallery().switchModel(engine, (done, total, item) ->
                        modelJob.set("Switching to " + m.id() + ": " + done + " of " + total + " photos"));
                household.settings().set("model", m.id());
                live.modelChanged();
                modelJob.set("Switched to " + m.id() + ": " + r.embedded() + " photos embedded"
                        + (r.failures().isEmpty() ? "." : ", " + r.failures().size() + " could not be used."));
            } catch (RuntimeException e) {
                modelJob.set("Could not switch to " + m.id() + ": " + e.getMessage());
            }
        });
        pages.redirect(ctx, "/settings", "Switching to " + m.id() + " in the background.", false);
    }

    private boolean modelSwitchRunning() {
        return modelJob.get().startsWith("Switching");
    }

    private void setPassword(Context ctx) throws IOException {
        if (!server.passwordMatches(ctx, ctx.formParam("current"))) {
            throw new UserError(403, "The current password is not right.");
        }
        String p = ctx.formParam("password");
        String problem = AdminPassword.problemWith(p);
        if (problem == null && !p.equals(ctx.formParam("confirm"))) {
            problem = "The two new passwords differ.";
        }
        if (problem != null) {
            throw new UserError(400, problem);
        }
        password.set(p);
        server.sessions().removeAuthenticated();
        ctx.redirect("/login", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    // ------------------------------------------------------------------ notifications

    /** Form fields of the notifications card and the settings they edit. */
    private static final Map<String, String> NOTIFY_FIELDS = new java.util.LinkedHashMap<>(Map.of(
            "mqtt_host", "mqtt.host", "mqtt_port", "mqtt.port", "mqtt_username", "mqtt.username",
            "mqtt_password", "mqtt.password", "mqtt_prefix", "mqtt.topic-prefix", "mqtt_device", "mqtt.device-id",
            "webhook_url", "webhook.url", "webhook_secret", "webhook.secret"));
    /** Secrets are never sent back to the browser; an empty field keeps the stored one. */
    private static final java.util.Set<String> SECRET_FIELDS = java.util.Set.of("mqtt_password", "webhook_secret");

    private void notificationsCard(StringBuilder b, String csrf) {
        var st = household.settings();
        b.append("<section class=\"card\"><h2>Notifications</h2><p class=\"muted small\" id=\"notify-status\">")
                .append(esc(live.notificationsStatus())).append("</p>")
                .append("<form method=\"post\" action=\"/settings/notifications\" class=\"stack\">").append(csrf)
                .append("<p class=\"muted small\">MQTT events appear in Home Assistant by themselves (MQTT discovery). "
                        + "Leave the broker empty to turn MQTT off.</p>")
                .append("<div class=\"row\">")
                .append(field("Broker host", "mqtt_host", st.get("mqtt.host", ""), "text", "253"))
                .append(field("Port", "mqtt_port", st.get("mqtt.port", "1883"), "text", "5"))
                .append("</div><div class=\"row\">")
                .append(field("User", "mqtt_username", st.get("mqtt.username", ""), "text", "128"))
                .append(field("Password" + (st.get("mqtt.password").isPresent() ? " (stored; empty keeps it)" : ""),
                        "mqtt_password", "", "password", "256"))
                .append("</div><div class=\"row\">")
                .append(field("Topic prefix", "mqtt_prefix", st.get("mqtt.topic-prefix", "tinyreid"), "text", "64"))
                .append(field("Device id", "mqtt_device", st.get("mqtt.device-id", "doorbell"), "text", "32"))
                .append("</div><div class=\"row\">")
                .append(field("Webhook URL", "webhook_url", st.get("webhook.url", ""), "url", "500"))
                .append(field("Webhook secret" + (st.get("webhook.secret").isPresent() ? " (stored; empty keeps it)" : ""),
                        "webhook_secret", "", "password", "256"))
                .append("</div><button>Save notifications</button></form></section>");
    }

    private static String field(String label, String name, String value, String type, String max) {
        return "<label>" + esc(label) + " <input type=\"" + type + "\" name=\"" + name + "\" value=\"" + esc(value)
                + "\" maxlength=\"" + max + "\" autocomplete=\"off\" spellcheck=\"false\"></label>";
    }

    private void setNotifications(Context ctx) {
        var st = household.settings();
        Map<String, String> proposed = new java.util.HashMap<>();
        for (var f : NOTIFY_FIELDS.entrySet()) {
            String v = ctx.formParam(f.getKey());
            v = v == null ? "" : v.strip();
            if (v.length() > 500 || v.chars().anyMatch(Character::isISOControl)) {
                throw new UserError(400, "That " + f.getKey().replace('_', ' ') + " is not valid.");
            }
            if (v.isEmpty() && SECRET_FIELDS.contains(f.getKey())) {
                v = st.get(f.getValue(), ""); // kept
            }
            proposed.put(f.getValue(), v);
        }
        if (proposed.get("mqtt.host").isEmpty()) {
            proposed.replaceAll((k, v) -> k.startsWith("mqtt.") ? "" : v); // MQTT off: forget its settings and credentials
        }
        if (proposed.get("webhook.url").isEmpty()) {
            proposed.put("webhook.secret", "");
        }
        // Check the whole configuration before saving any of it, so a typo changes nothing.
        try {
            if (!proposed.get("mqtt.host").isEmpty()) {
                int port;
                try {
                    port = Integer.parseInt(proposed.get("mqtt.port").isEmpty() ? "1883" : proposed.get("mqtt.port"));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("the MQTT port must be a number");
                }
                new io.tinyreid.app.notify.MqttConfig(proposed.get("mqtt.host"), port, null, null,
                        proposed.get("mqtt.topic-prefix").isEmpty() ? "tinyreid" : proposed.get("mqtt.topic-prefix"),
                        proposed.get("mqtt.device-id").isEmpty() ? "doorbell" : proposed.get("mqtt.device-id"), true, "homeassistant");
            }
            if (!proposed.get("webhook.url").isEmpty()) {
                try {
                    new io.tinyreid.app.notify.WebhookConfig(new java.net.URI(proposed.get("webhook.url")), null, false);
                } catch (IllegalArgumentException | java.net.URISyntaxException e) {
                    throw new IllegalArgumentException("the webhook URL must be an http:// or https:// address with a host");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new UserError(400, capitalise(e.getMessage()) + ". Nothing was changed.");
        }
        for (var e : proposed.entrySet()) {
            if (e.getValue().isEmpty()) {
                st.remove(e.getKey());
            } else {
                st.set(e.getKey(), e.getValue());
            }
        }
        List<String> problems = live.reloadNotifications();
        pages.redirect(ctx, "/settings", problems.isEmpty()
                ? "Notifications saved: " + live.notificationsStatus() + "."
                : "Notifications saved, but " + String.join("; ", problems) + ".", !problems.isEmpty());
    }

    // ------------------------------------------------------------------ helpers

    static long id(Context ctx) {
        String raw = ctx.pathParam("id");
        if (raw.isEmpty() || raw.length() > 18 || !raw.chars().allMatch(Character::isDigit)) {
            throw new UserError(404, "There is no such page.");
        }
        return Long.parseLong(raw);
    }

    static Long optionalId(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > 18 || !raw.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(raw);
    }

    private static String required(Context ctx, String field, String what) {
        String v = ctx.formParam(field);
        if (v == null || v.isBlank()) {
            throw new UserError(400, "Please give " + what + ".");
        }
        return v;
    }

    private String date(Instant at) {
        return WHEN.format(at.atZone(zone));
    }

    static String ago(Instant at) {
        Duration d = Duration.between(at, Instant.now());
        if (d.isNegative() || d.toSeconds() < 60) {
            return "just now";
        }
        if (d.toMinutes() < 60) {
            return d.toMinutes() + " min ago";
        }
        if (d.toHours() < 48) {
            return d.toHours() + " h ago";
        }
        return d.toDays() + " days ago";
    }

    static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    static String capitalise(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        String t = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        return Character.toUpperCase(t.charAt(0)) + t.substring(1);
    }

    static String sourceText(SourceSpec s) {
        return switch (s) {
            case SourceSpec.Camera c -> c.device().toString();
            case SourceSpec.StreamUrl u -> SourceSpec.redacted(u.uri());
            case SourceSpec.VideoFile v -> v.file().toString();
            case SourceSpec.ImageFolder f -> f.folder().toString();
        };
    }

}
