package io.tinyreid.app.gallery;

/**
 * A photo offered for enrolment: its bytes and a label for messages (a file name or "upload 2"),
 * never used as a path.
 */
public record PhotoInput(String label, byte[] bytes) {}
