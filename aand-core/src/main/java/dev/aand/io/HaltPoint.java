package dev.aand.io;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Crashes for tests: when the system property {@code aand.test.haltAt} names a point, the process
 * sends itself {@code kill -9} there (SIGKILL: no shutdown hooks, no finally blocks, no flushing;
 * exit status 137). A test can then kill a training process at an exact step or in the middle of
 * a checkpoint save, which a signal sent from outside cannot hit reliably. Where no {@code kill}
 * command exists, the JVM halts with status 137 instead and says so.
 *
 * <p>Points: {@code stage1:epoch<E>:step<S>} and {@code stage2:epoch<E>:step<S>} after an
 * optimisation step (E from 0, S from 1); {@code save:<stage>:epoch<E>:written} once the new
 * checkpoint is complete but not yet renamed into place, {@code save:<stage>:epoch<E>:renamed}
 * once it is; {@code model-written} after the model directory is saved and before the checkpoint
 * is removed; {@code commit:<kind>:staged} when an output folder is complete and synced but not
 * yet renamed into place.
 */
public final class HaltPoint {
    static final String PROPERTY = "aand.test.haltAt";
    private static final String TARGET = System.getProperty(PROPERTY);
    private static volatile Runnable beforeStepHalt = () -> {};

    private HaltPoint() {}

    /** Whether a halt point is set (only then is anything registered here). */
    public static boolean armed() {
        return TARGET != null;
    }

    /**
     * What a step halt waits for first: the checkpoint writes already started. A real kill lands
     * after the previous epoch's checkpoint is on disk (epochs take far longer than writes); without
     * this wait, what a test found on disk would depend on the machine's speed.
     */
    public static void beforeStepHalt(Runnable settle) {
        beforeStepHalt = settle;
    }

    public static void reach(String point) {
        if (TARGET != null && TARGET.equals(point)) {
            System.err.println("halting at " + point + " (" + PROPERTY + ")");
            System.err.flush();
            killThisProcess();
            System.err.println("kill -9 did not end the process; halting instead");
            Runtime.getRuntime().halt(137);
        }
    }

    /** Sends SIGKILL to this process and waits for it to land; returns only if it did not. */
    private static void killThisProcess() {
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).start();
            kill.waitFor(10, TimeUnit.SECONDS);
            Thread.sleep(10_000);
        } catch (IOException e) {
            // no kill command here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** After an optimisation step. */
    public static void reach(String stage, int epoch, int step) {
        if (TARGET != null && TARGET.equals(stage + ":epoch" + epoch + ":step" + step)) {
            beforeStepHalt.run();
            reach(TARGET);
        }
    }
}
