package dev.aand.serve;

import ai.djl.inference.Predictor;
import dev.aand.api.AnomalyResult;
import dev.aand.api.PreparedImage;
import dev.aand.engine.OfflineEngine;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One model name's inference: its current version, its admission queue and the lanes (threads)
 * that feed the engine. Concurrent requests' images are gathered into one engine batch of up to
 * {@code maxBatch} images. A batch waits for company only while admitted images are still being
 * decoded and prepared or the previous batch held several images (after a lone image, one client
 * at a time, nothing else is coming), for at most {@code maxWaitMs} after its last image joined
 * (longer for images being prepared when the engine is slow: {@link #waitNanos}). With several
 * lanes, a batch leaves as soon as it holds its share of the waiting images while another lane is
 * idle. Images are prepared on the request threads, so lanes do engine work only.
 * Each batch runs on its lane's share of {@link EngineThreads}, the thread budget shared by all
 * models. Where that share is less than the budget, a lone image (one batch of one, nothing else
 * queued, on its way or being scored) goes to the server's {@link SoloLane} instead, which scores it
 * on the whole budget with an instance of the model of its own: one client at a time gets the
 * latency of the whole engine, many clients the throughput of several lanes.
 *
 * <p>Every image carries the version that was current when it was admitted: a reload swaps the
 * version for new requests, while images already admitted finish on the old one, which is closed
 * (by a lane, with its Predictors) once its last image is scored.
 */
final class ModelWorker {
    /** A scored image: the result, the version that scored it and when ({@link System#nanoTime}). */
    record Scored(ServedModel model, AnomalyResult result, long scoredNanos) {}

    /** @param ticket the request's admission, null for the checks of a version being loaded */
    private record Job(ServedModel model, PreparedImage image, CompletableFuture<Scored> result, long admittedNanos,
            boolean holdsSlot, Ticket ticket) {}

    final String name;
    final Path dir;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final int capacity;
    private final EngineThreads engine;
    private final ServeMetrics metrics;
    private final AtomicReference<ServedModel> current = new AtomicReference<>();
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    /** Queue slots: admitted images not yet taken into a batch (being decoded or queued). */
    private final Semaphore slots;
    /** Admitted images still being decoded: the batcher waits for them only. */
    private final AtomicInteger arriving = new AtomicInteger();
    /** Every loaded version not yet closed; lanes close them (the last lane to stop, all of them). */
    private final Set<ServedModel> versions = ConcurrentHashMap.newKeySet();
    private final List<Thread> lanes = new ArrayList<>();
    private final AtomicInteger runningLanes = new AtomicInteger();
    /** The server's solo lane; null without one. */
    private final SoloLane solo;
    /** This model's images handed to the solo lane and not yet done with: the lanes stop only after them. */
    private final AtomicInteger withSolo = new AtomicInteger();
    /** Lanes (not the solo one) holding a batch, from forming it until it is scored. */
    private final AtomicInteger busyLanes = new AtomicInteger();
    /** Held by the lane forming a batch; guards the two fields below. */
    private final ReentrantLock collecting = new ReentrantLock();
    /** Images in the last batch formed. */
    private int lastBatchSize;
    /** An image of another version met while forming a batch: it starts the next one. */
    private Job carry;
    /** Engine time of the last batch scored (any lane), in nanoseconds. */
    private volatile long lastEngineNanos;
    /** Images being prepared are waited for up to 1/this of the last batch's engine time. */
    private static final long ADMITTED_WAIT_SHARE = 10;
    private volatile boolean stopping;

    /** @param solo the server's solo lane, null without one */
    ModelWorker(String name, Path dir, ServeOptions options, EngineThreads engine, SoloLane solo, ServeMetrics metrics) {
        this.name = name;
        this.dir = dir;
        this.maxBatch = options.maxBatch();
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(options.maxWaitMs());
        this.capacity = options.queue();
        this.slots = new Semaphore(capacity);
        this.engine = engine;
        this.metrics = metrics;
        metrics.queueDepth(name, this::queueDepth);
        this.solo = solo;
        for (int i = 0; i < engine.lanes; i++) {
            lanes.add(new Thread(this::serve, "aand-infer-" + name + "-" + i));
        }
        runningLanes.set(lanes.size());
        lanes.forEach(t -> {
            t.setDaemon(true);
            t.start();
        });
    }

    /** Versions loaded and not yet closed (1 in a steady state). */
    int openVersions() {
        return versions.size();
    }

    /** Images admitted and not yet in a batch. */
    int queueDepth() {
        return capacity - slots.availablePermits();
    }

    /** The version new requests get, or null before the first load. */
    ServedModel current() {
        return current.get();
    }

    /**
     * Loads the folder, verifies the new version on this worker and only then makes it current.
     * The previous version keeps serving if anything fails. Synchronized: one load at a time.
     *
     * @return the version replaced (null on the first load)
     */
    synchronized ServedModel load() {
        long t0 = System.nanoTime();
        boolean ok = false;
        // The loading thread (main, or a request's for a reload) runs its operations on one thread,
        // so that it never holds an OpenMP pool of its own (see SoloLane); its count is restored.
        int callersThreads = OfflineEngine.threads();
        try {
            OfflineEngine.setThreadsOfThisThread(1);
            ServedModel fresh = ServedModel.load(name, dir, solo != null);
            versions.add(fresh);
            try {
                verify(fresh);
            } catch (RuntimeException e) {
                fresh.release(); // this worker closes it
                throw e;
            }
            ServedModel old = current.getAndSet(fresh);
            if (old != null) {
                old.release();
            }
            ok = true;
            return old;
        } finally {
            OfflineEngine.setThreadsOfThisThread(callersThreads);
            metrics.modelLoad(name, ok, System.nanoTime() - t0);
        }
    }

    /**
     * One grey image at the model's size through the worker's lanes, and through the solo lane when
     * there is one: each instance of the new version must give finite numbers (and is prepared for
     * its lane's thread count on the way).
     */
    private void verify(ServedModel m) {
        PreparedImage grey = m.prepare(m.plainGrey());
        check(m, grey, false);
        if (solo != null) {
            check(m, grey, true);
        }
    }

    /** Scores {@code image} on a lane or on the solo lane and checks the score is finite. */
    private void check(ServedModel m, PreparedImage image, boolean onSolo) {
        CompletableFuture<Scored> f = new CompletableFuture<>();
        m.retain();
        Job job = new Job(m, image, f, System.nanoTime(), false, null);
        if (onSolo) {
            handToSolo(List.of(job));
        } else {
            queue.add(job);
        }
        AnomalyResult r;
        try {
            r = f.join().result();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("model " + name + " failed its test prediction: " + cause.getMessage(), e);
        }
        if (!Double.isFinite(r.score())) {
            throw new IllegalStateException("model " + name + " gives a non-finite score (" + r.score()
                    + ") on a plain grey image; refusing to serve it");
        }
    }

    /**
     * Reserves queue room for {@code images} images of one request, all or nothing.
     *
     * @throws ApiError 503 with {@code Retry-After} when the queue is full
     */
    Ticket admit(int images) {
        if (stopping) {
            throw new ApiError(503, "shutting_down", "the service is shutting down", Map.of("Retry-After", "1"));
        }
        if (images > capacity) {
            throw new ApiError(413, "too_many_images", images + " images in one request; at most " + capacity
                    + " (the --queue size)");
        }
        if (!slots.tryAcquire(images)) {
            throw new ApiError(503, "queue_full", "model " + name + " has " + queueDepth()
                    + " of " + capacity + " queue places taken; retry shortly", Map.of("Retry-After", "1"));
        }
        arriving.addAndGet(images);
        return new Ticket(images);
    }

    /** Queue room held by one request between admission and submission. */
    final class Ticket {
        /** Images of this request still counted in {@code arriving} (read by the lanes). */
        private volatile int held;

        private Ticket(int held) {
            this.held = held;
        }

        /**
         * Prepares the request's pictures for the current version (on the caller's thread, through
         * {@code prepare}) and queues them on it; one future per image, in order.
         */
        List<CompletableFuture<Scored>> submit(List<BufferedImage> pictures, Preparer prepare) {
            if (pictures.size() != held) {
                throw new IllegalArgumentException(pictures.size() + " images for " + held + " places");
            }
            ServedModel m = acquireCurrent();
            List<PreparedImage> images = new ArrayList<>(pictures.size());
            try {
                for (BufferedImage p : pictures) {
                    images.add(prepare.prepare(m, p));
                }
            } catch (RuntimeException | Error e) {
                m.release();
                throw e;
            }
            List<CompletableFuture<Scored>> out = new ArrayList<>(images.size());
            long now = System.nanoTime();
            for (int i = 0; i < images.size(); i++) {
                if (i > 0) {
                    m.retain();
                }
                CompletableFuture<Scored> f = new CompletableFuture<>();
                out.add(f);
                queue.add(new Job(m, images.get(i), f, now, true, this));
            }
            arriving.addAndGet(-held);
            held = 0;
            return out;
        }

        /** Gives the room back (the request failed before its images were queued). */
        void cancel() {
            if (held > 0) {
                arriving.addAndGet(-held);
                slots.release(held);
                held = 0;
            }
        }
    }

    /** Pre-processing of one picture for one version, run on the request's thread. */
    @FunctionalInterface
    interface Preparer {
        PreparedImage prepare(ServedModel version, BufferedImage picture);
    }

    private ServedModel acquireCurrent() {
        while (true) {
            ServedModel m = current.get();
            if (m == null) {
                throw new ApiError(503, "not_ready", "model " + name + " is not loaded yet", Map.of("Retry-After", "1"));
            }
            if (m.tryAcquire()) {
                return m;
            }
            Thread.onSpinWait(); // a reload just replaced it; the next read sees the new version
        }
    }

    /**
     * One lane: forms batches from the queue and scores them until the worker stops, and then only
     * once the solo lane is done with this model's images (the last lane closes every version).
     */
    private void serve() {
        try {
            while (true) {
                List<Job> batch = nextBatch();
                if (batch == null) {
                    closeUnused();
                    if (stopping && queue.isEmpty() && arriving.get() == 0 && withSolo.get() == 0) {
                        return;
                    }
                    continue;
                }
                if (batch.isEmpty()) {
                    continue; // handed to the solo lane
                }
                try {
                    score(batch, false);
                } finally {
                    busyLanes.decrementAndGet();
                }
                done(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            laneStopped();
        }
    }

    /** Scores {@code batch} on the solo lane; counted until it is done with. */
    private void handToSolo(List<Job> batch) {
        withSolo.incrementAndGet();
        solo.submit(() -> {
            try {
                score(batch, true);
                done(batch);
            } finally {
                withSolo.decrementAndGet();
            }
        });
    }

    /** Lets go of a scored batch's versions and closes those no one holds any more. */
    private void done(List<Job> batch) {
        batch.forEach(j -> j.model().release());
        closeUnused();
    }

    private void laneStopped() {
        if (runningLanes.decrementAndGet() == 0) {
            List.copyOf(versions).forEach(this::close);
        }
    }

    /**
     * The next batch for this lane, empty when it went to the solo lane, or null when no image came
     * for a while. One lane collects at a time while the others score, so batches fill as they
     * would with a single lane.
     */
    private List<Job> nextBatch() throws InterruptedException {
        collecting.lockInterruptibly();
        try {
            Job first = carry != null ? carry : take();
            carry = null;
            if (first == null) {
                return null;
            }
            List<Job> batch = new ArrayList<>(maxBatch);
            batch.add(first);
            // How long to wait for company: waitNanos; when to leave for an idle lane:
            // leavesForIdleLane. Each wait restarts when an image joins.
            boolean expectCompany = lastBatchSize > 1;
            long engineNanos = lastEngineNanos;
            long lastJoin = first.admittedNanos();
            while (batch.size() < maxBatch
                    && !leavesForIdleLane(batch.size(), collecting.getQueueLength(), queue.size(), arriving.get())) {
                Job next = queue.poll();
                if (next == null) {
                    long wait = waitNanos(arriving.get() > 0, expectCompany, maxWaitNanos, engineNanos);
                    long left = lastJoin + wait - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    // Short waits so that the batch leaves as soon as nothing is on its way.
                    next = queue.poll(Math.min(left, 500_000L), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        continue;
                    }
                }
                freeSlot(next);
                if (next.model() != first.model()) {
                    carry = next; // a reload happened: versions never share a batch
                    break;
                }
                batch.add(next);
                lastJoin = System.nanoTime();
            }
            lastBatchSize = batch.size();
            if (goesSolo(batch)) {
                return List.of();
            }
            busyLanes.incrementAndGet(); // before the next lane collects: it must see this one busy
            return batch;
        } finally {
            collecting.unlock();
        }
    }

    /**
     * Hands a lone image to the solo lane when nothing else is queued, on its way or being scored.
     * Its own request may still count as arriving for a moment after queueing it: only other
     * requests' images count.
     */
    private boolean goesSolo(List<Job> batch) {
        Ticket own = batch.get(0).ticket();
        if (solo != null && batch.size() == 1 && own != null && queue.isEmpty()
                && arriving.get() - own.held <= 0 && busyLanes.get() == 0 && solo.claim()) {
            handToSolo(batch);
            return true;
        }
        return false;
    }

    /**
     * How long a forming batch waits for another image after its last one joined (0: it leaves
     * now). Images admitted and still being prepared are on their way: they are waited for up to
     * {@code --max-wait-ms}, or a tenth of the last batch's engine time when that is longer, since a
     * straggler left behind costs a batch of its own. Otherwise a batch waits {@code --max-wait-ms}
     * only when the previous batch held several images (their clients come back together).
     */
    static long waitNanos(boolean imagesBeingPrepared, boolean expectCompany, long maxWaitNanos,
            long lastEngineNanos) {
        if (imagesBeingPrepared) {
            return Math.max(maxWaitNanos, lastEngineNanos / ADMITTED_WAIT_SHARE);
        }
        return expectCompany ? maxWaitNanos : 0;
    }

    /**
     * Whether a batch of {@code size} images leaves now because {@code idleLanes} other lanes
     * wait for work: it does once it holds its share of the images queued or being prepared,
     * split among it and the idle lanes. Without this, a lane waiting for company took the images
     * of the clients another lane had just answered while that lane idled. Never with one lane.
     */
    static boolean leavesForIdleLane(int size, int idleLanes, int queued, int beingPrepared) {
        return idleLanes > 0 && (long) size * (idleLanes + 1) >= (long) size + queued + beingPrepared;
    }

    private Job take() throws InterruptedException {
        Job j = queue.poll(100, TimeUnit.MILLISECONDS);
        if (j != null) {
            freeSlot(j);
        }
        return j;
    }

    private void freeSlot(Job j) {
        if (j.holdsSlot()) {
            slots.release();
        }
    }

    /** Scores one batch (on the solo lane's instance and threads with {@code soloLane}) and completes its futures; never throws. */
    private void score(List<Job> batch, boolean soloLane) {
        ServedModel m = batch.get(0).model();
        try {
            List<PreparedImage> images = new ArrayList<>(batch.size());
            batch.forEach(j -> images.add(j.image()));
            List<AnomalyResult> results;
            try {
                // A request's lone image claimed the solo lane; a version's check did not.
                results = predict(m, images, soloLane, soloLane && batch.get(0).ticket() != null);
            } catch (Exception e) {
                if (batch.size() == 1 || e instanceof InterruptedException) {
                    throw e;
                }
                // One bad image must not fail its neighbours: score them one by one.
                batch.forEach(j -> score(List.of(j), soloLane));
                return;
            }
            long now = System.nanoTime();
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(new Scored(m, results.get(i), now));
            }
        } catch (Throwable t) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt(); // stop() gave up waiting: the loop ends
            }
            String why = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            ApiError e = new ApiError(500, "inference_failed", "model " + name + " could not score the image: " + why);
            batch.forEach(j -> j.result().completeExceptionally(e));
        }
    }

    /**
     * One engine batch on the lane's threads; its size and engine time go to the metrics when it
     * succeeds.
     */
    private List<AnomalyResult> predict(ServedModel m, List<PreparedImage> images, boolean soloLane, boolean freesSolo)
            throws Exception {
        int threads = 0;
        Predictor<PreparedImage, AnomalyResult> p = null;
        try {
            threads = soloLane ? engine.acquireAll() : engine.acquire();
            p = m.borrowPredictor(soloLane);
            long t0 = System.nanoTime();
            List<AnomalyResult> r = p.batchPredict(images);
            long engineNanos = System.nanoTime() - t0;
            lastEngineNanos = engineNanos;
            metrics.batch(name, soloLane, images.size(), engineNanos);
            return r;
        } finally {
            if (p != null) {
                m.giveBack(p, soloLane);
            }
            engine.release(threads);
            if (freesSolo) {
                solo.free(); // before the client hears back: the next lone image may come here
            }
        }
    }

    /** Closes every version no one holds any more, with its Predictors (no lane uses them). */
    private void closeUnused() {
        for (ServedModel m : versions) {
            if (m.unused()) {
                close(m);
            }
        }
    }

    private void close(ServedModel m) {
        if (versions.remove(m)) {
            m.close();
        }
    }

    /**
     * Stops taking requests, lets queued images finish, closes every version and waits up to
     * {@code timeoutMs} for the lanes.
     */
    void stop(long timeoutMs, Consumer<String> log) {
        stopping = true;
        ServedModel m = current.getAndSet(null);
        if (m != null) {
            m.release();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, timeoutMs));
        for (Thread t : lanes) {
            await(t, deadline, timeoutMs, log);
        }
    }

    /**
     * Waits for an inference thread until {@code deadline} ({@link System#nanoTime}); one still
     * running then is logged (with the {@code timeoutMs} it was given) and interrupted.
     */
    static void await(Thread t, long deadline, long timeoutMs, Consumer<String> log) {
        try {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            log.accept("inference thread " + t.getName() + " did not finish within " + timeoutMs + " ms");
            t.interrupt();
        }
    }
}
