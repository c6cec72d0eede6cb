package io.tinyreid.app.gallery;

import java.util.List;

/** What happened to each photo offered for enrolment. */
public record EnrolReport(Person person, List<Outcome> outcomes) {
    /**
     * One photo's fate: accepted (with the stored photo id) or refused with a reason; a photo refused
     * because the same image is already stored names the person holding it ({@code heldBy}, else -1).
     */
    public record Outcome(String label, boolean accepted, long photoId, String message, long heldBy) {
        static Outcome accepted(String label, long photoId) {
            return new Outcome(label, true, photoId, "enrolled", -1);
        }

        static Outcome acceptedWithWarning(String label, long photoId, String warning) {
            return new Outcome(label, true, photoId, label + ": " + warning, -1);
        }

        /** True when the photo was enrolled with a quality warning ({@link #message()} says what). */
        public boolean warned() {
            return accepted && !message.equals("enrolled");
        }

        static Outcome refused(String label, String why) {
            return new Outcome(label, false, -1, why, -1);
        }

        static Outcome alreadyStored(String label, long heldBy, String why) {
            return new Outcome(label, false, -1, why, heldBy);
        }

        /** True when this photo was refused only because {@code personId} already has it. */
        public boolean alreadyEnrolledFor(long personId) {
            return !accepted && heldBy >= 0 && heldBy == personId;
        }
    }

    /** Number of photos enrolled. */
    public long acceptedCount() {
        return outcomes.stream().filter(Outcome::accepted).count();
    }

    /**
     * True when nothing new was enrolled because every photo offered is already stored for the
     * person enrolled (running the same `people add` twice): not an error.
     */
    public boolean allAlreadyEnrolled() {
        return person != null && !outcomes.isEmpty()
                && outcomes.stream().allMatch(o -> o.alreadyEnrolledFor(person.id()));
    }
}
