package dev.aand.serve;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The two rules by which a forming batch decides to wait or to leave (ModelWorker). */
class BatchingRulesTest {
    private static final long MS = 1_000_000L;

    @Test
    void aLoneClientsImageLeavesAtOnceAndClientsOfABatchAreWaitedForMaxWait() {
        assertEquals(0, ModelWorker.waitNanos(false, false, 5 * MS, 130 * MS), "after a lone image, nothing coming");
        assertEquals(5 * MS, ModelWorker.waitNanos(false, true, 5 * MS, 700 * MS), "after a batch of several");
    }

    @Test
    void imagesBeingPreparedAreWaitedForUpToATenthOfTheEngineTimeWhenThatIsLonger() {
        assertEquals(70 * MS, ModelWorker.waitNanos(true, false, 5 * MS, 700 * MS));
        assertEquals(70 * MS, ModelWorker.waitNanos(true, true, 5 * MS, 700 * MS));
        assertEquals(5 * MS, ModelWorker.waitNanos(true, false, 5 * MS, 20 * MS), "a fast engine: --max-wait-ms");
        assertEquals(5 * MS, ModelWorker.waitNanos(true, false, 5 * MS, 0), "nothing scored yet");
        assertEquals(300 * MS, ModelWorker.waitNanos(true, false, 300 * MS, 700 * MS));
    }

    @Test
    void withAnIdleLaneABatchLeavesOnceItHoldsItsShareOfTheWaitingImages() {
        assertFalse(ModelWorker.leavesForIdleLane(1, 0, 7, 0), "no idle lane (always so with one lane)");
        assertTrue(ModelWorker.leavesForIdleLane(1, 1, 0, 0), "nothing else waiting: the idle lane takes what comes");
        assertFalse(ModelWorker.leavesForIdleLane(1, 1, 3, 0), "4 images for 2 lanes: 2 each");
        assertTrue(ModelWorker.leavesForIdleLane(2, 1, 2, 0));
        assertFalse(ModelWorker.leavesForIdleLane(2, 1, 1, 2), "5 images, 2 of them being prepared: 3 here");
        assertTrue(ModelWorker.leavesForIdleLane(3, 1, 0, 2));
        assertFalse(ModelWorker.leavesForIdleLane(1, 2, 5, 0), "6 images for 3 lanes: 2 each");
        assertTrue(ModelWorker.leavesForIdleLane(2, 2, 4, 0));
    }
}
