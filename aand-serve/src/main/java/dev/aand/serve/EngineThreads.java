package dev.aand.serve;

import dev.aand.engine.OfflineEngine;
import java.util.concurrent.Semaphore;

/**
 * The engine's fixed thread budget (libtorch intra-op threads, one per core unless set), shared by
 * every model's inference lanes so that batches together never use more threads than the budget.
 *
 * <p>A batch that starts while nothing else is running or waiting gets the whole budget: one client
 * at a time sees the lowest latency. Otherwise it gets one lane's share and another lane's batch
 * runs beside it. Why two smaller batches side by side: libtorch's threads of one batch wait for
 * each other at every operation, so when request threads (decoding, HTTP) take a core from one of
 * them, the whole batch stalls, whereas a one-thread batch only slows by what it loses. Measured on
 * two cores with a 64 px model at batch 8: two one-thread batches side by side gave 137 images/s,
 * one two-thread batch 109.
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
     * Waits for threads for one batch and applies them to the calling thread.
     *
     * @param alone whether nothing else is running or waiting: then the whole budget is taken if free
     * @return the threads taken, to give back with {@link #release}
     */
    int acquire(boolean alone) throws InterruptedException {
        int n;
        if (alone && permits.tryAcquire(budget)) {
            n = budget;
        } else {
            permits.acquire(share);
            n = share;
        }
        OfflineEngine.setThreadsOfThisThread(n);
        return n;
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
