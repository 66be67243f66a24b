package dev.aand.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.aand.backbone.Backbones;
import dev.aand.config.AandConfig;
import dev.aand.infer.Inferencer;
import dev.aand.model.AandModel;
import dev.aand.model.Method;
import dev.aand.nn.InitContext;
import dev.aand.synth.SyntheticBatchLoader;
import dev.aand.testing.Engines;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every ablation of paper Tables V and VII trains its stages and yields finite anomaly maps. */
class MethodAblationsTest {
    @BeforeAll
    static void data(@TempDir java.nio.file.Path dir) {
        TrainingPipelineTest.data(dir);
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void trainsAndScores(Method method) {
        AandConfig c = TrainingPipelineTest.config(1, 1).with("method", method);
        try (NDManager m = Engines.manager()) {
            AandModel model = new AandModel(Backbones.create("mobilenet_v1", null, m, 0), c, new InitContext(m, 7));
            assertEquals(method.usesAmplification(), !model.amplifiers().isEmpty());
            assertEquals(method.usesStudent(), model.hasStudent());
            if (method.usesAmplification()) {
                try (SyntheticBatchLoader l = TrainingPipelineTest.loader(c)) {
                    List<EpochLog> s1 = new Stage1Trainer(model, TrainingListener.NONE).train(l, m);
                    assertEquals(method.gating() == Method.Gating.MATCHING, s1.get(0).loss("focal") > 0,
                            "focal loss trains exactly the matching gate");
                }
            }
            if (model.hasStudent()) {
                List<EpochLog> s2 = new Stage2Trainer(model, TrainingListener.NONE).train(TrainingPipelineTest.images, m);
                assertEquals(method.hardDistillation(), s2.get(0).losses().containsKey("hkd"));
            }
            Inferencer.Result r = new Inferencer(model, m, 4).score(TrainingPipelineTest.images.subList(0, 2));
            for (float[] map : r.maps()) {
                assertEquals(TrainingPipelineTest.SIZE * TrainingPipelineTest.SIZE, map.length);
                for (float v : map) {
                    assertTrue(Float.isFinite(v) && v >= -1e-4f, method + " map value " + v);
                }
            }
        }
    }
}
