package dev.aand.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AnomalySynthesizerTest {
    static final int S = 32;

    static TextureBank constantBank(float value) {
        float[] t = new float[3 * S * S];
        java.util.Arrays.fill(t, value);
        return TextureBank.of(S, List.of("flat"), List.of(t));
    }

    static float[] constantImage(float value) {
        float[] img = new float[3 * S * S];
        java.util.Arrays.fill(img, value);
        return img;
    }

    @Test
    void masksStayInsideTheForeground() {
        AnomalySynthesizer syn = new AnomalySynthesizer(constantBank(200), S, SynthesisConfig.defaults());
        float[] img = constantImage(90);
        float[] fg = ForegroundMask.compute(img, S, S, ForegroundRule.DISC);
        SplittableRandom rng = new SplittableRandom(1);
        int anomalous = 0, bigEnough = 0;
        for (int k = 0; k < 150; k++) {
            Synthetic s = syn.sample(img, fg, rng);
            int on = 0;
            for (int i = 0; i < S * S; i++) {
                assertTrue(s.mask()[i] == 0f || s.mask()[i] == 1f);
                if (s.mask()[i] == 1f) {
                    assertEquals(1f, fg[i], "anomaly outside the foreground at " + i);
                    on++;
                }
            }
            assertEquals(on > 0, s.anomalous());
            if (s.anomalous()) anomalous++;
            if (on > 4) bigEnough++;
        }
        assertTrue(anomalous > 100, "anomalous " + anomalous);
        assertTrue(bigEnough >= anomalous - 3, "retries should leave more than 4 px: " + bigEnough + "/" + anomalous);
    }

    @Test
    void aboutOneInFiveSamplesIsNormalAndUntouched() {
        AnomalySynthesizer syn = new AnomalySynthesizer(constantBank(200), S, SynthesisConfig.defaults());
        float[] img = constantImage(60);
        SplittableRandom rng = new SplittableRandom(2024);
        int normal = 0, total = 500;
        for (int k = 0; k < total; k++) {
            Synthetic s = syn.sample(img, null, rng);
            if (!s.anomalous()) {
                normal++;
                assertArrayEquals(img, s.image());
                for (float v : s.mask()) assertEquals(0f, v);
            }
        }
        double share = normal / (double) total;
        assertTrue(share > 0.15 && share < 0.25, "normal share " + share);
    }

    @Test
    void blendFollowsTheFormulaExactly() {
        AnomalySynthesizer syn = new AnomalySynthesizer(constantBank(230), S, SynthesisConfig.defaults());
        float[] img = constantImage(40);
        SplittableRandom rng = new SplittableRandom(9);
        int checked = 0;
        double minBeta = 1, maxBeta = 0;
        for (int k = 0; k < 60; k++) {
            AnomalySynthesizer.Traced t = syn.traced(img, null, rng);
            if (!t.sample().anomalous()) continue;
            double beta = t.beta();
            assertTrue(beta >= 0 && beta < 0.8, "beta " + beta);
            minBeta = Math.min(minBeta, beta);
            maxBeta = Math.max(maxBeta, beta);
            float[] out = t.sample().image(), m = t.sample().mask(), tex = t.texture();
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < S * S; i++) {
                    int k3 = c * S * S + i;
                    double expected = m[i] == 0f ? 40.0 : (1 - beta) * tex[k3] + beta * 40.0;
                    assertEquals(expected, out[k3], 1e-3, "pixel " + k3);
                }
            }
            checked++;
        }
        assertTrue(checked > 30);
        assertTrue(minBeta < 0.3 && maxBeta > 0.5, "beta spread " + minBeta + ".." + maxBeta);
    }

    @Test
    void sameGeneratorStateSameSample() {
        AnomalySynthesizer syn = new AnomalySynthesizer(TextureBank.defaults(S), S, SynthesisConfig.defaults());
        float[] img = constantImage(128);
        for (long seed = 0; seed < 5; seed++) {
            Synthetic a = syn.sample(img, null, new SplittableRandom(seed));
            Synthetic b = syn.sample(img, null, new SplittableRandom(seed));
            assertArrayEquals(a.image(), b.image());
            assertArrayEquals(a.mask(), b.mask());
        }
    }

    @Test
    void emptyForegroundYieldsNormalSamplesAndBadInputIsRejected() {
        AnomalySynthesizer syn = new AnomalySynthesizer(constantBank(200), S, SynthesisConfig.defaults());
        float[] img = constantImage(10);
        float[] none = new float[S * S];
        SplittableRandom rng = new SplittableRandom(3);
        for (int k = 0; k < 10; k++) assertFalse(syn.sample(img, none, rng).anomalous());
        assertThrows(IllegalArgumentException.class, () -> syn.sample(new float[5], null, rng));
        assertThrows(IllegalArgumentException.class, () -> syn.sample(img, new float[3], rng));
        assertThrows(IllegalArgumentException.class,
                () -> new AnomalySynthesizer(constantBank(1), 64, SynthesisConfig.defaults()));
        assertThrows(IllegalArgumentException.class, () -> new SynthesisConfig(1.5, 0.8, 0, 5, 0.5, 10, 4));
    }
}
