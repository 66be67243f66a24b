package dev.aand.synth;

import java.util.SplittableRandom;

/**
 * Turns a normal image into a training sample with a pasted pseudo-anomaly (DRAEM-style): a
 * Perlin blob inside the foreground is filled with an augmented texture, partly transparent.
 * Stateless apart from its read-only inputs, so one instance serves many threads.
 */
public final class AnomalySynthesizer {
    private final TextureBank textures;
    private final int size;
    private final SynthesisConfig config;

    /** A sample with the beta and augmented texture used for it (NaN / null when none). */
    record Traced(Synthetic sample, double beta, float[] texture) {}

    public AnomalySynthesizer(TextureBank textures, int size, SynthesisConfig config) {
        if (textures.size() != size) {
            throw new IllegalArgumentException("texture bank holds " + textures.size() + "x"
                    + textures.size() + " textures but images are " + size + "x" + size);
        }
        this.textures = textures;
        this.size = size;
        this.config = config;
    }

    /** Image side length S. */
    public int size() {
        return size;
    }

    public SynthesisConfig config() {
        return config;
    }

    /**
     * @param image CHW RGB float[3*S*S] in [0, 255]; not modified
     * @param foreground float[S*S] 0/1 where anomalies may go, or null for the whole image
     * @param rng the only source of randomness
     */
    public Synthetic sample(float[] image, float[] foreground, SplittableRandom rng) {
        return traced(image, foreground, rng).sample();
    }

    Traced traced(float[] image, float[] foreground, SplittableRandom rng) {
        int n = size * size;
        if (image == null || image.length != 3 * n) {
            throw new IllegalArgumentException("synthesis: expected a CHW RGB image of 3*" + size + "*"
                    + size + " values, got " + (image == null ? "null" : image.length));
        }
        if (foreground != null && foreground.length != n) {
            throw new IllegalArgumentException("synthesis: expected a foreground mask of " + size + "*"
                    + size + " values, got " + foreground.length);
        }
        if (rng.nextDouble() < config.normalProbability()) {
            return new Traced(new Synthetic(image.clone(), new float[n], false), Double.NaN, null);
        }
        float[] mask = anomalyMask(foreground, rng);
        boolean any = false;
        for (float m : mask) {
            if (m > 0) {
                any = true;
                break;
            }
        }
        if (!any) {
            // Every try missed the foreground: the sample is effectively normal.
            return new Traced(new Synthetic(image.clone(), mask, false), Double.NaN, null);
        }
        float[] texture = TextureAugmenter.augment(textures.random(rng), size, size, rng);
        double beta = config.betaMax() * rng.nextDouble();
        // The spec blends after the backbone's per-channel affine normalisation. The three blend
        // weights below sum to 1, so normalise(blend(x)) == blend(normalise(x)): blending the
        // raw [0, 255] values gives exactly the same training input.
        float keep = (float) beta, paste = (float) (1 - beta);
        float[] out = new float[3 * n];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < n; i++) {
                int k = c * n + i;
                float m = mask[i];
                out[k] = image[k] * (1 - m) + paste * texture[k] * m + keep * image[k] * m;
            }
        }
        return new Traced(new Synthetic(out, mask, true), beta, texture);
    }

    /** Perlin blob intersected with the foreground, redrawn while too few pixels survive. */
    float[] anomalyMask(float[] foreground, SplittableRandom rng) {
        float[] mask = null;
        for (int t = 0; t < config.maxTries(); t++) {
            mask = PerlinNoise.randomMask(size, size, config.perlinMinScaleExp(),
                    config.perlinMaxScaleExp(), config.threshold(), rng);
            int count = 0;
            for (int i = 0; i < mask.length; i++) {
                if (foreground != null && foreground[i] <= 0.5f) mask[i] = 0f;
                if (mask[i] > 0) count++;
            }
            if (count > config.minPixels()) break;
        }
        return mask;
    }
}
