package dev.aand.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aand.backbone.weights.HostTensor;
import dev.aand.backbone.weights.SafetensorsWriter;
import dev.aand.config.AandConfig;
import dev.aand.data.AnomalyDataset;
import dev.aand.data.DatasetOptions;
import dev.aand.data.Datasets;
import dev.aand.io.Disk;
import dev.aand.testing.Engines;
import dev.aand.testing.TinyCookie;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint file and the optimizer state it carries; the kill-and-resume runs are in aand-cli. */
class TrainingCheckpointTest {
    @TempDir
    Path dir;

    static final AandConfig CONFIG = AandConfig.defaults().with(Map.of("imageSize", 32, "batchSize", 2));

    static TrainingCheckpoint sample(String data) {
        Map<String, HostTensor> model = new LinkedHashMap<>();
        model.put("raa.0.memory", HostTensor.ofFloats(new long[] {2, 3}, new float[] {1, -2, 3.5f, -0f, 1e-30f, 7}));
        model.put("decoder.bn.num_batches_tracked", HostTensor.ofLongs(new long[] {}, new long[] {12}));
        Map<String, HostTensor> moments = new LinkedHashMap<>();
        moments.put("m.w", HostTensor.ofFloats(new long[] {2}, new float[] {0.25f, -1}));
        moments.put("v.w", HostTensor.ofFloats(new long[] {2}, new float[] {1e-8f, 3}));
        List<EpochLog> logs = List.of(new EpochLog("stage1", 0, Map.of("loss", 0.5, "focal", Double.NaN), 0.005, 1.5, 4),
                new EpochLog("stage2", 0, Map.of("loss", 3.25), 0.005, 2.5, 4));
        return new TrainingCheckpoint("stage2", 1, CONFIG, data, 4, Version.get(), logs, model,
                new Adam.State(7, moments));
    }

