package dev.aand.model;

import static dev.aand.testing.OfficialFixtures.assertClose;
import static dev.aand.testing.OfficialFixtures.npy;
import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aand.testing.Engines;
import dev.aand.testing.OfficialFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RAA forward pass against the official {@code RAR_single} (fixtures README 7.1): its state
 * dict loaded by official names, every intermediate compared within abs 1e-5 + rel 1e-5 (the
 * position encoding within abs 1e-6).
 */
class AmplifierParityTest {
    private static final double ABS = 1e-5;
    private static final double REL = 1e-5;
    private static NDManager manager;
    private static ResidualAnomalyAmplifier raa;
    private static NDArray feature;

    @BeforeAll
    static void load() {
        manager = Engines.manager();
        raa = OfficialFixtures.amplifier(manager);
        feature = OfficialFixtures.nd(manager, "raa_input_F_2x32x8x8.npy");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** [N, C, H, W] to the official patch layout [N, H*W, C]. */
    private static NDArray patches(NDArray x) {
        long n = x.getShape().get(0);
        long c = x.getShape().get(1);
        return x.transpose(0, 2, 3, 1).reshape(n, -1, c);
    }

    @Test
    void shapesComeFromTheCheckpoint() {
        assertEquals(32, raa.channels());
        assertEquals(64, raa.parameters().get("gate.0.weight").getShape().get(0), "hidden width");
        assertEquals(100, raa.parameters().get("memory").getShape().get(0), "2L memory items");
    }

    @Test
    void positionEncoding() {
        float[] pe = PositionEncoding.values(32, 8, 8);
        OfficialFixtures.assertClose("pos_enc", npy("raa_pos_enc_32x8x8.npy").data(), pe, 1e-6, 0);
    }

    @Test
    void gateQueryMatchingAndWeight() {
        assertClose("query", npy("raa_query_2x64x32.npy"), patches(raa.query(feature)), ABS, REL);
        assertClose("cos_sim", npy("raa_cos_sim_2x64x100.npy"), raa.matching(feature), ABS, REL);
        NDArray w = raa.anomalyWeight(feature);
        assertClose("w map", npy("raa_w_map_2x1x8x8.npy"), w, ABS, REL);
        // The patch layout [B, N, 1] holds the same values in the same order (n = y*W + x).
        assertClose("w", npy("raa_w_2x64x1.npy"), w, ABS, REL);
    }

    @Test
    void generatorAndResidual() {
        NDArray pre = raa.generatorOutput(feature);
        assertClose("generator pre-activation", npy("raa_gen_preact_2x32x8x8.npy"), pre, ABS, REL);
        assertClose("tanh", npy("raa_gen_tanh_2x32x8x8.npy"), pre.tanh(), ABS, REL);
        assertClose("residual", npy("raa_residual_2x32x8x8.npy"), raa.residual(feature), ABS, REL);
    }

    @Test
    void advancedFeatureWithPredictedAndGroundTruthGate() {
        AmplifiedFeature predicted = raa.forward(feature, null);
        assertClose("F_A (w)", npy("raa_FA_pred_2x32x8x8.npy"), predicted.advanced(), ABS, REL);
        assertClose("recons (w)", npy("raa_recons_pred_2x32x8x8.npy"), predicted.advanced().sub(feature), ABS, REL);

        NDArray gate = OfficialFixtures.nd(manager, "raa_gate_gt_2x64x1.npy").reshape(2, 1, 8, 8);
        AmplifiedFeature gated = raa.forward(feature, gate);
        assertClose("F_A (ground truth)", npy("raa_FA_gt_2x32x8x8.npy"), gated.advanced(), ABS, REL);
        assertClose("recons (ground truth)", npy("raa_recons_gt_2x32x8x8.npy"), gated.advanced().sub(feature), ABS,
                REL);
        // The predicted w is still returned when the ground truth gates (official output 2).
        assertClose("w beside the ground truth", npy("raa_w_map_2x1x8x8.npy"), gated.anomalyWeight(), ABS, REL);
    }
}
