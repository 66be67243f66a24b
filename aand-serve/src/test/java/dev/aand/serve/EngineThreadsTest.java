package dev.aand.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.aand.engine.OfflineEngine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EngineThreadsTest {
    /** Runs {@code acquire(alone)} on a fresh thread; the future gives the threads taken and that thread's count. */
    static CompletableFuture<int[]> acquireOnNewThread(EngineThreads e, boolean alone) {
        CompletableFuture<int[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                int n = e.acquire(alone);
                f.complete(new int[] {n, OfflineEngine.threads()});
            } catch (Throwable x) {
                f.completeExceptionally(x);
            }
        });
        t.setDaemon(true);
        t.start();
        return f;
    }

    @Test
    void aLoneBatchTakesTheWholeBudgetAndOthersWaitForTheirShare() throws Exception {
        int before = OfflineEngine.threads();
        try {
            lanesShareTheBudget();
        } finally {
            OfflineEngine.setThreads(before); // threads started later take the process setting again
        }
    }

    private void lanesShareTheBudget() throws Exception {
        EngineThreads e = new EngineThreads(2, 2);
        int[] lone = acquireOnNewThread(e, true).get(10, TimeUnit.SECONDS);
        assertEquals(2, lone[0], "alone: every thread");
        assertEquals(2, lone[1], "and libtorch runs that thread's operations on two");
        CompletableFuture<int[]> second = acquireOnNewThread(e, false);
        Thread.sleep(200);
        assertFalse(second.isDone(), "the budget is taken: the next batch waits");
        assertEquals(1, e.waitingLanes());
        e.release(2);
        int[] share = second.get(10, TimeUnit.SECONDS);
        assertEquals(1, share[0], "a lane's share");
        assertEquals(1, share[1], "set on that thread");
        int[] third = acquireOnNewThread(e, true).get(10, TimeUnit.SECONDS);
        assertEquals(1, third[0], "alone, but another batch runs: its share, never more than the budget");
        e.release(1);
        e.release(1);
        e.freeze();
        CompletableFuture<int[]> frozen = acquireOnNewThread(e, true);
        Thread.sleep(200);
        assertFalse(frozen.isDone());
        e.unfreeze();
        assertEquals(1, frozen.get(10, TimeUnit.SECONDS)[0], "it asked while the budget was taken: its share");
        e.release(1);
        assertEquals(2, acquireOnNewThread(e, true).get(10, TimeUnit.SECONDS)[0]);
    }

    @Test
    void lanesMustFitTheBudget() {
        assertThrows(IllegalArgumentException.class, () -> new EngineThreads(1, 2));
        assertThrows(IllegalArgumentException.class, () -> new EngineThreads(0, 1));
    }
}
