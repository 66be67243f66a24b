package dev.aand.train;

import static dev.aand.testing.OfficialFixtures.assertClose;
import static dev.aand.testing.OfficialFixtures.assertExact;
import static dev.aand.testing.OfficialFixtures.assertRelative;
import static dev.aand.testing.OfficialFixtures.ints;
import static dev.aand.testing.OfficialFixtures.npy;
import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import dev.aand.backbone.weights.HostTensor;
import dev.aand.config.AandConfig;
import dev.aand.model.official.OfficialNames;
import dev.aand.model.ResidualAnomalyAmplifier;
import dev.aand.testing.Engines;
import dev.aand.testing.OfficialFixtures;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Stage-1 objective against the official {@code get_focal_loss} / {@code get_amplify_loss} as
 * {@code train_Stage1} composes them (fixtures README 7.2): pooled labels, focal and amplification
 * losses, their sum, the similarity matrices in the official sampled order, precision / recall,
 * and the gradients of all 13 RAA parameters.
 */
class Stage1ParityTest {
    private static final JsonObject EXPECTED = OfficialFixtures.json("stage1.json");
    private static final AandConfig CONFIG = AandConfig.defaults();

    /** The official sample: normal sample j = normal_positions[n_idx[j]], likewise anomalous. */
    private static AmplificationLoss.Positions officialPositions() {
        int[] normal = ints(EXPECTED.getAsJsonArray("normal_positions"));
        int[] anomalous = ints(EXPECTED.getAsJsonArray("anomaly_positions"));
        int[] nIdx = ints(EXPECTED.getAsJsonArray("n_idx"));
        int[] aIdx = ints(EXPECTED.getAsJsonArray("a_idx"));
        return new AmplificationLoss.Positions(Arrays.stream(nIdx).map(i -> normal[i]).toArray(),
                Arrays.stream(aIdx).map(i -> anomalous[i]).toArray());
    }

    private static AmplificationLoss amplification() {
        return new AmplificationLoss(CONFIG.amplificationMargin(), CONFIG.maxAnomalousPositions(),
                CONFIG.maxNormalPositions());
    }

    /** Indices of the true entries. */
    private static int[] trueAt(boolean[] b) {
        return java.util.stream.IntStream.range(0, b.length).filter(i -> b[i]).toArray();
    }

    /** Hands the loss the official sample after checking it was drawn from the same sets. */
    private static Stage1Loss.PositionChoice official() {
        return (anomalous, foreground) -> {
            boolean[] normal = new boolean[anomalous.length];
            for (int i = 0; i < normal.length; i++) {
                normal[i] = !anomalous[i] && foreground[i];
            }
            assertArrayEquals(ints(EXPECTED.getAsJsonArray("anomaly_positions")), trueAt(anomalous));
            assertArrayEquals(ints(EXPECTED.getAsJsonArray("normal_positions")), trueAt(normal));
            return officialPositions();
        };
    }

    @Test
    void configurationHoldsTheOfficialConstants() {
        assertEquals(0.8, CONFIG.focalAlpha());
        assertEquals(2.0, CONFIG.focalGamma());
        assertEquals(0.3, CONFIG.amplificationMargin());
        assertEquals(0.1, CONFIG.amplificationWeight());
        assertEquals(0.3, CONFIG.gateLabelThreshold());
        assertEquals(5000, CONFIG.maxNormalPositions());
        assertEquals(1000, CONFIG.maxAnomalousPositions());
        assertEquals(0.2, CONFIG.temperature());
        assertEquals(50, CONFIG.memoryItems());
    }

    @Test
    void masksPoolToTheLevelGridExactly() {
        try (NDManager m = Engines.manager()) {
            NDArray mask = OfficialFixtures.nd(m, "raa_mask_image_2x1x32x32.npy");
            NDArray fore = OfficialFixtures.nd(m, "raa_fore_image_2x1x32x32.npy");
            assertExact("mask coverage", npy("raa_mask_pooled_2x1x8x8.npy").data(),
                    LevelMasks.coverage(mask, 8).toFloatArray());
            assertExact("foreground coverage", npy("raa_fore_pooled_2x1x8x8.npy").data(),
                    LevelMasks.coverage(fore, 8).toFloatArray());
            assertExact("gate ground truth", npy("raa_gate_gt_2x64x1.npy").data(),
                    LevelMasks.pool(mask, 8, CONFIG.gateLabelThreshold()).toFloatArray());
        }
    }

