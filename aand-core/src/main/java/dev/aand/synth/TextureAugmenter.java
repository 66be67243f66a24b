package dev.aand.synth;

import java.util.SplittableRandom;

/**
 * Randomly alters a texture before it is pasted, so a small texture set still yields varied
 * anomalies: three distinct operations out of {@link Op}, picked at random and applied in the
 * order picked. Works on CHW RGB floats in [0, 255]; every result is clamped to that range.
 */
public final class TextureAugmenter {
    /** How many distinct operations one augmentation applies. */
    public static final int OPS_PER_TEXTURE = 3;

    private TextureAugmenter() {}

    /** The available operations; each draws its own parameters from the generator. */
    public enum Op {
        /** 255 * (x/255)^gamma with gamma ~ U(0.5, 2) drawn per channel. */
        GAMMA,
        /** Luma Y -> Y * U(0.8, 1.2) + U(-30, 30), colour differences kept. */
        BRIGHTNESS,
        /** 3x3 sharpening kernel, blended with the original by alpha ~ U(0, 1). */
        SHARPEN,
        /** Hue and saturation each shifted by an independent U(-50, 50) (on a 0..255 scale). */
        HUE_SATURATION,
        /** Pixels above a threshold ~ U(32, 128) become 255 - x. */
        SOLARIZE,
        /** Keep the top 4..8 bits of each 8-bit value. */
        POSTERIZE,
        /** 255 - x. */
        INVERT,
        /** Stretch each channel's min..max to 0..255. */
        AUTOCONTRAST,
        /** Per-channel histogram equalisation. */
        EQUALIZE,
        /** Rotate by U(-45, 45) degrees about the centre, black outside. */
        ROTATE
    }

    /** Three distinct random operations applied in turn; returns a new array. */
    public static float[] augment(float[] chw, int h, int w, SplittableRandom rng) {
        float[] out = chw;
        for (Op op : pick(rng)) out = apply(op, out, h, w, rng);
        return out == chw ? chw.clone() : out;
    }

