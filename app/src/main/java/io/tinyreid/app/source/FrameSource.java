package io.tinyreid.app.source;

/** An opened source of frames. Not thread-safe: one capture thread reads it. */
public interface FrameSource extends AutoCloseable {
    /**
     * Fills {@code into} with the next frame (scaled to fit QVGA, gray and RGB).
     *
     * @return false at the end of a finite source (file, folder)
     * @throws SourceException when the source failed (a camera vanished, a stream stalled)
     */
    boolean read(Frame into) throws SourceException;

    /** True for sources that produce frames at their own pace (cameras, streams). */
    boolean live();

    /** Frame rate the source declares, or 0 when unknown. */
    double frameRate();

    @Override
    void close();
}
