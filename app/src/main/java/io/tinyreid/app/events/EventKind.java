package io.tinyreid.app.events;

/** What happened at the door. */
public enum EventKind {
    /** A household member was recognised. */
    KNOWN,
    /** An unknown face was seen (recorded as a stranger). */
    STRANGER
}
