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
 * <p>A lane's thread count is set once. A lone image could run faster on the whole budget, but
 * switching costs: libtorch's {@code set_num_threads} also empties its cache of prepared oneDNN
 * convolutions ({@code clear_computation_cache}), which are then built again. With the 256 px
 * cookie model at concurrency 8, two lanes that
 * switched to the whole budget whenever a batch found the engine idle served 7.6-8.1 req/s; two
 * that never switched, 12.8 (one lane: 10.0). Nor can lanes of different counts (one of two
 * threads for lone images beside one-thread lanes) share a process without switching: the prepared
 * convolutions are shared by all threads and fit the count of the thread that built them. With
 * the 256 px model at batch 1, a one-thread lane took 445 ms per image on convolutions built by a
 * two-thread lane (175 ms on its own), and a two-thread lane 300 ms on one-thread ones (134).
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
        permits.acquire(share);
        OfflineEngine.setThreadsOfThisThread(share);
        return share;
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
