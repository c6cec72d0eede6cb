package io.tinyreid.app.web;

import java.util.List;
import java.util.Optional;

import io.tinyreid.app.gallery.FacePhoto;
import io.tinyreid.app.pipeline.LiveView;
import io.tinyreid.app.source.SourceSpec;

/** What the web UI needs from the running doorbell. */
public interface LiveControl {
    /** The live frames. */
    LiveView liveView();

    /** Source, capture state and processing rate in one line. */
    String statusLine();

    /** The source being watched. */
    SourceSpec source();

    /** Switches to another source (the old one is closed; failures show in the status line). */
    void switchSource(SourceSpec spec);

    /** The largest face on the newest frame, cut out with context, for enrolment from the live view. */
    Optional<FacePhoto> largestFaceNow();

    /** Re-creates the frame pipeline's network after the gallery switched models. */
    void modelChanged();

    /** What is notified (MQTT, webhook) and how delivery goes, in one line. */
    String notificationsStatus();

    /** Restarts notifications from the current {@code mqtt.*}/{@code webhook.*} settings; returns what failed. */
    List<String> reloadNotifications();
}
