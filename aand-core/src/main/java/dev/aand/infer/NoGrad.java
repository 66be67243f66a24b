package dev.aand.infer;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Autograd off for the current thread while open. libtorch's grad mode is thread-local and on by
 * default, and DJL only switches it off on the thread that starts the engine: a request thread
 * would otherwise record a backward graph for every inference (time and native memory).
 */
public final class NoGrad implements AutoCloseable {
    private final boolean previous;

    private NoGrad() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    public static NoGrad enter() {
        return new NoGrad();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
