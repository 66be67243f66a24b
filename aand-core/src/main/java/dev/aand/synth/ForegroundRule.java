package dev.aand.synth;

import java.util.Locale;

/**
 * How the foreground (where anomalies may be pasted) is cut out of a blurred grayscale image.
 * Text form, used on the command line: {@code whole}, {@code above:T}, {@code below:T},
 * {@code disc}, {@code rect}.
 */
public sealed interface ForegroundRule {

    /** Writes the 0/1 foreground for an image whose blurred grayscale is {@code gray} (h*w). */
    void fill(float[] gray, int h, int w, float[] mask);

    /** The text form accepted by {@link #parse(String)}. */
    String format();

    /** Every pixel is foreground (textures, or objects that fill the frame). */
    record Whole() implements ForegroundRule {
        @Override
        public void fill(float[] gray, int h, int w, float[] mask) {
            java.util.Arrays.fill(mask, 0, h * w, 1f);
        }

        @Override
        public String format() {
            return "whole";
        }
    }

    /** Foreground where the blurred gray value is strictly above {@code threshold}. */
    record Above(float threshold) implements ForegroundRule {
        @Override
        public void fill(float[] gray, int h, int w, float[] mask) {
            for (int i = 0; i < h * w; i++) mask[i] = gray[i] > threshold ? 1f : 0f;
        }

        @Override
        public String format() {
            return "above:" + number(threshold);
        }
    }

    /** Dark object on a bright background: foreground where gray is at most {@code threshold}. */
    record Below(float threshold) implements ForegroundRule {
        @Override
        public void fill(float[] gray, int h, int w, float[] mask) {
            for (int i = 0; i < h * w; i++) mask[i] = gray[i] <= threshold ? 1f : 0f;
        }

        @Override
        public String format() {
            return "below:" + number(threshold);
        }
    }

    /** A centred disc of radius 0.45 * height (round objects seen from above). */
    record Disc() implements ForegroundRule {
        @Override
        public void fill(float[] gray, int h, int w, float[] mask) {
            double cy = (h - 1) / 2.0, cx = (w - 1) / 2.0, r = 0.45 * h;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double dy = y - cy, dx = x - cx;
                    mask[y * w + x] = dy * dy + dx * dx <= r * r ? 1f : 0f;
                }
            }
        }

        @Override
        public String format() {
            return "disc";
        }
    }

    /** A centred rectangle spanning the middle 70% of each side. */
    record Rect() implements ForegroundRule {
        @Override
        public void fill(float[] gray, int h, int w, float[] mask) {
            int y0 = (int) Math.round(0.15 * h), y1 = (int) Math.round(0.85 * h);
            int x0 = (int) Math.round(0.15 * w), x1 = (int) Math.round(0.85 * w);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    mask[y * w + x] = y >= y0 && y < y1 && x >= x0 && x < x1 ? 1f : 0f;
                }
            }
        }

        @Override
        public String format() {
            return "rect";
        }
    }

    ForegroundRule WHOLE = new Whole();
    ForegroundRule DISC = new Disc();
    ForegroundRule RECT = new Rect();

    static ForegroundRule above(float threshold) {
        return new Above(threshold);
    }

    static ForegroundRule below(float threshold) {
        return new Below(threshold);
    }

    /**
     * Parses the text form; thresholds are gray levels in [0, 255].
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    static ForegroundRule parse(String text) {
        if (text == null) throw new IllegalArgumentException("foreground rule is missing");
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "whole":
                return WHOLE;
            case "disc":
                return DISC;
            case "rect":
                return RECT;
            default:
                break;
        }
        int colon = t.indexOf(':');
        if (colon > 0) {
            String kind = t.substring(0, colon).trim();
            String value = t.substring(colon + 1).trim();
            if (kind.equals("above") || kind.equals("below")) {
                float v;
                try {
                    v = Float.parseFloat(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("foreground rule '" + text
                            + "': threshold '" + value + "' is not a number");
                }
                if (!(v >= 0 && v <= 255)) {
                    throw new IllegalArgumentException("foreground rule '" + text
                            + "': threshold must be a gray level in [0, 255]");
                }
                return kind.equals("above") ? above(v) : below(v);
            }
        }
        throw new IllegalArgumentException("unknown foreground rule '" + text
                + "'; expected whole, above:T, below:T, disc or rect (T a gray level 0..255)");
    }

    private static String number(float v) {
        return v == Math.rint(v) ? Integer.toString((int) v) : Float.toString(v);
    }
}
