package io.tinyreid.app.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.tinyreid.app.gallery.Progress;

/**
 * Enrolments started from the web run here, one at a time, so the browser can show "photo 7 of
 * 20" while faces are found and embedded instead of waiting on a silent request. A job belongs
 * to the session that started it; the last few finished jobs are kept until their owner has seen
 * the result.
 */
final class EnrolJobs {
    /** Where to go when done, and what to tell the user there. */
    record Result(String to, String message, boolean error) {}

    /** One enrolment in progress or done. */
    static final class Job implements Progress {
        final long id;
        final String title;
        final String ownerToken;
        private volatile int total;
        private volatile int done;
        private volatile String item = "";
        private volatile Result result;
        private final CountDownLatch finished = new CountDownLatch(1);

        Job(long id, String title, String ownerToken, int total) {
            this.id = id;
            this.title = title;
            this.ownerToken = ownerToken;
            this.total = total;
        }

        @Override
        public void update(int done, int total, String item) {
            this.total = total;
            this.done = done;
            this.item = item == null ? "" : item;
        }

        int done() { return done; }

        /** Items of the current stage (an import first unpacks, then embeds). */
        int total() { return total; }

        String item() { return item; }

        /** The result, or null while running. */
        Result result() { return result; }

        /** Waits up to {@code millis} for the job to finish; returns its result or null. */
        Result await(long millis) throws InterruptedException {
            finished.await(millis, TimeUnit.MILLISECONDS);
            return result;
        }

        void finish(Result r) {
            result = r;
            finished.countDown();
        }
    }

    private static final int KEPT = 32;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("web-enrol").daemon().factory());
    private final AtomicLong ids = new AtomicLong(System.nanoTime() & 0xFFFF);
    private final Map<Long, Job> jobs = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Job> eldest) {
            return size() > KEPT;
        }
    };

    /** Queues {@code work}, which reports to the job it is given and returns where to go next. */
    Job submit(Sessions.Session owner, String title, int total, Function<Job, Result> work) {
        Job job = new Job(ids.incrementAndGet(), title, owner.token, total);
        synchronized (jobs) {
            jobs.put(job.id, job);
        }
        worker.execute(() -> {
            Result r;
            try {
                r = work.apply(job);
            } catch (RuntimeException e) { // work maps expected failures itself; this is the last resort
                r = new Result("/people", "The photos could not be added: " + e.getMessage(), true);
            }
            job.finish(r);
        });
        return job;
    }

    /** The session's job with that id. */
    Optional<Job> find(long id, Sessions.Session s) {
        synchronized (jobs) {
            Job j = jobs.get(id);
            return j != null && j.ownerToken.equals(s.token) ? Optional.of(j) : Optional.empty();
        }
    }

    /** Forgets a job whose result was shown. */
    void forget(Job j) {
        synchronized (jobs) {
            jobs.remove(j.id);
        }
    }
}
