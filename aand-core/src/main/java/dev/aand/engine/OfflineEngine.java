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
}
