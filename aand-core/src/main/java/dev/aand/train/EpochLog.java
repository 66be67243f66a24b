package dev.aand.train;

import java.util.Map;

/**
 * What one epoch of one stage measured.
 *
 * @param stage "stage1" or "stage2"
 * @param epoch 0-based epoch index
 * @param losses mean of each loss term over the epoch's steps
 * @param learningRate the rate used in this epoch
 * @param seconds wall time of the epoch
 * @param images images seen
 */
public record EpochLog(String stage, int epoch, Map<String, Double> losses, double learningRate, double seconds,
        int images) {
    public double loss(String term) {
        Double v = losses.get(term);
        if (v == null) {
            throw new IllegalArgumentException("no loss term " + term + " in " + losses.keySet());
        }
        return v;
    }
}
