package dev.aand.engine;

/**
 * Told where a computation's stages end, for profiling. The stage named in {@link #lap} ran from
 * the previous lap (or {@link #start}) to now. {@link #NONE} ignores everything and costs nothing.
 */
public interface StageClock {
    StageClock NONE = stage -> {};

    /** The stage {@code stage} just finished. */
    void lap(String stage);

    /** A new measured run (e.g. one batch) begins now. */
    default void start() {}
}
