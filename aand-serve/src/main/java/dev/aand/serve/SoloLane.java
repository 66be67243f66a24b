package dev.aand.serve;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The server's solo lane: one thread that scores lone images on the whole engine budget, for every
 * model (each model hands it work from its own lanes, see {@link ModelWorker}).
 *
 * <p>One for the server rather than one per model, because libtorch's OpenMP runtime (libgomp)
 * keeps a pool of worker threads for every thread that ever ran an operation on several threads, and
 * once the process holds as many such workers as there are cores, every pool sleeps between
 * operations instead of waiting actively, so each operation first waits for its workers to wake.
 * Measured with the 256 px cookie model on 2 cores at concurrency 1: 79-84 ms per request (p50) with
 * one such pool, 94-104 ms with two, one of them idle (a second model's solo lane, or the thread that
 * had loaded the model); the same in a bare harness, 74-85 ms against 91-98 ms with three idle pools.
 * The lanes of a one-thread share hold no pool, and threads that only load run on one thread
 * ({@link ModelWorker#load}). Lanes of several threads each (more cores than lanes) hold pools of
 * their own, one per model and lane, which can again outnumber the cores: not measured here.
 */
final class SoloLane {
    private final LinkedBlockingQueue<Runnable> work = new LinkedBlockingQueue<>();
    /** Whether a lone image holds the lane, from its hand-over until its engine threads are given back. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private final Thread thread;
    private final Consumer<String> log;
    private volatile boolean stopping;

    /** @param log where a task's unexpected failure, or a stop past its deadline, is reported */
    SoloLane(Consumer<String> log) {
        this.log = log;
        thread = new Thread(this::run, "aand-infer-solo");
        thread.setDaemon(true);
        thread.start();
    }

    /** Takes the lane for one lone image; false while another holds it. */
    boolean claim() {
        return busy.compareAndSet(false, true);
    }

    /** Gives the lane back once a claimed image's engine work is done. */
    void free() {
        busy.set(false);
    }

    /** Runs {@code task} on the lane after what it already has; the task must not throw. */
    void submit(Runnable task) {
        work.add(task);
    }

    /** Runs what it has been given, then stops; waits up to {@code timeoutMs} for that. */
    void stop(long timeoutMs) {
        stopping = true;
        ModelWorker.await(thread, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, timeoutMs)), timeoutMs, log);
    }

    private void run() {
        try {
            while (!stopping || !work.isEmpty()) {
                Runnable task = work.poll(100, TimeUnit.MILLISECONDS);
                if (task == null) {
                    continue;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // ModelWorker's tasks complete their requests before anything that can throw;
                    // the lane must live on for every other model.
                    log.accept("solo lane: " + e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
