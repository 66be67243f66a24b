package dev.aand.synth;

/**
 * Constants of DRAEM-style anomaly synthesis as AAND uses them.
 *
 * @param normalProbability share of samples returned unchanged with an empty mask
 * @param betaMax texture opacity is 1 - beta with beta ~ U[0, betaMax)
 * @param perlinMinScaleExp smallest Perlin resolution exponent (resolution 2^exp)
 * @param perlinMaxScaleExp largest Perlin resolution exponent, inclusive
 * @param threshold Perlin noise level above which a pixel is anomalous
 * @param maxTries noise draws before accepting a mask with too few foreground pixels
 * @param minPixels a mask must keep more than this many pixels inside the foreground
 */
public record SynthesisConfig(double normalProbability, double betaMax, int perlinMinScaleExp,
        int perlinMaxScaleExp, double threshold, int maxTries, int minPixels) {

    public SynthesisConfig {
        if (!(normalProbability >= 0 && normalProbability <= 1)) {
            throw new IllegalArgumentException("normalProbability must be in [0, 1], got " + normalProbability);
        }
        if (!(betaMax >= 0 && betaMax <= 1)) {
            throw new IllegalArgumentException("betaMax must be in [0, 1], got " + betaMax);
        }
        if (perlinMinScaleExp < 0 || perlinMaxScaleExp < perlinMinScaleExp || perlinMaxScaleExp > 20) {
            throw new IllegalArgumentException("Perlin scale exponents must satisfy 0 <= min <= max <= 20, got "
                    + perlinMinScaleExp + ".." + perlinMaxScaleExp);
        }
        if (maxTries < 1) throw new IllegalArgumentException("maxTries must be at least 1, got " + maxTries);
        if (minPixels < 0) throw new IllegalArgumentException("minPixels must be >= 0, got " + minPixels);
    }

    /** AAND's values: 20% normal, beta < 0.8, scales 2^0..2^5, threshold 0.5, 10 tries, > 4 px. */
    public static SynthesisConfig defaults() {
        return new SynthesisConfig(0.2, 0.8, 0, 5, 0.5, 10, 4);
    }
}