    /** {@link #OPS_PER_TEXTURE} distinct operations in random order (partial Fisher-Yates). */
    static Op[] pick(SplittableRandom rng) {
        Op[] all = Op.values();
        for (int i = 0; i < OPS_PER_TEXTURE; i++) {
            int j = i + rng.nextInt(all.length - i);
            Op t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        Op[] chosen = new Op[OPS_PER_TEXTURE];
        System.arraycopy(all, 0, chosen, 0, OPS_PER_TEXTURE);
        return chosen;
    }

    /** Applies one operation; the input is left untouched and a new clamped array returned. */
    public static float[] apply(Op op, float[] chw, int h, int w, SplittableRandom rng) {
        if (chw.length != 3 * h * w) {
            throw new IllegalArgumentException("texture augmentation: expected 3*" + h + "*" + w
                    + " values, got " + chw.length);
        }
        float[] out = switch (op) {
            case GAMMA -> gamma(chw, h * w, rng);
            case BRIGHTNESS -> brightness(chw, h * w, rng);
            case SHARPEN -> sharpen(chw, h, w, rng);
            case HUE_SATURATION -> hueSaturation(chw, h * w, rng);
            case SOLARIZE -> solarize(chw, rng);
            case POSTERIZE -> posterize(chw, rng);
            case INVERT -> invert(chw);
            case AUTOCONTRAST -> autocontrast(chw, h * w);
            case EQUALIZE -> equalize(chw, h * w);
            case ROTATE -> ImageSampling.rotate(chw, 3, h, w, uniform(rng, -45, 45),
                    ImageSampling.Border.ZERO);
        };
        for (int i = 0; i < out.length; i++) out[i] = clamp(out[i]);
        return out;
    }

    private static float[] gamma(float[] src, int n, SplittableRandom rng) {
        float[] out = new float[src.length];
        for (int c = 0; c < 3; c++) {
            double g = uniform(rng, 0.5, 2.0);
            for (int i = c * n; i < (c + 1) * n; i++) {
                out[i] = (float) (255.0 * StrictMath.pow(clamp(src[i]) / 255.0, g));
            }
        }
        return out;
    }

    private static float[] brightness(float[] src, int n, SplittableRandom rng) {
        double mul = uniform(rng, 0.8, 1.2), add = uniform(rng, -30, 30);
        float[] out = new float[src.length];
        for (int i = 0; i < n; i++) {
            double y = 0.299 * src[i] + 0.587 * src[n + i] + 0.114 * src[2 * n + i];
            // Adding the same offset to R, G and B changes luma by that offset and leaves the
            // chroma (B - Y, R - Y) alone: a pure brightness change.
            float d = (float) (y * mul + add - y);
            out[i] = src[i] + d;
            out[n + i] = src[n + i] + d;
            out[2 * n + i] = src[2 * n + i] + d;
        }
        return out;
    }

    private static float[] sharpen(float[] src, int h, int w, SplittableRandom rng) {
        float alpha = (float) rng.nextDouble();
        float[] out = new float[src.length];
        for (int c = 0; c < 3; c++) {
            int base = c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float centre = src[base + y * w + x];
                    float neighbours = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        int yy = Math.max(0, Math.min(h - 1, y + dy));
                        for (int dx = -1; dx <= 1; dx++) {
                            if (dy == 0 && dx == 0) continue;
                            int xx = Math.max(0, Math.min(w - 1, x + dx));
                            neighbours += src[base + yy * w + xx];
                        }
                    }
                    float sharp = 9 * centre - neighbours; // kernel sums to 1: flat areas unchanged
                    out[base + y * w + x] = centre + alpha * (sharp - centre);
                }
            }
        }
        return out;
    }

    private static float[] hueSaturation(float[] src, int n, SplittableRandom rng) {
        // The shifts are on a 0..255 scale for both; hue wraps around the colour circle.
        double dHue = uniform(rng, -50, 50) * 360.0 / 255.0;
        double dSat = uniform(rng, -50, 50) / 255.0;
        float[] out = new float[src.length];
        for (int i = 0; i < n; i++) {
            double r = clamp(src[i]) / 255.0, g = clamp(src[n + i]) / 255.0, b = clamp(src[2 * n + i]) / 255.0;
            double max = Math.max(r, Math.max(g, b)), min = Math.min(r, Math.min(g, b));
            double v = max, delta = max - min;
            double s = max > 0 ? delta / max : 0;
            double hue;
            if (delta == 0) hue = 0;
            else if (max == r) hue = 60 * (((g - b) / delta) % 6);
            else if (max == g) hue = 60 * ((b - r) / delta + 2);
            else hue = 60 * ((r - g) / delta + 4);
            hue = ((hue + dHue) % 360 + 360) % 360;
            s = Math.max(0, Math.min(1, s + dSat));
            double chroma = v * s;
            double hp = hue / 60;
            double x = chroma * (1 - Math.abs(hp % 2 - 1));
            double r1, g1, b1;
            switch ((int) hp) {
                case 0 -> { r1 = chroma; g1 = x; b1 = 0; }
                case 1 -> { r1 = x; g1 = chroma; b1 = 0; }
                case 2 -> { r1 = 0; g1 = chroma; b1 = x; }
                case 3 -> { r1 = 0; g1 = x; b1 = chroma; }
                case 4 -> { r1 = x; g1 = 0; b1 = chroma; }
                default -> { r1 = chroma; g1 = 0; b1 = x; }
            }
            double m = v - chroma;
            out[i] = (float) ((r1 + m) * 255);
            out[n + i] = (float) ((g1 + m) * 255);
            out[2 * n + i] = (float) ((b1 + m) * 255);
        }
        return out;
    }

    private static float[] solarize(float[] src, SplittableRandom rng) {
        float t = (float) uniform(rng, 32, 128);
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) out[i] = src[i] > t ? 255 - src[i] : src[i];
        return out;
    }

    private static float[] posterize(float[] src, SplittableRandom rng) {
        int bits = 4 + rng.nextInt(5);
        int keep = (0xFF << (8 - bits)) & 0xFF;
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) out[i] = (int) clamp(src[i]) & keep;
        return out;
    }

    private static float[] invert(float[] src) {
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) out[i] = 255 - src[i];
        return out;
    }

    private static float[] autocontrast(float[] src, int n) {
        float[] out = src.clone();
        for (int c = 0; c < 3; c++) {
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (int i = c * n; i < (c + 1) * n; i++) {
                lo = Math.min(lo, src[i]);
                hi = Math.max(hi, src[i]);
            }
            if (hi <= lo) continue; // a flat channel has no range to stretch
            float scale = 255f / (hi - lo);
            for (int i = c * n; i < (c + 1) * n; i++) out[i] = (src[i] - lo) * scale;
        }
        return out;
    }

    private static float[] equalize(float[] src, int n) {
        float[] out = src.clone();
        for (int c = 0; c < 3; c++) {
            int[] hist = new int[256];
            for (int i = c * n; i < (c + 1) * n; i++) hist[level(src[i])]++;
            int last = 255;
            while (last > 0 && hist[last] == 0) last--;
            // Spread the levels below the top one evenly over 0..255; with a single level there
            // is nothing to spread and the channel stays as it is.
            int step = (n - hist[last]) / 255;
            if (step == 0) continue;
            int[] lut = new int[256];
            int cum = step / 2;
            for (int v = 0; v < 256; v++) {
                lut[v] = Math.min(255, cum / step);
                cum += hist[v];
            }
            for (int i = c * n; i < (c + 1) * n; i++) out[i] = lut[level(src[i])];
        }
        return out;
    }

    private static int level(float v) {
        return Math.round(clamp(v));
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : (v > 255 ? 255 : v);
    }
}