    @Test
    void writeThenResumeGivesBackEveryFieldExactly() throws Exception {
        Path file = TrainingCheckpoint.beside(dir.resolve("model"));
        assertEquals(dir.resolve("model.checkpoint"), file);
        TrainingCheckpoint saved = sample("abc");
        saved.write(file);
        // Replacing an existing checkpoint works and leaves no temporary file behind.
        saved.write(file);
        try (var s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList());
        }
        TrainingCheckpoint back = TrainingCheckpoint.resume(file, CONFIG.with("synthesisThreads", 5), "abc");
        assertEquals("stage2", back.stage());
        assertEquals(1, back.epochsDone());
        assertEquals(CONFIG, back.config());
        assertEquals(4, back.images());
        assertEquals(7, back.optimizer().steps());
        assertEquals(saved.model(), back.model());
        assertEquals(saved.optimizer().moments(), back.optimizer().moments());
        assertEquals(saved.logs().size(), back.logs().size());
        for (int i = 0; i < saved.logs().size(); i++) {
            EpochLog a = saved.logs().get(i);
            EpochLog b = back.logs().get(i);
            assertEquals(a.stage(), b.stage());
            assertEquals(a.losses(), b.losses());
            assertEquals(a.seconds(), b.seconds());
        }
        TrainingCheckpoint.delete(file);
        assertFalse(Files.exists(file));
    }

    @Test
    void aCheckpointReachesTheDeviceBeforeItsRenameAndItsFolderAfter() throws Exception {
        Path file = TrainingCheckpoint.beside(dir.resolve("model")).toAbsolutePath();
        List<String> steps = new java.util.ArrayList<>();
        try (AutoCloseable r = Disk.recordInto(steps::add)) {
            sample("abc").write(file);
        }
        // The complete checkpoint is first written and flushed under a name a resume ignores.
        Path partial = dir.toAbsolutePath().resolve(".model.checkpoint.partial");
        assertEquals(5, steps.size(), steps.toString());
        String tmp = steps.get(0).substring("flush ".length());
        assertTrue(tmp.startsWith(dir.toAbsolutePath().resolve("..model.checkpoint.partial.aand-tmp-").toString()),
                steps.toString());
        assertEquals(List.of("rename " + tmp + " -> " + partial, "flush " + file.getParent(),
                "rename " + partial + " -> " + file, "flush " + file.getParent()), steps.subList(1, 5));
    }

    @Test
    void refusalsAreOneLineNamingTheFileAndTheDifference() throws Exception {
        Path file = dir.resolve("m.checkpoint");
        String none = assertThrows(IllegalArgumentException.class,
                () -> TrainingCheckpoint.resume(file, CONFIG, "abc")).getMessage();
        assertTrue(none.startsWith("nothing to resume: no checkpoint " + file), none);

        sample("abc").write(file);
        String config = assertThrows(IllegalArgumentException.class, () -> TrainingCheckpoint.resume(file,
                CONFIG.with(Map.of("batchSize", 4, "seed", 3L)), "abc")).getMessage();
        assertEquals("cannot resume from " + file + ": its configuration differs in batchSize 2 vs 4, seed 0 vs 3"
                + " (checkpoint vs requested)", config);
        String data = assertThrows(IllegalArgumentException.class,
                () -> TrainingCheckpoint.resume(file, CONFIG, "def")).getMessage();
        assertTrue(data.contains("trained on different images"), data);

        Path weights = dir.resolve("plain.safetensors");
        SafetensorsWriter.write(weights, Map.of("w", HostTensor.ofFloats(new long[] {1}, new float[] {1})));
        String plain = assertThrows(IllegalArgumentException.class,
                () -> TrainingCheckpoint.resume(weights, CONFIG, "abc")).getMessage();
        assertTrue(plain.startsWith("not an aand training checkpoint: " + weights), plain);

        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 5));
        String torn = assertThrows(IllegalArgumentException.class,
                () -> TrainingCheckpoint.resume(file, CONFIG, "abc")).getMessage();
        assertTrue(torn.startsWith("corrupt checkpoint: " + file) && torn.contains("truncated"), torn);
        for (String m : List.of(none, config, data, plain, torn)) {
            assertFalse(m.contains("\n"), m);
        }
    }

    @Test
    void fingerprintFollowsTheImagesBytes() throws Exception {
        Path root = TinyCookie.create(dir.resolve("data"), 2, 1, 1);
        AnomalyDataset d = Datasets.open("mvtec", DatasetOptions.of(root, "cookie"));
        String before = TrainingCheckpoint.fingerprint(d);
        assertEquals(before, TrainingCheckpoint.fingerprint(Datasets.open("mvtec", DatasetOptions.of(root, "cookie"))));
        Path first = d.train().get(0).image();
        byte[] b = Files.readAllBytes(first);
        b[b.length - 1] ^= 1;
        Files.write(first, b);
        assertNotEquals(before, TrainingCheckpoint.fingerprint(d));
    }

    /** An optimizer restored from a host copy continues exactly like the one that never stopped. */
    @Test
    void restoredAdamTakesBitIdenticalSteps() {
        try (NDManager m = Engines.manager()) {
            Engine engine = m.getEngine();
            float[] init = {0.3f, -1.2f, 2.0f, 0.01f, -0.5f, 4.0f};
            NDArray x = m.create(new float[] {1.5f, -2f, 0.25f, 3f, -1f, 0.5f}, new Shape(2, 3));
            NDArray a = m.create(init, new Shape(2, 3));
            a.setRequiresGradient(true);
            try (Adam uninterrupted = new Adam(Map.of("w", a), 0.01, 0.5, 0.999)) {
                for (int i = 0; i < 3; i++) {
                    step(engine, uninterrupted, a, x);
                }
                Adam.State saved = uninterrupted.state();
                float[] weightsAtSave = a.toFloatArray();
                for (int i = 0; i < 4; i++) {
                    step(engine, uninterrupted, a, x);
                }

                NDArray b = m.create(weightsAtSave, new Shape(2, 3));
                b.setRequiresGradient(true);
                try (Adam resumed = new Adam(Map.of("w", b), 0.01, 0.5, 0.999)) {
                    resumed.restore(saved);
                    assertEquals(3, resumed.state().steps());
                    for (int i = 0; i < 4; i++) {
                        step(engine, resumed, b, x);
                    }
                }
                assertArrayEquals(a.toFloatArray(), b.toFloatArray());
                assertFalse(Arrays.equals(weightsAtSave, b.toFloatArray()), "the steps moved the weights");
            }
            NDArray c = m.create(new float[3], new Shape(3));
            c.setRequiresGradient(true);
            try (Adam other = new Adam(Map.of("w", c), 0.01, 0.5, 0.999)) {
                Adam.State wrong = new Adam.State(1, Map.of("m.w", HostTensor.ofFloats(new long[] {2}, new float[2]),
                        "v.w", HostTensor.ofFloats(new long[] {2}, new float[2])));
                String msg = assertThrows(IllegalArgumentException.class, () -> other.restore(wrong)).getMessage();
                assertEquals("optimizer state for w is of shape [2], the parameter has shape [3]", msg);
            }
        }
    }

    private static void step(Engine engine, Adam adam, NDArray w, NDArray x) {
        try (GradientCollector gc = engine.newGradientCollector()) {
            gc.backward(w.mul(x).square().sum().add(w.sin().sum()));
        }
        adam.step();
    }
}
