package dev.aand.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aand.testing.Engines;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LossesTest {
    @Test
    void focalLossMatchesHandComputation() {
        try (NDManager m = Engines.manager()) {
            NDArray w = m.create(new float[] {0.9f, 0.2f, 0.5f, 0.0f});
            NDArray y = m.create(new float[] {1f, 1f, 0f, 0f});
            double a = 0.8;
            double expected = (a * Math.pow(0.1, 2) * -Math.log(0.9)
                            + a * Math.pow(0.8, 2) * -Math.log(0.2)
                            + (1 - a) * Math.pow(0.5, 2) * -Math.log(0.5)
                            + (1 - a) * Math.pow(FocalLoss.EPS, 2) * -Math.log(1 - FocalLoss.EPS))
                    / 4;
            float got = new FocalLoss(0.8, 2).compute(w, y).getFloat();
            assertEquals(expected, got, 1e-6);
            // A saturated wrong gate must stay finite (log(0) guarded).
            float sat = new FocalLoss(0.8, 2).compute(m.create(new float[] {0f}), m.create(new float[] {1f})).getFloat();
            assertTrue(Float.isFinite(sat) && sat > 10, "guarded loss " + sat);
        }
    }

    @Test
    void amplificationLossHandCase() {
        try (NDManager m = Engines.manager()) {
            // N=1, C=2, H=1, W=3: positions 0,1 anomalous, 2 normal.
            float[] t = {1, 1, 0, 0, 0, 1}; // channel-major: c0 = (1,1,0), c1 = (0,0,1)
            // teacher vectors: p0=(1,0), p1=(1,0), p2=(0,1); advanced: p0=(1,1) p1=(0,1) p2 unchanged
            float[] adv = {1, 0, 0, 1, 1, 1};
            NDArray ft = m.create(t, new Shape(1, 2, 1, 3));
            NDArray fa = m.create(adv, new Shape(1, 2, 1, 3));
            boolean[] anom = {true, true, false};
            boolean[] fg = {false, false, true}; // only position 2 is normal and inside
            // s_T = cos(p_a, p2) = 0 for both; s_A = cos((1,1),(0,1)) = 0.7071, cos((0,1),(0,1)) = 1
            // loss = mean(relu(s_A - (0 - 0.3))) = mean(1.0071, 1.3)
            double expected = ((Math.sqrt(0.5) + 0.3) + (1 + 0.3)) / 2;
            float got = new AmplificationLoss(0.3, 1000, 5000).compute(ft, fa, anom, fg, new SplittableRandom(1)).getFloat();
            assertEquals(expected, got, 1e-6);
            // Anomalous features pushed opposite to the normal one (cos -1 <= 0 - 0.3) cost nothing.
            NDArray far = m.create(new float[] {0, 0, 0, -1, -1, 1}, new Shape(1, 2, 1, 3));
            assertEquals(0f, new AmplificationLoss(0.3, 1000, 5000).compute(ft, far, anom, fg, new SplittableRandom(1)).getFloat(), 1e-7);
            // No anomalous position: no term at all.
            assertNull(new AmplificationLoss(0.3, 1000, 5000).compute(ft, fa, new boolean[3], fg, new SplittableRandom(1)));
        }
    }

    @Test
    void samplingTakesAtMostMaxDistinctTruePositions() {
        boolean[] mask = new boolean[100];
        for (int i = 0; i < 100; i += 2) mask[i] = true;
        int[] s = AmplificationLoss.choose(mask, 10, new SplittableRandom(3));
        assertEquals(10, s.length);
        for (int i = 0; i < s.length; i++) {
            assertTrue(mask[s[i]]);
            if (i > 0) assertTrue(s[i] > s[i - 1]);
        }
        assertEquals(50, AmplificationLoss.choose(mask, 5000, new SplittableRandom(3)).length);
    }

    @Test
    void kdAndHkdHandCase() {
        try (NDManager m = Engines.manager()) {
            // N=1, C=2, H=1, W=2: position 0 identical, position 1 orthogonal.
            NDArray t = m.create(new float[] {1, 1, 0, 0}, new Shape(1, 2, 1, 2)); // p0=(1,0) p1=(1,0)
            NDArray s = m.create(new float[] {1, 0, 0, 1}, new Shape(1, 2, 1, 2)); // p0=(1,0) p1=(0,1)
            // flattened: t=(1,1,0,0) s=(1,0,0,1): cos = 1/2 -> KD = 0.5
            assertEquals(0.5, DistillationLoss.knowledge(t, s).getFloat(), 1e-6);
            // per position 1-cos = (0, 1): top-1 mean = 1, top-2 mean = 0.5
            assertEquals(1.0, DistillationLoss.hardKnowledge(t, s, 1).getFloat(), 1e-6);
            assertEquals(0.5, DistillationLoss.hardKnowledge(t, s, 10).getFloat(), 1e-6);
            var terms = new DistillationLoss(true, 1).compute(new NDList(t, t), new NDList(s, s));
            assertEquals(2 * (0.5 + 1.0), terms.total().getFloat(), 1e-6);
            var kdOnly = new DistillationLoss(false, 1).compute(new NDList(t), new NDList(s));
            assertEquals(0.5, kdOnly.total().getFloat(), 1e-6);
            assertNull(kdOnly.hkd());
        }
    }

    @Test
    void hkdAveragesPerImageTopK() {
        try (NDManager m = Engines.manager()) {
            // Two images, C=1 ... use C=2 so cosine is meaningful; image 0 has discrepancies 1,0,0,0;
            // image 1 has 1,1,0,0. top-2 means: 0.5 and 1.0 -> 0.75
            float[] tv = new float[2 * 2 * 4];
            float[] sv = new float[2 * 2 * 4];
            for (int n = 0; n < 2; n++) for (int p = 0; p < 4; p++) { tv[n * 8 + p] = 1; sv[n * 8 + p] = 1; }
            sv[0] = 0; sv[4] = 1; // image 0 pos 0 -> (0,1)
            sv[8] = 0; sv[12] = 1; sv[9] = 0; sv[13] = 1; // image 1 pos 0,1 -> (0,1)
            NDArray t = m.create(tv, new Shape(2, 2, 2, 2));
            NDArray s = m.create(sv, new Shape(2, 2, 2, 2));
            assertEquals(0.75, DistillationLoss.hardKnowledge(t, s, 2).getFloat(), 1e-6);
        }
    }
}
