package dev.aand.spark;

import dev.aand.engine.OfflineEngine;

/**
 * Sizes libtorch's thread pools for a Spark executor before the engine starts: intra-op threads
 * equal the cores one task owns ({@code spark.task.cpus}), so the tasks an executor runs at once
 * use exactly its cores between them and nothing is oversubscribed. Settings the user passed as
 * JVM properties win. The engine reads them once, at start-up; a JVM whose engine already runs
 * keeps its pools.
 */
final class EngineThreads {
    static final String INTRA_OP = "ai.djl.pytorch.num_threads";
    static final String INTER_OP = "ai.djl.pytorch.num_interop_threads";

    private EngineThreads() {}

    /** Sizes the pools for tasks of {@code taskCpus} cores and starts the engine, offline. */
    static synchronized void start(int taskCpus) {
        if (System.getProperty(INTRA_OP) == null) {
            System.setProperty(INTRA_OP, Integer.toString(Math.max(1, taskCpus)));
        }
        if (System.getProperty(INTER_OP) == null) {
            // Our forward pass is one op stream: inter-op parallelism would only add threads.
            System.setProperty(INTER_OP, "1");
        }
        // Executors start without the launcher's -Dai.djl.offline: the engine must start offline here.
        OfflineEngine.get();
    }
}
