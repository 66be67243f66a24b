package dev.aand.testing;

import ai.djl.ndarray.NDManager;
import dev.aand.engine.OfflineEngine;

/** A fresh NDManager on the offline engine for one test. */
public final class Engines {
    private Engines() {}

    public static NDManager manager() {
        OfflineEngine.get();
        return NDManager.newBaseManager();
    }
}
