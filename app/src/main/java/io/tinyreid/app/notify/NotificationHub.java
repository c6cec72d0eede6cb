package io.tinyreid.app.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.tinyreid.app.events.Event;
import io.tinyreid.app.events.EventStore;
import io.tinyreid.app.store.Household;

/**
 * Hands events to the notifiers on a worker thread, through a bounded queue: appending an event
 * never waits for a broker or a web server; when notifications fall behind, the oldest waiting
 * event is dropped (and counted), never the event store's copy.
 */
public final class NotificationHub implements AutoCloseable {
    /** Per-notifier delivery counts and the last failure, for the UI and logs. */
    public record Status(String notifier, long delivered, long failed, String lastError) {}

    private final EventStore events;
    private final List<Notifier> notifiers;
    private final ArrayBlockingQueue<Event> queue;
    private final Consumer<Event> listener = this::enqueue;
    private final Thread worker;
    private final AtomicLong dropped = new AtomicLong();
    private final Map<String, long[]> counts = new ConcurrentHashMap<>();
    private final Map<String, String> lastErrors = new ConcurrentHashMap<>();
    private volatile boolean closing;

    private NotificationHub(EventStore events, List<Notifier> notifiers, int capacity) {
        this.events = events;
        this.notifiers = List.copyOf(notifiers);
        this.queue = new ArrayBlockingQueue<>(capacity);
        for (Notifier n : notifiers) {
            counts.put(n.name(), new long[2]);
        }
        this.worker = Thread.ofPlatform().daemon().name("tinyreid-notify").unstarted(this::work);
    }

    /** Starts delivering every event appended to {@code events} from now on to {@code notifiers}. */
    public static NotificationHub start(EventStore events, List<Notifier> notifiers, int capacity) {
        NotificationHub hub = new NotificationHub(events, notifiers, capacity);
        hub.worker.start();
        events.addListener(hub.listener);
        return hub;
    }

    /**
     * Builds the notifiers the household's settings ask for ({@code mqtt.*}, {@code webhook.*}) and
     * starts them. A broker that cannot be reached now is reported in {@code problems} and skipped.
     */
    public static NotificationHub fromSettings(Household h, List<String> problems) {
        List<Notifier> list = new ArrayList<>();
        try {
            MqttConfig.from(h.settings()).ifPresent(c -> {
                try {
                    list.add(MqttNotifier.connect(c, 10, () -> h.gallery().people()));
                } catch (IllegalStateException e) {
                    problems.add(e.getMessage());
                }
            });
        } catch (IllegalArgumentException e) {
            problems.add("MQTT settings: " + e.getMessage());
        }
        try {
            WebhookConfig.from(h.settings()).ifPresent(c -> list.add(new WebhookNotifier(c)));
        } catch (IllegalArgumentException e) {
            problems.add("webhook settings: " + e.getMessage());
        }
        return start(h.events(), list, 256);
    }

    private void enqueue(Event e) {
        while (!queue.offer(e)) {
            if (queue.poll() != null) {
                dropped.incrementAndGet();
            }
        }
    }

    private void work() {
        while (!closing || !queue.isEmpty()) {
            Event e;
            try {
                e = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ex) {
                return;
            }
            if (e == null) {
                continue;
            }
            byte[] snapshot = null;
            if (e.hasSnapshot()) {
                try {
                    snapshot = events.snapshot(e.id()).orElse(null);
                } catch (RuntimeException ex) {
                    snapshot = null; // a missing snapshot must not stop the notification
                }
            }
            for (Notifier n : notifiers) {
                long[] c = counts.get(n.name());
                try {
                    n.deliver(e, snapshot);
                    c[0]++;
                } catch (InterruptedException ex) {
                    return;
                } catch (Exception ex) {
                    c[1]++;
                    lastErrors.put(n.name(), ex.getMessage() == null ? ex.toString() : ex.getMessage());
                }
            }
        }
    }

    /** Events dropped because notifications fell behind. */
    public long dropped() {
        return dropped.get();
    }

    /** How each notifier is doing. */
    public List<Status> status() {
        return notifiers.stream().map(n -> {
            long[] c = counts.get(n.name());
            return new Status(n.name(), c[0], c[1], lastErrors.get(n.name()));
        }).toList();
    }

    /** Stops listening, delivers what is queued (waiting at most {@code seconds}), closes the notifiers. */
    public void close(long seconds) {
        events.removeListener(listener);
        closing = true;
        try {
            worker.join(TimeUnit.SECONDS.toMillis(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.interrupt();
        notifiers.forEach(Notifier::close);
    }

    @Override
    public void close() {
        close(5);
    }
}
