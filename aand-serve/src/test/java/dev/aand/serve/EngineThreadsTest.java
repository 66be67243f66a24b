package dev.aand.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.aand.engine.OfflineEngine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EngineThreadsTest {
    /** Runs {@code acquire()} on a fresh thread; the future gives the threads taken and that thread's count. */
    static CompletableFuture<int[]> acquireOnNewThread(EngineThreads e) {
        CompletableFuture<int[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                int n = e.acquire();
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
    void eachBatchRunsOnItsLanesShareAndTogetherTheyNeverExceedTheBudget() throws Exception {
        int before = OfflineEngine.threads();
        try {
            lanesShareTheBudget();
        } finally {
            OfflineEngine.setThreads(before); // threads started later take the process setting again
        }
    }

    private void lanesShareTheBudget() throws Exception {
        EngineThreads e = new EngineThreads(2, 2);
        int[] first = acquireOnNewThread(e).get(10, TimeUnit.SECONDS);
        assertEquals(1, first[0], "half the budget");
        assertEquals(1, first[1], "set as that thread's libtorch thread count");
        int[] second = acquireOnNewThread(e).get(10, TimeUnit.SECONDS);
        assertEquals(1, second[0], "a second batch runs beside the first");
        CompletableFuture<int[]> third = acquireOnNewThread(e);
        Thread.sleep(200);
        assertFalse(third.isDone(), "the budget is taken: a third batch waits");
        assertEquals(1, e.waitingLanes());
        e.release(1);
        assertEquals(1, third.get(10, TimeUnit.SECONDS)[0]);
        e.release(1);
        e.release(1);

        EngineThreads one = new EngineThreads(2, 1);
        assertEquals(2, acquireOnNewThread(one).get(10, TimeUnit.SECONDS)[1], "one lane: the whole budget");
        CompletableFuture<int[]> next = acquireOnNewThread(one);
        Thread.sleep(200);
        assertFalse(next.isDone(), "one batch at a time");
        one.release(2);
        assertEquals(2, next.get(10, TimeUnit.SECONDS)[0]);
        one.release(2);

        one.freeze();
        CompletableFuture<int[]> frozen = acquireOnNewThread(one);
        Thread.sleep(200);
        assertFalse(frozen.isDone(), "frozen (tests): no batch starts");
        one.unfreeze();
        assertEquals(2, frozen.get(10, TimeUnit.SECONDS)[0]);
    }

    @Test
    void lanesMustFitTheBudget() {
        assertThrows(IllegalArgumentException.class, () -> new EngineThreads(1, 2));
        assertThrows(IllegalArgumentException.class, () -> new EngineThreads(0, 1));
    }
}