    @Test
    void lossesSimilaritiesAndGradientsMatchTheOfficialCode() {
        try (NDManager m = Engines.manager()) {
            ResidualAnomalyAmplifier raa = OfficialFixtures.amplifier(m);
            NDArray f = OfficialFixtures.nd(m, "raa_input_F_2x32x8x8.npy");
            NDArray mask = OfficialFixtures.nd(m, "raa_mask_image_2x1x32x32.npy");
            NDArray fore = OfficialFixtures.nd(m, "raa_fore_image_2x1x32x32.npy");
            Stage1Loss objective = new Stage1Loss(CONFIG);
            Stage1Loss.Level level;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                level = objective.level(raa, f, mask, fore, official());
                gc.backward(level.total());
            }
            assertRelative("focal", EXPECTED.get("loss_focal").getAsDouble(), level.focal().getFloat(), 1e-5);
            assertRelative("amplification", EXPECTED.get("loss_anomaly").getAsDouble(),
                    level.amplification().getFloat(), 1e-5);
            assertRelative("focal + 0.1 amplification", EXPECTED.get("loss").getAsDouble(), level.total().getFloat(),
                    1e-5);
            assertClose("F_A (ground truth)", npy("raa_FA_gt_2x32x8x8.npy"), level.amplified().advanced(), 1e-5,
                    1e-5);

            AmplificationLoss amplification = amplification();
            AmplificationLoss.Similarities s = amplification.similarities(f, level.amplified().advanced(),
                    officialPositions());
            assertClose("s_T", npy("stage1_sT_94x14.npy"), s.teacher(), 1e-5, 1e-5);
            assertClose("s_A", npy("stage1_sA_94x14.npy"), s.advanced(), 1e-5, 1e-5);

            Map<String, HostTensor> grads = OfficialFixtures.stateDict("stage1_grads.safetensors");
            assertEquals(13, grads.size());
            Map<String, NDArray> params = raa.parameters();
            assertEquals(13, params.size());
            grads.forEach((official, g) -> OfficialFixtures.assertGradient("dL/d " + official, g.toFloatArray(),
                    params.get(OfficialNames.amplifierKey(official)).getGradient().toFloatArray()));
        }
    }

    /**
     * Autograd keeps the constants of the losses (temperature, focal gamma and alpha, the hinge's
     * zero, the loss weight, tanh's 2) for the backward pass. Held in Java memory, as DJL's
     * Number overloads hold them, they were freed by a garbage collection between forward and
     * backward and the gradients read whatever was allocated there next (engine/Scalars).
     */
    @Test
    void gradientsDoNotDependOnWhenJavaCollectsGarbage() {
        FreedMemory.assertSameGradients(this::stage1Gradients, "RAA parameter");
    }

    private float[][] stage1Gradients(boolean collectBeforeBackward) {
        try (NDManager m = Engines.manager()) {
            ResidualAnomalyAmplifier raa = OfficialFixtures.amplifier(m);
            NDArray f = OfficialFixtures.nd(m, "raa_input_F_2x32x8x8.npy");
            NDArray mask = OfficialFixtures.nd(m, "raa_mask_image_2x1x32x32.npy");
            NDArray fore = OfficialFixtures.nd(m, "raa_fore_image_2x1x32x32.npy");
            Object reused = null;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Stage1Loss.Level level = new Stage1Loss(CONFIG).level(raa, f, mask, fore, official());
                if (collectBeforeBackward) {
                    reused = FreedMemory.collectAndReuse();
                }
                gc.backward(level.total());
            }
            java.lang.ref.Reference.reachabilityFence(reused);
            return raa.parameters().values().stream().map(p -> p.getGradient().toFloatArray())
                    .toArray(float[][]::new);
        }
    }

    @Test
    void gradientsAtTheGateWeightAndTheAdvancedFeature() {
        try (NDManager m = Engines.manager()) {
            NDArray f = OfficialFixtures.nd(m, "raa_input_F_2x32x8x8.npy");
            NDArray labels = OfficialFixtures.nd(m, "raa_gate_gt_2x64x1.npy").reshape(2, 1, 8, 8);
            // Leaves holding the official w and F_A, so their gradients are dL/dw and dL/dF_A.
            NDArray w = OfficialFixtures.nd(m, "raa_w_map_2x1x8x8.npy");
            NDArray fa = OfficialFixtures.nd(m, "raa_FA_gt_2x32x8x8.npy");
            w.setRequiresGradient(true);
            fa.setRequiresGradient(true);
            FocalLoss focal = new FocalLoss(CONFIG.focalAlpha(), CONFIG.focalGamma());
            AmplificationLoss amplification = amplification();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = focal.compute(w, labels)
                        .add(amplification.compute(f, fa, officialPositions()).mul((float) CONFIG.amplificationWeight()));
                gc.backward(loss);
            }
            OfficialFixtures.assertGradient("dL/dw", npy("stage1_grad_w_2x64x1.npy").data(),
                    w.getGradient().toFloatArray());
            OfficialFixtures.assertGradient("dL/dF_A", npy("stage1_grad_FA_2x32x8x8.npy").data(),
                    fa.getGradient().toFloatArray());
        }
    }

    @Test
    void ourOwnSamplingDrawsTheWholeSetsAtThisSize() {
        try (NDManager m = Engines.manager()) {
            NDArray f = OfficialFixtures.nd(m, "raa_input_F_2x32x8x8.npy");
            NDArray fa = OfficialFixtures.nd(m, "raa_FA_gt_2x32x8x8.npy");
            boolean[] anomalous = LevelMasks.toBooleans(OfficialFixtures.nd(m, "raa_gate_gt_2x64x1.npy"));
            boolean[] foreground = LevelMasks.toBooleans(LevelMasks.pool(
                    OfficialFixtures.nd(m, "raa_fore_image_2x1x32x32.npy"), 8, CONFIG.gateLabelThreshold()));
            AmplificationLoss amplification = amplification();
            AmplificationLoss.Positions p = amplification.sample(anomalous, foreground, new SplittableRandom(7));
            // 94 normal < 5000 and 14 anomalous < 1000: every position is used, only the order differs.
            assertArrayEquals(ints(EXPECTED.getAsJsonArray("normal_positions")), p.normal());
            assertArrayEquals(ints(EXPECTED.getAsJsonArray("anomaly_positions")), p.anomalous());
            assertRelative("amplification, our order", EXPECTED.get("loss_anomaly").getAsDouble(),
                    amplification.compute(f, fa, p).getFloat(), 1e-5);
            // A smaller cap draws a subset of the right size from the right set.
            AmplificationLoss capped = new AmplificationLoss(0.3, 5, 20);
            AmplificationLoss.Positions q = capped.sample(anomalous, foreground, new SplittableRandom(7));
            assertEquals(20, q.normal().length);
            assertEquals(5, q.anomalous().length);
            for (int i : q.anomalous()) {
                assertTrue(anomalous[i]);
            }
            for (int i : q.normal()) {
                assertTrue(!anomalous[i] && foreground[i]);
            }
        }
    }

    @Test
    void precisionAndRecallOfTheGate() {
        float[] w = npy("raa_w_2x64x1.npy").data();
        float[] gate = npy("raa_gate_gt_2x64x1.npy").data();
        boolean[] y = new boolean[gate.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = gate[i] > 0.5f;
        }
        long[] c = GateQuality.confusion(w, y);
        // The official divides by (count + 1e-5) and reports P/3, R/3 whatever the number of levels.
        assertRelative("precision", EXPECTED.get("P_level").getAsDouble(), (double) c[0] / (c[0] + c[1]), 1e-6);
        assertRelative("recall", EXPECTED.get("R_level").getAsDouble(), (double) c[0] / (c[0] + c[2]), 1e-6);
    }
}
