package dev.aand.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aand.backbone.Backbones;
import dev.aand.config.AandConfig;
import dev.aand.data.AnomalyDataset;
import dev.aand.data.Datasets;
import dev.aand.data.DatasetOptions;
import dev.aand.model.AandModel;
import dev.aand.model.Method;
import dev.aand.nn.InitContext;
import dev.aand.synth.AnomalySynthesizer;
import dev.aand.synth.ForegroundMask;
import dev.aand.synth.ForegroundRules;
import dev.aand.synth.SyntheticBatchLoader;
import dev.aand.synth.TextureBank;
import dev.aand.testing.Engines;
import dev.aand.testing.TinyCookie;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stages on real cookie photos at 32x32: which parameters move, and that losses fall. */
class TrainingPipelineTest {
    static final int SIZE = 32;
    static List<float[]> images;
    static List<float[]> foregrounds;

    @BeforeAll
    static void data(@TempDir Path dir) {
        AnomalyDataset d = Datasets.open("mvtec", DatasetOptions.of(TinyCookie.create(dir, 8, 1, 1), "cookie"));
        images = TrainingRun.decode(d.train(), SIZE);
        foregrounds = images.stream().map(i -> ForegroundMask.compute(i, SIZE, SIZE,
                ForegroundRules.defaultFor("mvtec", "cookie"))).toList();
    }

    static AandConfig config(int e1, int e2) {
        return AandConfig.defaults().with(Map.of("imageSize", SIZE, "batchSize", 4, "stage1Epochs", e1,
                "stage2Epochs", e2, "seed", 7L, "synthesisThreads", 1));
    }

    static Map<String, float[]> snapshot(AandModel m) {
        Map<String, float[]> out = new HashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray()));
        m.teacher().module().stateDict().forEach((k, v) -> out.put("teacher." + k,
                v.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray()));
        return out;
    }

    static SyntheticBatchLoader loader(AandConfig c) {
        AnomalySynthesizer syn = new AnomalySynthesizer(TextureBank.defaults(SIZE), SIZE, TrainingRun.synthesis(c));
        return new SyntheticBatchLoader(images, foregrounds, syn, c.batchSize(), c.seed(), 1, false);
    }

    @Test
    void stage1ChangesOnlyRaaAndStage2OnlyStudent() {
        AandConfig c = config(1, 1);
        try (NDManager m = Engines.manager()) {
            AandModel model = new AandModel(Backbones.create("mobilenet_v1", null, m, 0), c, new InitContext(m, 7));
            Map<String, float[]> before = snapshot(model);
            try (SyntheticBatchLoader l = loader(c)) {
                new Stage1Trainer(model, TrainingListener.NONE).train(l, m);
            }
            Map<String, float[]> mid = snapshot(model);
            assertChangedExactly(before, mid, k -> k.startsWith("raa."));
            new Stage2Trainer(model, TrainingListener.NONE).train(images, m);
            Map<String, float[]> after = snapshot(model);
            // Stage 2 trains the student; BatchNorm statistics of the student move too.
            assertChangedExactly(mid, after, k -> k.startsWith("bottleneck.") || k.startsWith("decoder."));
        }
    }

    private static void assertChangedExactly(Map<String, float[]> a, Map<String, float[]> b,
            java.util.function.Predicate<String> shouldChange) {
        int changed = 0;
        for (String k : a.keySet()) {
            boolean differs = !java.util.Arrays.equals(a.get(k), b.get(k));
            if (!shouldChange.test(k)) {
                assertFalse(differs, k + " must not change");
            } else if (differs) {
                changed++;
            }
        }
        assertTrue(changed > 0, "nothing trainable changed");
    }

    @Test
    void lossesGoDownOverAShortRun() {
        AandConfig c = config(4, 4).with("learningRate", 0.001);
        try (NDManager m = Engines.manager()) {
            AandModel model = new AandModel(Backbones.create("mobilenet_v1", null, m, 0), c, new InitContext(m, 7));
            List<EpochLog> s1;
            try (SyntheticBatchLoader l = loader(c)) {
                s1 = new Stage1Trainer(model, TrainingListener.NONE).train(l, m);
            }
            List<EpochLog> s2 = new Stage2Trainer(model, TrainingListener.NONE).train(images, m);
            assertEquals(4, s1.size());
            assertTrue(s1.get(3).loss("focal") < s1.get(0).loss("focal"), "focal " + s1);
            assertTrue(s2.get(3).loss("loss") < s2.get(0).loss("loss"), "stage2 " + s2);
            assertTrue(s2.get(3).loss("hkd") < s2.get(0).loss("hkd"), "hkd " + s2);
        }
    }

    @Test
    void sameSeedGivesBitIdenticalWeights() {
        Map<String, float[]> first = trainOnce();
        Map<String, float[]> second = trainOnce();
        assertEquals(first.keySet(), second.keySet());
        first.forEach((k, v) -> assertArrayEquals(v, second.get(k), k));
    }

    private static Map<String, float[]> trainOnce() {
        AandConfig c = config(1, 1);
        try (NDManager m = Engines.manager()) {
            AandModel model = new AandModel(Backbones.create("mobilenet_v1", null, m, 0), c, new InitContext(m, 7));
            try (SyntheticBatchLoader l = loader(c)) {
                new Stage1Trainer(model, TrainingListener.NONE).train(l, m);
            }
            new Stage2Trainer(model, TrainingListener.NONE).train(images, m);
            return snapshot(model);
        }
    }

    @Test
    void rdBaselineHasNoAmplifiers() {
        AandConfig c = config(0, 1).with("method", Method.RD);
        try (NDManager m = Engines.manager()) {
            AandModel model = new AandModel(Backbones.create("mobilenet_v1", null, m, 0), c, new InitContext(m, 7));
            assertTrue(model.amplifiers().isEmpty());
            assertTrue(model.stateDict().keySet().stream().noneMatch(k -> k.startsWith("raa.")));
            List<EpochLog> s2 = new Stage2Trainer(model, TrainingListener.NONE).train(images, m);
            assertFalse(s2.get(0).losses().containsKey("hkd"), "rd trains with KD only");
        }
    }
}
