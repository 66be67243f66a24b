package dev.aand.engine;

import ai.djl.engine.Engine;

/**
 * The one place that starts the PyTorch engine. DJL contacts a metadata server at start-up
 * unless it is told it is offline, and the system property must be set before the first
 * {@link Engine} call, so every entry point (CLI, tests, library users) goes through here.
 */
public final class OfflineEngine {
    private static volatile Engine engine;

    private OfflineEngine() {}

    /** Returns the PyTorch engine, configured offline; safe to call from any thread. */
    public static Engine get() {
        Engine e = engine;
        if (e == null) {
            synchronized (OfflineEngine.class) {
                if (engine == null) {
                    System.setProperty("ai.djl.offline", "true");
                    // DJL otherwise reads a default engine from the classpath order; be explicit.
                    System.setProperty("ai.djl.default_engine", "PyTorch");
                    engine = Engine.getEngine("PyTorch");
                }
                e = engine;
            }
        }
        return e;
    }

    /** libtorch's intra-op thread count (by default the number of physical cores). */
    public static int threads() {
        get();
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }

    /**
     * Sets the intra-op thread count of the operations the calling thread runs from now on.
     * libtorch (built with OpenMP) keeps the count per calling thread and sets it from the process
     * setting at the thread's first parallel operation; asking for the count first makes that
     * happen now, so that it cannot undo this later. Threads that never ran an operation take
     * {@code threads} as their count too.
     */
    public static void setThreadsOfThisThread(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        }
        if (threads() != threads) {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        }
    }

    /** Sets libtorch's intra-op thread count for the whole process. */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        }
        get();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    }
}
