package io.tinyreid.app.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.FacePhoto;
import io.tinyreid.app.gallery.Identification;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.gallery.Progress;
import io.tinyreid.app.gallery.StrangerSighting;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.store.StoreException;
import io.tinyreid.app.testing.ColourCodedEngine;
import io.tinyreid.app.testing.KnownFaces;

class EventStoreTest {
    @TempDir Path tmp;

    @Test
    void historyIsFilteredByPersonPagedAndLinkedWhenAStrangerIsNamed() {
        ColourCodedEngine faces = new ColourCodedEngine(FaceModel.FACEREID).register(0xAA0000, KnownFaces.person(0));
        try (Household h = Household.open(new DataDirectory(tmp))) {
            List<Event> heard = new ArrayList<>();
            h.events().addListener(heard::add);
            long alex = h.gallery().enrol(faces.engine(), "Alex",
                    List.of(new PhotoInput("a", ColourCodedEngine.photo(0xAA0000, 64, 64))), Progress.NONE).person().id();
            Identification.Known k = (Identification.Known) h.gallery().identify(KnownFaces.person(0));
            Instant t0 = Instant.parse("2026-11-27T10:00:00Z");
            byte[] snap = ColourCodedEngine.photo(0x102030, 80, 60);
            for (int i = 0; i < 5; i++) {
                h.events().append(NewEvent.known(t0.plusSeconds(i), k, "facereid", snap));
            }
            StrangerSighting s = h.gallery().recordStranger(KnownFaces.person(2),
                    new FacePhoto(ColourCodedEngine.photo(0x0000AA, 64, 64), new FaceBox(16, 16, 32, 32, 1)));
            Event stranger = h.events().append(NewEvent.stranger(t0.plusSeconds(10), s, "facereid", null));
            assertEquals(6, heard.size());
            assertEquals("stranger #" + s.stranger().id(), stranger.label());
            assertNull(stranger.personId());

            List<Event> latest = h.events().query(EventQuery.latest(3));
            assertEquals(List.of(stranger.id(), stranger.id() - 1, stranger.id() - 2), latest.stream().map(Event::id).toList());
            List<Event> older = h.events().query(new EventQuery(null, null, null, null, latest.getLast().id(), 10));
            assertEquals(3, older.size());
            assertEquals(5, h.events().query(EventQuery.ofPerson(alex, 100)).size());
            assertEquals(1, h.events().query(new EventQuery(null, EventKind.STRANGER, null, null, null, 10)).size());
            assertEquals(2, h.events().query(new EventQuery(null, null, t0.plusSeconds(1), t0.plusSeconds(3), null, 10)).size());
            Event first = h.events().query(EventQuery.ofPerson(alex, 100)).getLast();
            assertArrayEquals(snap, h.events().snapshot(first.id()).orElseThrow());
            assertTrue(h.events().snapshot(stranger.id()).isEmpty());

            // naming the stranger links their history to the person
            long lena = h.gallery().nameStranger(s.stranger().id(), "Lena").id();
            Event linked = h.events().query(EventQuery.ofPerson(lena, 10)).getFirst();
            assertEquals(stranger.id(), linked.id());
            assertEquals("Lena", linked.label());
            assertEquals(EventKind.STRANGER, linked.kind());

            // renaming shows the current name; removing keeps the name at the time
            h.gallery().rename(alex, "Alexandra");
            assertEquals("Alexandra", h.events().event(first.id()).orElseThrow().label());
            h.gallery().removePerson(alex);
            Event orphan = h.events().event(first.id()).orElseThrow();
            assertNull(orphan.personId());
            assertEquals("Alex", orphan.label());
            // an identification made just before the person was removed is still recorded
            Event late = h.events().append(NewEvent.known(t0.plusSeconds(20), k, "facereid", null));
            assertNull(late.personId());
            assertEquals("Alex", late.label());
        }
    }

    @Test
    void snapshotsMustBeImagesOfSensibleSize() {
        try (Household h = Household.open(new DataDirectory(tmp))) {
            NewEvent text = new NewEvent(Instant.now(), EventKind.STRANGER, null, null, "s", 1, "facereid",
                    "<html>".getBytes());
            assertTrue(assertThrows(StoreException.class, () -> h.events().append(text)).getMessage()
                    .contains("must be a JPEG or PNG"));
            byte[] huge = new byte[EventStore.MAX_SNAPSHOT_BYTES + 1];
            huge[0] = (byte) 0xFF;
            huge[1] = (byte) 0xD8;
            huge[2] = (byte) 0xFF;
            NewEvent big = new NewEvent(Instant.now(), EventKind.STRANGER, null, null, "s", 1, "facereid", huge);
            assertTrue(assertThrows(StoreException.class, () -> h.events().append(big)).getMessage().contains("limit"));
            assertEquals(0, h.events().count());
            assertThrows(IllegalArgumentException.class, () -> EventQuery.latest(0));
            assertThrows(IllegalArgumentException.class, () -> EventQuery.latest(EventQuery.MAX_LIMIT + 1));
        }
    }

    @Test
    void oldEventsArePrunedWithTheirSnapshots() throws Exception {
        try (Household h = Household.open(new DataDirectory(tmp))) {
            h.settings().set("events.max-age-days", "7");
            byte[] snap = ColourCodedEngine.photo(0x102030, 40, 30);
            Instant now = Instant.now();
            h.events().append(new NewEvent(now.minus(Duration.ofDays(8)), EventKind.STRANGER, null, 1L, "old", 1, "facereid", snap));
            h.events().append(new NewEvent(now.minus(Duration.ofDays(6)), EventKind.STRANGER, null, 1L, "new", 1, "facereid", snap));
            assertEquals(1, h.events().prune());
            assertEquals(List.of("new"), h.events().query(EventQuery.latest(10)).stream().map(Event::label).toList());
            try (var files = java.nio.file.Files.list(h.snapshots().dir())) {
                assertEquals(1, files.count());
            }
        }
    }
}
