package io.tinyreid.app.gallery;

import java.util.List;

/** What happened to each photo offered for enrolment. */
public record EnrolReport(Person person, List<Outcome> outcomes) {
    /** One photo's fate: accepted (with the stored photo id) or refused with a reason. */
    public record Outcome(String label, boolean accepted, long photoId, String message) {
        static Outcome accepted(String label, long photoId) {
            return new Outcome(label, true, photoId, "enrolled");
        }

        static Outcome refused(String label, String why) {
            return new Outcome(label, false, -1, why);
        }
    }

    /** Number of photos enrolled. */
    public long acceptedCount() {
        return outcomes.stream().filter(Outcome::accepted).count();
    }
}
