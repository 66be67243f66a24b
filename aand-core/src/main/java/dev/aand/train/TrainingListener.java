package dev.aand.train;

import dev.aand.engine.StageClock;
import java.util.Map;

/** Progress of a training run; the CLI draws bars and writes the log from these calls. */
public interface TrainingListener {
    /** One optimisation step finished; {@code losses} holds the step's loss terms. */
    default void onStep(String stage, int epoch, int epochs, int step, int steps, Map<String, Double> losses,
            double imagesPerSecond) {}

    /** One epoch finished, with the mean of each loss term over its steps. */
    default void onEpoch(EpochLog log) {}

    /** A free-form message (data loading, thresholds, saved files). */
    default void onMessage(String message) {}

    /** Where a stage's steps report their phases (data, forward, backward, ...), for profiling. */
    default StageClock stageClock(String stage) {
        return StageClock.NONE;
    }

    TrainingListener NONE = new TrainingListener() {};
}
