package dev.aand.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.aand.config.AandConfig;
import dev.aand.data.AnomalyDataset;
import dev.aand.data.Datasets;
import dev.aand.data.DatasetOptions;
import dev.aand.data.Npy;
import dev.aand.infer.Inferencer;
import dev.aand.model.ModelStore;
import dev.aand.testing.Engines;
import dev.aand.testing.TinyCookie;
import dev.aand.train.TrainingListener;
import dev.aand.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train -> test -> reload -> predict on a tiny real sample, through the library and the CLI. */
class EndToEndTest {
    @TempDir
    static Path dir;
    static AnomalyDataset data;
    static Path model;

    @BeforeAll
    static void trainTiny() {
        Engines.manager().close();
        data = Datasets.open("mvtec", DatasetOptions.of(TinyCookie.create(dir.resolve("data"), 6, 2, 3), "cookie")
                .withValidation(0.34, 0));
        AandConfig c = AandConfig.defaults().with(Map.of("imageSize", 32, "batchSize", 4, "stage1Epochs", 1,
                "stage2Epochs", 1, "synthesisThreads", 1));
        model = dir.resolve("model");
        TrainingRun.run(c, data, model, TrainingListener.NONE);
    }

    @Test
    void testWritesMetricsAndReloadReproducesScores() throws Exception {
        Path out = dir.resolve("report");
        TestCommand.run(model, () -> data, out, new TestCommand.Settings(false, true, 4, ModelStore.LoadOptions.STRICT, null));
        JsonObject m = JsonParser.parseString(Files.readString(out.resolve("metrics.json"))).getAsJsonObject();
        assertEquals(Set.of("image_auroc", "pixel_auroc", "pixel_aupro", "image_f1_max", "image_threshold",
                "n_images", "n_anomalous", "by_defect"), m.keySet());
        assertEquals(5, m.get("n_images").getAsInt());
        assertEquals(3, m.get("n_anomalous").getAsInt());
        for (String k : List.of("image_auroc", "pixel_auroc", "pixel_aupro")) {
            double v = m.get(k).getAsDouble();
            assertTrue(v >= 0 && v <= 1, k + " is a fraction: " + v);
        }
        JsonObject cracked = m.getAsJsonObject("by_defect").getAsJsonObject("cracked");
        assertEquals(m.get("pixel_aupro").getAsDouble(), cracked.get("pixel_aupro").getAsDouble(), 1e-12,
                "one defect type: its metrics are the overall ones");
        assertTrue(Files.size(out.resolve("index.html")) > 1000);
        Npy.Array map = Npy.read(out.resolve("maps/cracked/000.jpg.npy"));
        assertArrayEquals(new long[] {32, 32}, map.shape());

        List<String> rows = Files.readAllLines(out.resolve("scores.csv"));
        assertEquals("path,defect_type,label,score", rows.get(0));
        assertEquals(6, rows.size());
        try (NDManager manager = Engines.manager()) {
            ModelStore.Loaded loaded = ModelStore.load(model, manager);
            ModelStore.ModelInfo info = loaded.info();
            assertTrue(info.thresholdSource().startsWith("validation"), info.thresholdSource());
            // Training records where the model came from (issue 7's provenance).
            assertEquals(data.train().size() + data.validation().size(), info.provenance().trainingFiles());
            assertTrue(dev.aand.io.Sha256.isDigest(info.provenance().trainingFilesSha256()));
            assertEquals(dev.aand.model.Provenance.fingerprint(java.util.stream.Stream.concat(data.train().stream(),
                    data.validation().stream()).map(dev.aand.data.Sample::image).toList()),
                    info.provenance().trainingFilesSha256());
            assertEquals(dev.aand.train.Version.get(), info.version());
            assertTrue(info.normalMapLevel() > 0 && info.normalMapLevel() < info.threshold(),
                    "normal map level " + info.normalMapLevel() + " vs threshold " + info.threshold());
            float[] range = info.heatmapRange(info.threshold());
            assertEquals(2.0 / 3, (info.threshold() - range[0]) / (range[1] - range[0]), 1e-6);
            List<float[]> images = TrainingRun.decode(data.test(), 32);
            // The test command's batch size: a different batching may round differently (float32 sums
            // in another order), and this checks the reload, not batch independence.
            double[] again = new Inferencer(loaded.model(), manager, 4).score(images).scores();
            for (int i = 0; i < again.length; i++) {
                String[] f = rows.get(i + 1).split(",");
                assertEquals(Double.parseDouble(f[3]), again[i], 0.0, "score of " + f[0]);
            }
            // And the reload really restored trained weights: an untrained model of the same seed differs.
            var fresh = new dev.aand.model.AandModel(loaded.model().teacher(), loaded.model().config(),
                    new dev.aand.nn.InitContext(manager, loaded.model().config().seed()));
            double[] untrained = new Inferencer(fresh, manager, 4).score(images).scores();
            assertFalse(java.util.Arrays.equals(untrained, again), "reloaded scores equal an untrained model's");
        }
    }

    @Test
    void predictWritesOverlaysMasksAndCsv() throws Exception {
        Path out = dir.resolve("pred");
        Path good = data.test().get(0).image();
        Path bad = dir.resolve("broken.png");
        Files.writeString(bad, "not an image");
        int rc = Main.commandLine().execute("predict", "--model", model.toString(), "--out", out.toString(),
                good.toString(), bad.toString());
        assertEquals(2, rc, "a corrupt input is reported with exit code 2, the rest still scored");
        List<String> rows = Files.readAllLines(out.resolve("predictions.csv"));
        assertEquals(3, rows.size());
        assertTrue(rows.get(1).contains("_overlay.png") || rows.get(2).contains("_overlay.png"));
        assertTrue(rows.stream().anyMatch(r -> r.contains("broken.png") && r.contains("cannot")
                || r.contains("broken.png") && r.toLowerCase().contains("image")));
        try (var s = Files.list(out)) {
            assertEquals(2, s.filter(p -> p.toString().endsWith(".png")).count());
        }
    }

    @Test
    void benchTimesTheTrainedModelAsItIs() throws Exception {
        java.io.PrintStream saved = System.out;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
            rc = Main.commandLine().execute("bench", "--model", model.toString(), "--batch-size", "2", "--warmup", "0",
                    "--iterations", "2");
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, rc);
        var json = com.google.gson.JsonParser.parseString(bytes.toString(java.nio.charset.StandardCharsets.UTF_8))
                .getAsJsonObject();
        assertEquals(model.toAbsolutePath().normalize().toString(), json.get("model").getAsString());
        assertEquals("trained", json.get("weights").getAsString());
        try (NDManager m = Engines.manager()) {
            assertEquals(ModelStore.load(model, m).model().config().imageSize(), json.get("image_size").getAsInt());
        }
        assertTrue(json.getAsJsonObject("latency_ms").get("median").getAsDouble() > 0);

        var cl = Main.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setErr(new java.io.PrintWriter(err, true));
        assertEquals(1, cl.execute("bench", "--model", model.toString(), "--image-size", "64"));
        assertEquals("error: --model " + model + " is timed with its own configuration; --image-size does not apply"
                + " to it", err.toString().strip());
    }

    @Test
    void missingModelGivesAClearError() {
        var err = new java.io.StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new java.io.PrintWriter(err));
        int rc = cl.execute("predict", "--model", dir.resolve("nope").toString(), "--out", dir.resolve("x").toString(),
                data.test().get(0).image().toString());
        assertEquals(1, rc);
        assertTrue(err.toString().contains("not a model directory"), err.toString());
    }
}
