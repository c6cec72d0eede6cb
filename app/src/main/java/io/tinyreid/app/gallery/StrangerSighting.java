package io.tinyreid.app.gallery;

/** The result of recording a stranger: which stranger (new or recognised) and how near the match was. */
public record StrangerSighting(Stranger stranger, boolean isNew, double distance) {}
