package io.tinyreid.app.notify;

import java.util.ArrayList;
import java.util.List;

import io.tinyreid.app.store.Household;

/**
 * The running doorbell's notifications: a {@link NotificationHub} built from the household's
 * {@code mqtt.*} and {@code webhook.*} settings, rebuilt when those settings change (Settings page).
 * A broker that cannot be reached is reported, never fatal: the doorbell runs without it.
 */
public final class Notifications implements AutoCloseable {
    private final Household household;
    private NotificationHub hub;
    private List<String> problems = List.of();

    /** Starts the notifiers the settings ask for (waits up to ~10 s for an MQTT broker). */
    public Notifications(Household household) {
        this.household = household;
        reload();
    }

    /**
     * Closes the current notifiers and starts the ones the settings ask for now.
     *
     * @return what could not be started (empty when everything configured works)
     */
    public synchronized List<String> reload() {
        if (hub != null) {
            hub.close(2);
        }
        List<String> found = new ArrayList<>();
        hub = NotificationHub.fromSettings(household, found);
        problems = List.copyOf(found);
        return problems;
    }

    /** One line for the console and the Settings page: what is notified, and how it goes. */
    public synchronized String statusLine() {
        StringBuilder sb = new StringBuilder();
        for (NotificationHub.Status s : hub.status()) {
            if (!sb.isEmpty()) {
                sb.append(" · ");
            }
            sb.append(s.notifier()).append(": ").append(s.delivered()).append(" sent");
            if (s.failed() > 0) {
                sb.append(", ").append(s.failed()).append(" failed (").append(s.lastError()).append(')');
            }
        }
        for (String p : problems) {
            if (!sb.isEmpty()) {
                sb.append(" · ");
            }
            sb.append(p);
        }
        if (hub.dropped() > 0) {
            sb.append(" · ").append(hub.dropped()).append(" dropped (behind)");
        }
        return sb.isEmpty() ? "off (no MQTT broker or webhook set)" : sb.toString();
    }

    /** True when at least one notifier is running. */
    public synchronized boolean active() {
        return !hub.status().isEmpty();
    }

    @Override
    public synchronized void close() {
        hub.close(5);
    }
}
