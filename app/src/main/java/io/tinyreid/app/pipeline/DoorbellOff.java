package io.tinyreid.app.pipeline;

import java.util.List;
import java.util.Optional;

import io.tinyreid.app.gallery.FacePhoto;
import io.tinyreid.app.source.SourceSpec;
import io.tinyreid.app.web.LiveControl;

/**
 * The doorbell when it could not start (the household does not fit its memory budget): the web UI
 * still runs on it, so the household can be fixed from a phone, but nothing is watched or notified.
 */
public final class DoorbellOff implements LiveControl {
    private final LiveView view = new LiveView();
    private final String why;
    private volatile SourceSpec source;

    /** Off for the reason {@code why} (one sentence, shown in the status line), configured to watch {@code source}. */
    public DoorbellOff(SourceSpec source, String why) {
        this.source = source;
        this.why = why;
        view.publishNoSignal();
    }

    @Override
    public LiveView liveView() {
        return view;
    }

    @Override
    public String statusLine() {
        return "doorbell off: " + why;
    }

    @Override
    public SourceSpec source() {
        return source;
    }

    /** Remembered for the status line; the next start of 'tinyreid run' watches what the Settings page saved. */
    @Override
    public void switchSource(SourceSpec spec) {
        source = spec;
    }

    @Override
    public Optional<FacePhoto> largestFaceNow() {
        return Optional.empty();
    }

    @Override
    public void modelChanged() {
        // nothing runs a network
    }

    @Override
    public String notificationsStatus() {
        return "off while the doorbell is off";
    }

    @Override
    public List<String> reloadNotifications() {
        return List.of();
    }
}
