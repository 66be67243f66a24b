package dev.aand.serve;

import dev.aand.engine.OfflineEngine;
import java.util.concurrent.Semaphore;

/**
 * The engine's fixed thread budget (libtorch intra-op threads, one per core unless set), shared by
 * every model's inference lanes: each batch runs on one lane's share (the budget divided by the
 * lanes), so batches together never use more threads than the budget.
 *
 * <p>Why several smaller batches side by side can beat one: libtorch's threads of one batch wait
 * for each other at every operation, so when request threads (decoding, HTTP) take a core from one
 * of them, the whole batch stalls, whereas a one-thread batch only slows by what it loses. Two
 * one-thread {@code bench} processes at batch 8 side by side gave 137 images/s with a 64 px model
 * against 109 for one two-thread process, and 14.5 against 13.6 with a 256 px model.
 *
 * <p>A lane's thread count is set once: libtorch's {@code set_num_threads} also empties its cache
 * of prepared oneDNN convolutions ({@code clear_computation_cache}), and a model instance's
 * convolutions are prepared (weights reordered) for the thread count of the thread that first runs
 * it. With the 256 px cookie model at batch 1, a one-thread lane took 445 ms per image on an
 * instance prepared by a two-thread lane (175 ms on its own), and a two-thread lane 300 ms on a
 * one-thread one (134); two lanes that switched to the whole budget whenever a batch found the
 * engine idle served 7.6-8.1 req/s at concurrency 8 where two that never switched served 12.8.
 * So a lone image gets the whole budget from a lane of its own instead ({@link #acquireAll}, the
 * server's {@link SoloLane}), scoring a model instance of its own: two instances prepared
 * for different counts, each on its own thread, keep their speed side by side (256 px, measured in
 * one process: 83-88 ms per image on two threads and 131-146 ms on one, alternating, against 94
 * and 138 ms each alone).
 */
final class EngineThreads {
    final int budget;
    final int lanes;
    private final int share;
    private final Semaphore permits;

    EngineThreads(int budget, int lanes) {
        if (budget < 1 || lanes < 1 || lanes > budget) {
            throw new IllegalArgumentException("engine threads " + budget + " and lanes " + lanes
                    + ": need 1 <= lanes <= threads");
        }
        this.budget = budget;
        this.lanes = lanes;
        this.share = budget / lanes;
        this.permits = new Semaphore(budget, true);
    }

    /** The budget of this process (libtorch's intra-op threads) in {@code lanes} lanes. */
    static EngineThreads forThisProcess(int lanes) {
        int budget = OfflineEngine.threads();
        if (lanes > budget) {
            throw new IllegalArgumentException("--lanes " + lanes + " needs at least as many engine threads; libtorch has "
                    + budget + " (one per core, or -Dai.djl.pytorch.num_threads)");
        }
        return new EngineThreads(budget, lanes);
    }

    /**
     * Waits for one lane's share of the budget and sets it as the calling thread's libtorch thread
     * count (a lane's count never changes, so this sets it once per lane).
     *
     * @return the threads taken, to give back with {@link #release}
     */
    int acquire() throws InterruptedException {
        return take(share);
    }

    /**
     * Waits for the whole budget and sets it as the calling thread's libtorch thread count: the
     * solo lane's share, for a lone image while every other lane is idle.
     *
     * @return the threads taken, to give back with {@link #release}
     */
    int acquireAll() throws InterruptedException {
        return take(budget);
    }

    private int take(int threads) throws InterruptedException {
        permits.acquire(threads);
        OfflineEngine.setThreadsOfThisThread(threads);
        return threads;
    }

    /** Whether lone images get a lane of their own with the whole budget: when a lane's share is less. */
    boolean hasSoloLane() {
        return share < budget;
    }

    void release(int threads) {
        permits.release(threads);
    }

    /** Takes the whole budget, freezing every lane before its next batch (tests). */
    void freeze() throws InterruptedException {
        permits.acquire(budget);
    }

    void unfreeze() {
        permits.release(budget);
    }

    /** Lanes waiting for threads (tests). */
    int waitingLanes() {
        return permits.getQueueLength();
    }
}
