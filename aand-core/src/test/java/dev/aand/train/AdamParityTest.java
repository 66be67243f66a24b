package dev.aand.train;

import static dev.aand.testing.OfficialFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import dev.aand.config.AandConfig;
import dev.aand.data.Npy;
import dev.aand.testing.Engines;
import dev.aand.testing.OfficialFixtures;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Five steps of our Adam against {@code torch.optim.Adam(lr=0.005, betas=(0.5, 0.999))} as the
 * official train.py builds it (fixtures README 7.5): parameters within abs 1e-6, moments, and an
 * entry that never gets a gradient stays bit-identical.
 */
class AdamParityTest {
    @Test
    void fiveStepsMatchTorch() {
        JsonObject hyper = OfficialFixtures.json("adam.json").getAsJsonObject("hyper");
        AandConfig config = AandConfig.defaults();
        assertEquals(hyper.get("lr").getAsDouble(), config.learningRate());
        assertEquals(hyper.get("beta1").getAsDouble(), config.beta1());
        assertEquals(hyper.get("beta2").getAsDouble(), config.beta2());
        Npy.Array grads = OfficialFixtures.npy("adam_grads_5x3x4.npy");
        Npy.Array params = OfficialFixtures.npy("adam_params_5x3x4.npy");
        Npy.Array firstMoments = OfficialFixtures.npy("adam_exp_avg_5x3x4.npy");
        Npy.Array secondMoments = OfficialFixtures.npy("adam_exp_avg_sq_5x3x4.npy");
        try (NDManager m = Engines.manager()) {
            NDArray p = OfficialFixtures.nd(m, "adam_param0_3x4.npy");
            float initial00 = p.toFloatArray()[0];
            p.setRequiresGradient(true);
            try (Adam adam = new Adam(Map.of("p", p), config.learningRate(), config.beta1(), config.beta2())) {
                for (int t = 0; t < 5; t++) {
                    float[] g = Arrays.copyOfRange(grads.data(), t * 12, (t + 1) * 12);
                    // d/dp sum(p * g) = g exactly: the optimizer sees the fixture's gradient.
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(p.mul(m.create(g, new Shape(3, 4))).sum());
                    }
                    adam.step();
                    int step = t + 1;
                    assertClose("param after step " + step, slice(params, t), p.toFloatArray(), 1e-6, 0);
                    assertClose("exp_avg after step " + step, slice(firstMoments, t),
                            adam.firstMoment(0).toFloatArray(), 1e-9, 1e-6);
                    assertClose("exp_avg_sq after step " + step, slice(secondMoments, t),
                            adam.secondMoment(0).toFloatArray(), 1e-12, 1e-6);
                    assertEquals(Float.floatToRawIntBits(initial00), Float.floatToRawIntBits(p.toFloatArray()[0]),
                            "[0,0] never has a gradient and must not move");
                }
            }
        }
    }

    private static float[] slice(Npy.Array a, int t) {
        return Arrays.copyOfRange(a.data(), t * 12, (t + 1) * 12);
    }
}
