package io.tinyreid.app.firmware;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tinyreid.nn.importer.Json;

/**
 * What the frame loop says about one frame, in the firmware's terms: the detector's boxes (score as
 * IEEE bits), the face identified (the largest box big enough), the FNV-1a checksum of its descriptor
 * and the gallery's decision. Java and the firmware each produce one per frame; {@link #differences}
 * names the fields where two differ.
 *
 * @param boxes      x, y, w, h, neighbours, score bits per box
 * @param truncated  more boxes or raw windows than fitted
 * @param face       x, y, w, h of the face identified, or null
 * @param descriptor FNV-1a 32 of the descriptor's int16 values (little endian), hex, or null
 * @param decision   known, stranger or none
 * @param person     the person's id when known, else 0
 * @param distance   the distance to the nearest template as IEEE double bits (hex), or null
 */
public record FrameVerdict(List<List<Long>> boxes, boolean truncated, List<Long> face, String descriptor, String decision,
                           long person, String distance) {
    /** The decisions. */
    public static final List<String> DECISIONS = List.of("known", "stranger", "none");

    /** Parses one line of the firmware's output. */
    public static FrameVerdict parse(String jsonLine) {
        Object o = Json.parse(jsonLine);
        if (!(o instanceof Map<?, ?> m) || !m.containsKey("boxes") || !m.containsKey("decision")) {
            throw new IllegalArgumentException("not a firmware frame line: " + jsonLine);
        }
        List<List<Long>> boxes = ((List<?>) m.get("boxes")).stream().map(FrameVerdict::longs).toList();
        Object face = m.get("face");
        return new FrameVerdict(boxes, ((Number) m.get("truncated")).intValue() != 0, face == null ? null : longs(face),
                (String) m.get("descriptor"), (String) m.get("decision"), ((Number) m.get("person")).longValue(),
                (String) m.get("distance"));
    }

    private static List<Long> longs(Object list) {
        return ((List<?>) list).stream().map(v -> ((Number) v).longValue()).toList();
    }

    /** FNV-1a 32 over the int16 values, little endian, as 8 hex digits (doorbell.c's checksum). */
    public static String checksum(short[] descriptor) {
        int h = 0x811c9dc5;
        for (short v : descriptor) {
            h = (h ^ (v & 0xff)) * 16777619;
            h = (h ^ ((v >> 8) & 0xff)) * 16777619;
        }
        return String.format(Locale.ROOT, "%08x", h);
    }

    /** The distance's bits as doorbell.c prints them. */
    public static String bits(double distance) {
        return String.format(Locale.ROOT, "%016x", Double.doubleToRawLongBits(distance));
    }

    /** The fields in which {@code other} differs from this, "" when none. */
    public String differences(FrameVerdict other) {
        StringBuilder b = new StringBuilder();
        diff(b, "boxes", boxes, other.boxes);
        diff(b, "truncated", truncated, other.truncated);
        diff(b, "face", face, other.face);
        diff(b, "descriptor", descriptor, other.descriptor);
        diff(b, "decision", decision, other.decision);
        diff(b, "person", person, other.person);
        diff(b, "distance", distance, other.distance);
        return b.toString();
    }

    private static void diff(StringBuilder b, String field, Object mine, Object theirs) {
        if (!java.util.Objects.equals(mine, theirs)) {
            b.append(b.isEmpty() ? "" : "; ").append(field).append(' ').append(mine).append(" vs ").append(theirs);
        }
    }
}
