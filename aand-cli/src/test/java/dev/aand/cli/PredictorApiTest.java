package dev.aand.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import dev.aand.api.Aand;
import dev.aand.api.AnomalyMap;
import dev.aand.api.AnomalyResult;
import dev.aand.api.PreparedImage;
import dev.aand.infer.MapResizer;
import dev.aand.config.AandConfig;
import dev.aand.data.AnomalyDataset;
import dev.aand.data.DatasetOptions;
import dev.aand.data.Datasets;
import dev.aand.data.ImageLoader;
import dev.aand.data.Sample;
import dev.aand.model.ModelStore;
import dev.aand.testing.Engines;
import dev.aand.testing.TinyCookie;
import dev.aand.train.TrainingListener;
import dev.aand.train.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DJL API ({@link Aand#criteria}) as a library user calls it: Criteria -> ZooModel ->
 * Predictor, with the same scores as {@code aand predict} for the same model and images.
 */
class PredictorApiTest {
    @TempDir
    static Path dir;
    static Path model;
    static List<Path> images;

    @BeforeAll
    static void trainTiny() {
        Engines.manager().close();
        AnomalyDataset data = Datasets.open("mvtec",
                DatasetOptions.of(TinyCookie.create(dir.resolve("data"), 6, 2, 3), "cookie").withValidation(0.34, 0));
        AandConfig c = AandConfig.defaults().with(Map.of("imageSize", 32, "batchSize", 4, "stage1Epochs", 1,
                "stage2Epochs", 1, "synthesisThreads", 1));
        model = dir.resolve("model");
        TrainingRun.run(c, data, model, TrainingListener.NONE);
        images = data.test().stream().map(Sample::image).toList();
    }

    @Test
    void predictorScoresEqualTheCommandLine() throws Exception {
        Path out = dir.resolve("pred");
        Map<String, Double> cli = PredictScores.of(model, out, images);

        Criteria<Image, AnomalyResult> criteria = Aand.criteria(model);
        try (ZooModel<Image, AnomalyResult> zoo = criteria.loadModel();
                Predictor<Image, AnomalyResult> predictor = zoo.newPredictor()) {
            List<Image> inputs = new ArrayList<>();
            for (Path p : images) {
                inputs.add(ImageFactory.getInstance().fromFile(p));
            }
            List<AnomalyResult> batch = predictor.batchPredict(inputs);
            double stored = ModelStore.info(model).threshold();
            for (int i = 0; i < images.size(); i++) {
                AnomalyResult r = batch.get(i);
                assertEquals(cli.get(images.get(i).toString()), r.score(), 0.0, "score of " + images.get(i));
                assertEquals(stored, r.threshold(), 0.0);
                assertEquals(r.score() >= r.threshold(), r.anomalous());
                // The score is the maximum of the model-resolution map.
                float max = Float.NEGATIVE_INFINITY;
                for (float v : r.map().values()) {
                    max = Math.max(max, v);
                }
                assertEquals((float) r.score(), max, 0f);
                assertEquals(32, r.map().width());
                int[] wh = ImageLoader.dimensions(images.get(i));
                assertEquals(wh[0], r.mapAtInput().width());
                assertEquals(wh[1], r.mapAtInput().height());
                assertEquals(wh[0], r.mask().width());
                assertEquals(wh[1], r.mask().height());
                // Single predictions agree with the batch (engine kernels may differ in the last bits
                // between batch sizes; see docs/method.md).
                assertEquals(r.score(), predictor.predict(inputs.get(i)).score(), 1e-5);
            }
        }
    }

    @Test
    void preparedImagesScoreExactlyLikeImages() throws Exception {
        try (ZooModel<Image, AnomalyResult> plain = Aand.criteria(model).loadModel();
                ZooModel<PreparedImage, AnomalyResult> prepared = Aand.builder(model, PreparedImage.class).build()
                        .loadModel();
                Predictor<Image, AnomalyResult> pi = plain.newPredictor();
                Predictor<PreparedImage, AnomalyResult> pp = prepared.newPredictor()) {
            List<Image> inputs = new ArrayList<>();
            List<PreparedImage> ready = new ArrayList<>();
            for (Path p : images) {
                Image img = ImageFactory.getInstance().fromFile(p);
                inputs.add(img);
                ready.add(PreparedImage.of(img, prepared));
            }
            List<AnomalyResult> a = pi.batchPredict(inputs);
            List<AnomalyResult> b = pp.batchPredict(ready);
            for (int i = 0; i < images.size(); i++) {
                assertEquals(a.get(i).score(), b.get(i).score(), 0.0, "score of " + images.get(i));
                assertArrayEquals(a.get(i).map().values(), b.get(i).map().values());
                AnomalyMap at = b.get(i).mapAtInput();
                assertEquals(ready.get(i).width(), at.width());
                assertEquals(ready.get(i).height(), at.height());
                assertArrayEquals(MapResizer.resize(b.get(i).map().values(), 32, 32, at.width(), at.height()),
                        at.values(), "the map at input size is the bilinear resize of the model's map");
                assertSame(at, b.get(i).mapAtInput(), "computed once");
            }
            // Prepared for another size: refused with both sizes named, not scored.
            PreparedImage other = new PreparedImage(10, 20, 64, new float[3 * 64 * 64]);
            Exception e = assertThrows(Exception.class, () -> pp.predict(other));
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            assertTrue(why.contains("64 px") && why.contains("32 px"), why);
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new PreparedImage(10, 10, 32, new float[5]));
        assertTrue(bad.getMessage().contains("3x32x32"), bad.getMessage());
    }

    @Test
    void thresholdArgumentOverridesTheModelsAndDrivesTheMask() throws Exception {
        Image img = ImageFactory.getInstance().fromFile(images.get(images.size() - 1));
        Criteria<Image, AnomalyResult> low = Aand.builder(model).optArgument(Aand.THRESHOLD, -1.0).build();
        Criteria<Image, AnomalyResult> high = Aand.builder(model).optArgument(Aand.THRESHOLD, "1e9").build();
        try (ZooModel<Image, AnomalyResult> a = low.loadModel(); ZooModel<Image, AnomalyResult> b = high.loadModel();
                Predictor<Image, AnomalyResult> pa = a.newPredictor(); Predictor<Image, AnomalyResult> pb = b.newPredictor()) {
            AnomalyResult ra = pa.predict(img);
            AnomalyResult rb = pb.predict(img);
            assertTrue(ra.anomalous());
            assertEquals(ra.mask().width() * (long) ra.mask().height(), ra.mask().area(), "every pixel >= -1");
            assertFalse(rb.anomalous());
            assertEquals(0, rb.mask().area());
            assertEquals(ra.score(), rb.score(), 0.0);
            assertEquals("-1.0", a.getProperty("threshold"));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Aand.builder(model).optArgument(Aand.THRESHOLD, "NaN").build().loadModel());
        assertTrue(e.getMessage().contains("threshold"), e.getMessage());
    }

    @Test
    void precisionArgumentSelectsBfloat16AndABadOneIsNamed() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Aand.builder(model).optArgument(Aand.PRECISION, "fp64").build().loadModel());
        assertTrue(e.getMessage().contains("precision") && e.getMessage().contains("fp64"), e.getMessage());
        if (!dev.aand.engine.CpuFeatures.hasBfloat16(dev.aand.engine.CpuFeatures.flags())) {
            // On a CPU without bfloat16 instructions, bf16 is refused in one line, not emulated.
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Aand.builder(model).optArgument(Aand.PRECISION, "bf16").build().loadModel());
            assertTrue(refused.getMessage().contains("bfloat16") && refused.getMessage().contains("fp32"),
                    refused.getMessage());
            return;
        }
        Image img = ImageFactory.getInstance().fromFile(images.get(images.size() - 1));
        try (ZooModel<Image, AnomalyResult> fp = Aand.criteria(model).loadModel();
                ZooModel<Image, AnomalyResult> bf = Aand.builder(model).optArgument(Aand.PRECISION, "bf16").build()
                        .loadModel();
                Predictor<Image, AnomalyResult> pf = fp.newPredictor();
                Predictor<Image, AnomalyResult> pb = bf.newPredictor()) {
            assertEquals("fp32", fp.getProperty("precision"));
            assertEquals("bf16", bf.getProperty("precision"));
            double a = pf.predict(img).score();
            double b = pb.predict(img).score();
            assertNotEquals(a, b, "bf16 really ran in bfloat16");
            assertEquals(a, b, 0.05 * Math.abs(a) + 1e-3, "bf16 score near the fp32 one");
        }
    }

    @Test
    void wrongTypesAndMissingFoldersAreRefusedClearly() {
        Criteria<Image, float[]> wrong = Criteria.builder().setTypes(Image.class, float[].class)
                .optModelZoo(Aand.criteria(model).getModelZoo()).build();
        assertThrows(ModelNotFoundException.class, wrong::loadModel);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Aand.criteria(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }
}
