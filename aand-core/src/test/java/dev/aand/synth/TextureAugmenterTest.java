package dev.aand.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TextureAugmenterTest {
    private static final int H = 24, W = 20, N = H * W;

    private static float[] randomImage(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] img = new float[3 * N];
        for (int i = 0; i < img.length; i++) img[i] = (float) (40 + 150 * r.nextDouble());
        return img;
    }

    @Test
    void everyOpStaysInRangeIsDeterministicAndLeavesInputAlone() {
        float[] img = randomImage(1);
        float[] copy = img.clone();
        for (TextureAugmenter.Op op : TextureAugmenter.Op.values()) {
            for (long seed = 0; seed < 5; seed++) {
                float[] a = TextureAugmenter.apply(op, img, H, W, new SplittableRandom(seed));
                float[] b = TextureAugmenter.apply(op, img, H, W, new SplittableRandom(seed));
                assertArrayEquals(a, b, op + " must be deterministic");
                assertEquals(img.length, a.length);
                for (float v : a) assertTrue(v >= 0 && v <= 255 && !Float.isNaN(v), op + " gave " + v);
            }
            assertArrayEquals(copy, img, op + " modified its input");
        }
    }

    @Test
    void opsThatShouldChangeTheImageDo() {
        float[] img = randomImage(2);
        for (TextureAugmenter.Op op : TextureAugmenter.Op.values()) {
            float[] out = TextureAugmenter.apply(op, img, H, W, new SplittableRandom(3));
            double diff = 0;
            for (int i = 0; i < img.length; i++) diff += Math.abs(out[i] - img[i]);
            assertTrue(diff / img.length > 0.05, op + " changed nothing (mean |diff| " + diff / img.length + ")");
        }
    }

    @Test
    void simpleOpsDoExactlyWhatTheySay() {
        float[] img = randomImage(4);
        float[] inv = TextureAugmenter.apply(TextureAugmenter.Op.INVERT, img, H, W, new SplittableRandom(0));
        for (int i = 0; i < img.length; i++) assertEquals(255 - img[i], inv[i], 1e-4f);

        float[] ac = TextureAugmenter.apply(TextureAugmenter.Op.AUTOCONTRAST, img, H, W, new SplittableRandom(0));
        for (int c = 0; c < 3; c++) {
            float lo = 255, hi = 0;
            for (int i = c * N; i < (c + 1) * N; i++) {
                lo = Math.min(lo, ac[i]);
                hi = Math.max(hi, ac[i]);
            }
            assertEquals(0f, lo, 1e-3f);
            assertEquals(255f, hi, 1e-3f);
        }

        int maxDropped = 0;
        for (long seed = 0; seed < 20; seed++) {
            float[] post = TextureAugmenter.apply(TextureAugmenter.Op.POSTERIZE, img, H, W, new SplittableRandom(seed));
            int or = 0;
            for (int i = 0; i < post.length; i++) {
                float v = post[i];
                assertEquals(Math.rint(v), v, 0, "posterize yields integer levels");
                assertTrue(v <= img[i] && img[i] - v < 16, "only low bits are cleared");
                or |= (int) v;
            }
            int dropped = Integer.numberOfTrailingZeros(or);
            assertTrue(dropped <= 4, "keeps at least 4 bits, dropped " + dropped);
            maxDropped = Math.max(maxDropped, dropped);
        }
        assertEquals(4, maxDropped, "4-bit posterisation occurs");

        float[] eq = TextureAugmenter.apply(TextureAugmenter.Op.EQUALIZE, img, H, W, new SplittableRandom(0));
        // Equalisation spreads a 40..190 channel over (nearly) the full range, keeping order.
        float lo = 255, hi = 0;
        for (int i = 0; i < N; i++) {
            lo = Math.min(lo, eq[i]);
            hi = Math.max(hi, eq[i]);
            for (int j = i + 1; j < Math.min(N, i + 30); j++) {
                if (Math.round(img[i]) < Math.round(img[j])) assertTrue(eq[i] <= eq[j]);
            }
        }
        assertTrue(lo < 10 && hi > 240, "equalised range " + lo + ".." + hi);
    }

    @Test
    void gammaAndBrightnessKeepFlatGrayFlat() {
        float[] gray = new float[3 * N];
        java.util.Arrays.fill(gray, 128f);
        float[] b = TextureAugmenter.apply(TextureAugmenter.Op.BRIGHTNESS, gray, H, W, new SplittableRandom(8));
        for (int i = 0; i < N; i++) {
            assertEquals(b[i], b[N + i], 1e-3f, "brightness must not tint");
            assertEquals(b[0], b[i], 1e-3f);
        }
        float[] sharp = TextureAugmenter.apply(TextureAugmenter.Op.SHARPEN, gray, H, W, new SplittableRandom(8));
        for (float v : sharp) assertEquals(128f, v, 1e-3f, "sharpening a flat image changes nothing");
    }

    @Test
    void augmentPicksThreeDistinctOpsDeterministically() {
        Set<TextureAugmenter.Op> seen = EnumSet.noneOf(TextureAugmenter.Op.class);
        for (long s = 0; s < 200; s++) {
            TextureAugmenter.Op[] ops = TextureAugmenter.pick(new SplittableRandom(s));
            assertEquals(3, ops.length);
            assertEquals(3, EnumSet.of(ops[0], ops[1], ops[2]).size());
            seen.addAll(java.util.List.of(ops));
        }
        assertEquals(10, seen.size(), "every op gets picked");
        float[] img = randomImage(5);
        float[] a = TextureAugmenter.augment(img, H, W, new SplittableRandom(42));
        assertArrayEquals(a, TextureAugmenter.augment(img, H, W, new SplittableRandom(42)));
        assertFalse(java.util.Arrays.equals(a, TextureAugmenter.augment(img, H, W, new SplittableRandom(43))));
        for (float v : a) assertTrue(v >= 0 && v <= 255);
    }
}
