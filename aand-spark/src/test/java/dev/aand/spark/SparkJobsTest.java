package dev.aand.spark;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;
import dev.aand.api.Aand;
import dev.aand.api.AnomalyResult;
import dev.aand.config.AandConfig;
import dev.aand.model.ModelStore;
import dev.aand.testing.Engines;
import dev.aand.testing.TinyCookie;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The Spark jobs on one local[2] session (two task threads, two attempts per task) with tiny data:
 * a 32 px model trained by the train job itself, scoring with its error rows, table input and CSV
 * output, a model shipped as an archive, an injected task failure, and the evaluation summary.
 */
class SparkJobsTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path data;
    static Path models;
    static List<TrainJob.Result> trained;
    static Path model;
    /** Images to score: the cookie test photos under two sub-folders. */
    static List<Path> images;

    @BeforeAll
    static void trainTwoCategories() throws IOException {
        Engines.manager().close();
        data = TinyCookie.create(dir.resolve("data"), 6, 2, 3);
        // A category whose training images are not images: its training fails.
        Path broken = Files.createDirectories(data.resolve("broken/train/good"));
        for (int i = 0; i < 3; i++) {
            Files.writeString(broken.resolve("00" + i + ".png"), "not a png");
        }
        Path brokenTest = Files.createDirectories(data.resolve("broken/test/good"));
        try (Stream<Path> s = Files.list(data.resolve("cookie/test/good"))) {
            Path good = s.sorted().findFirst().orElseThrow();
            Files.copy(good, brokenTest.resolve(good.getFileName()));
        }
        spark = SparkSession.builder().master("local[2,2]").appName("aand-spark-test")
                .config("spark.ui.enabled", "false").getOrCreate();
        models = dir.resolve("models");
        String config = AandConfig.defaults().with(Map.of("imageSize", 32, "batchSize", 4, "stage1Epochs", 1,
                "stage2Epochs", 1, "synthesisThreads", 1, "validationFraction", 0.34)).toJson();
        trained = TrainJob.run(spark, new TrainJob.Options("mvtec", data.toString(), List.of("cookie", "broken"),
                models.toString(), config, false));
        model = models.resolve("cookie");
        images = new ArrayList<>();
        Path in = Files.createDirectories(dir.resolve("in/a"));
        Files.createDirectories(dir.resolve("in/b"));
        try (Stream<Path> s = Files.walk(data.resolve("cookie/test"))) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                // good/000.png and cracked/000.png would collide: number the copies.
                Path to = in.resolveSibling(images.size() % 2 == 0 ? "a" : "b")
                        .resolve(String.format("%02d_%s", images.size(), p.getFileName()));
                Files.copy(p, to);
                images.add(to);
            }
        }
    }

    @AfterAll
    static void stop() {
        System.clearProperty(FaultInjection.PROPERTY);
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void trainingReportsTheFailingCategoryAndKeepsTheOther() throws Exception {
        assertEquals(List.of("cookie", "broken"), trained.stream().map(TrainJob.Result::category).toList());
        assertEquals("trained", trained.get(0).status(), String.valueOf(trained.get(0).error()));
        assertEquals("failed", trained.get(1).status());
        assertTrue(trained.get(1).error().matches(".*broken/train/good/00[0-2]\\.png.*"), trained.get(1).error());
        assertTrue(Files.isRegularFile(model.resolve(ModelStore.WEIGHTS)));
        assertEquals("cookie", ModelStore.info(model).category());
        assertFalse(Files.exists(models.resolve("broken")), "no model for the failed category");
        assertTrue(Files.readString(models.resolve("broken.log")).contains("training mvtec/broken"));
        try (Stream<Path> s = Files.list(models)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList(),
                    "no half-written folder left behind");
        }
        String table = TrainJob.table(trained);
        assertTrue(table.contains("| cookie | trained |") && table.contains("| broken | failed |"), table);

        // Again through the command line: the existing model is skipped, untouched; the failure is reported.
        byte[] before = Files.readAllBytes(model.resolve(ModelStore.WEIGHTS));
        long modified = Files.getLastModifiedTime(model.resolve(ModelStore.WEIGHTS)).toMillis();
        int rc = run("train", "--root", data.toString(), "--categories", "cookie,broken", "--out", models.toString(),
                "--image-size", "32", "--stage1-epochs", "1", "--stage2-epochs", "1");
        assertEquals(2, rc, "a failed category makes the exit code 2");
        assertArrayEquals(before, Files.readAllBytes(model.resolve(ModelStore.WEIGHTS)));
        assertEquals(modified, Files.getLastModifiedTime(model.resolve(ModelStore.WEIGHTS)).toMillis());
    }

    @Test
    void scoringWritesOneRowPerImageAndAnErrorRowForABadOne() throws Exception {
        Files.writeString(dir.resolve("in/b/corrupt.png"), "this is not an image");
        Files.writeString(dir.resolve("in/b/notes.txt"), "not an image extension: not listed");
        Path out = dir.resolve("scores.parquet");
        try {
            assertEquals(2, run("score", "--model", model.toString(), "--input", dir.resolve("in").toString(),
                    "--output", out.toString(), "--batch-size", "2"), "an unreadable image makes the exit code 2");
        } finally {
            Files.delete(dir.resolve("in/b/corrupt.png"));
            Files.delete(dir.resolve("in/b/notes.txt"));
        }
        Map<String, Row> rows = byFileName(spark.read().parquet(out.toString()).collectAsList(), images.size() + 1);
        Row bad = rows.get("corrupt.png");
        assertNotNull(bad.getAs("error"));
        assertTrue(bad.<String>getAs("error").contains("corrupt.png"), bad.<String>getAs("error"));
        assertNull(bad.getAs("score"));
        assertEquals(sha256(model.resolve(ModelStore.WEIGHTS)), bad.getAs("model_version"));
        assertMatchesPredictor(rows);
    }

    @Test
    void pathTableInCsvOutWithAMissingFile() throws Exception {
        List<String> listed = new ArrayList<>(images.stream().map(Path::toString).toList());
        listed.add(dir.resolve("in/missing.png").toString());
        Path table = dir.resolve("paths.parquet");
        spark.createDataset(listed, Encoders.STRING()).toDF("path").write().parquet(table.toString());
        Path out = dir.resolve("scores.csv");
        assertEquals(2, run("score", "--model", model.toString(), "--input", table.toString(), "--input-type", "parquet",
                "--output", out.toString(), "--format", "csv"));
        List<Row> csv = spark.read().option("header", "true").option("inferSchema", "true").csv(out.toString()).collectAsList();
        assertEquals(List.of(ScoreRows.SCHEMA.fieldNames()), List.of(spark.read().option("header", "true")
                .csv(out.toString()).columns()));
        Map<String, Row> rows = byFileName(csv, images.size() + 1);
        assertTrue(rows.get("missing.png").<String>getAs("error").contains("missing.png"));
        assertMatchesPredictor(rows);

        StringWriter err = new StringWriter();
        assertEquals(1, run(err, "score", "--model", model.toString(), "--input", table.toString(), "--input-type",
                "parquet", "--output", out.toString()));
        assertTrue(err.toString().contains("output already exists: " + out), err.toString());
    }

    @Test
    void aModelShippedAsAnArchiveIsFoundByName() throws Exception {
        Path zip = dir.resolve("model.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip)); Stream<Path> s = Files.list(model)) {
            for (Path f : s.sorted().toList()) {
                z.putNextEntry(new ZipEntry("cookie/" + f.getFileName()));
                Files.copy(f, z);
                z.closeEntry();
            }
        }
        spark.sparkContext().addArchive(zip.toUri() + "#shipped");
        Path out = dir.resolve("shipped.parquet");
        assertEquals(0, run("score", "--model", "shipped", "--input", dir.resolve("in").toString(), "--output",
                out.toString()));
        Map<String, Row> rows = byFileName(spark.read().parquet(out.toString()).collectAsList(), images.size());
        assertMatchesPredictor(rows);

        StringWriter err = new StringWriter();
        assertEquals(1, run(err, "score", "--model", "no-such-model", "--input", dir.resolve("in").toString(),
                "--output", dir.resolve("never").toString()));
        assertTrue(err.toString().startsWith("error: model folder not found: no-such-model"), err.toString());
        assertFalse(Files.exists(dir.resolve("never")));
        err = new StringWriter();
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(1, run(err, "score", "--model", "shipped", "--input", empty.toString(), "--output",
                dir.resolve("never").toString()));
        assertEquals("error: no images found in " + empty, err.toString().trim());
        assertFalse(Files.exists(dir.resolve("never")));
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndEveryImageIsWrittenOnce() throws Exception {
        // Twelve images under distinct names, three partitions; partition 1's first attempt dies mid-way.
        Path in = Files.createDirectories(dir.resolve("many"));
        for (int i = 0; i < 12; i++) {
            Files.copy(images.get(i % images.size()), in.resolve(String.format("img%02d.png", i)));
        }
        AtomicInteger failedTasks = new AtomicInteger();
        AtomicInteger succeededTasks = new AtomicInteger();
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                (end.reason() == Success$.MODULE$ ? succeededTasks : failedTasks).incrementAndGet();
            }
        };
        spark.sparkContext().addSparkListener(listener);
        // The JVM's model cache: one model per folder and version, whatever the number of tasks.
        try (ExecutorModels.Lease a = ExecutorModels.acquire(model); ExecutorModels.Lease b = ExecutorModels.acquire(model)) {
            assertSame(a.model(), b.model());
            assertEquals(sha256(model.resolve(ModelStore.WEIGHTS)), a.version());
        }
        int loaded = ExecutorModels.loadedCount();
        System.setProperty(FaultInjection.PROPERTY, "1");
        Path out = dir.resolve("retried.parquet");
        ScoreJob.Outcome r;
        try {
            r = ScoreJob.run(spark, new ScoreJob.Options(model.toString(), in.toString(), "images", out.toString(),
                    "parquet", 2, 3, new ImageBytes(1 << 20, 1_000_000)));
        } finally {
            System.clearProperty(FaultInjection.PROPERTY);
            spark.sparkContext().listenerBus().waitUntilEmpty();
            spark.sparkContext().removeSparkListener(listener);
        }
        assertEquals(1, failedTasks.get(), "exactly the injected failure");
        assertTrue(succeededTasks.get() >= 3, "three scoring tasks, one of them on its second attempt");
        assertEquals(loaded, ExecutorModels.loadedCount(), "the tasks used the model this JVM had loaded");
        assertEquals(12, r.images());
        assertEquals(0, r.errors());
        List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
        assertEquals(12, rows.size());
        assertEquals(12, rows.stream().map(row -> row.<String>getAs("path")).distinct().count());
        assertTrue(rows.stream().allMatch(row -> row.getAs("score") != null));
    }

    @Test
    void evaluationWritesEveryCategoryAndTheSummary() throws Exception {
        // A second category: other test images, the same model; a third without a model.
        Path other = TinyCookie.create(dir.resolve("data2"), 1, 1, 2);
        Files.move(other.resolve("cookie"), data.resolve("cookie2"));
        copyTree(model, models.resolve("cookie2"));
        Files.createDirectories(data.resolve("nomodel/train/good"));
        Path out = dir.resolve("eval");
        assertEquals(2, run("test", "--root", data.toString(), "--categories", "cookie,cookie2,nomodel", "--models",
                models.toString(), "--out", out.toString()));
        for (String c : List.of("cookie", "cookie2")) {
            assertTrue(Files.isRegularFile(out.resolve(c).resolve("metrics.json")), c);
            assertTrue(Files.isRegularFile(out.resolve(c).resolve("index.html")), c);
        }
        assertFalse(Files.exists(out.resolve("nomodel")));

        List<Row> summary = spark.read().parquet(out.resolve("summary.parquet").toString()).collectAsList();
        assertEquals(List.of("cookie", "cookie2", "nomodel", "mean"), summary.stream().map(r -> r.<String>getAs("category")).toList());
        Row a = summary.get(0);
        Row b = summary.get(1);
        assertEquals("ok", a.getAs("status"));
        assertEquals("failed", summary.get(2).getAs("status"));
        assertTrue(summary.get(2).<String>getAs("error").contains("no model"));
        var metrics = com.google.gson.JsonParser.parseString(Files.readString(out.resolve("cookie/metrics.json"))).getAsJsonObject();
        assertEquals(metrics.get("image_auroc").getAsDouble(), a.<Double>getAs("image_auroc"), 0.0);
        assertEquals(metrics.get("pixel_aupro").getAsDouble(), a.<Double>getAs("pixel_aupro"), 0.0);
        assertEquals(5, a.<Integer>getAs("n_images"));
        assertEquals(3, b.<Integer>getAs("n_images"));
        for (String m : List.of("image_auroc", "pixel_auroc", "pixel_aupro")) {
            double mean = (a.<Double>getAs(m) + b.<Double>getAs(m)) / 2;
            assertEquals(mean, summary.get(3).<Double>getAs(m), 1e-12, m);
            assertTrue(a.<Double>getAs(m) >= 0 && a.<Double>getAs(m) <= 1, m);
        }
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.startsWith("| Category | Image AUROC | Pixel AUROC | AUPRO@0.3 |\n| --- | ---: | ---: | ---: |\n| cookie | "), md);
        assertTrue(md.contains(String.format(java.util.Locale.ROOT, "| **Mean** | %.1f | %.1f | %.1f |",
                100 * summary.get(3).<Double>getAs("image_auroc"), 100 * summary.get(3).<Double>getAs("pixel_auroc"),
                100 * summary.get(3).<Double>getAs("pixel_aupro"))), md);
        assertTrue(md.contains("- nomodel: no model at"), md);
        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(5, csv.size());
        assertTrue(csv.get(0).startsWith("category,status,image_auroc,pixel_auroc,pixel_aupro"), csv.get(0));

        StringWriter err = new StringWriter();
        assertEquals(1, run(err, "test", "--root", data.toString(), "--categories", "cookie", "--models",
                models.toString(), "--out", out.toString()));
        assertTrue(err.toString().contains("exists (use --force"), err.toString());
    }

    /** Every good row agrees with the library's Predictor on the same image. */
    private static void assertMatchesPredictor(Map<String, Row> rows) throws Exception {
        String version = sha256(model.resolve(ModelStore.WEIGHTS));
        for (Path p : images) {
            Row row = rows.get(p.getFileName().toString());
            assertNotNull(row, p.toString());
            AnomalyResult r = direct().get(p);
            assertNull(row.getAs("error"));
            assertEquals(version, row.getAs("model_version"));
            assertEquals(r.score(), ((Number) row.getAs("score")).doubleValue(), 1e-5, p.toString());
            assertEquals(r.threshold(), ((Number) row.getAs("threshold")).doubleValue(), 1e-12);
            assertEquals(((Number) row.getAs("score")).doubleValue() >= r.threshold(), row.<Boolean>getAs("anomalous"));
            // The peak is where the map (at the image's size) is largest; ties may break either way.
            int x = ((Number) row.getAs("peak_x")).intValue();
            int y = ((Number) row.getAs("peak_y")).intValue();
            int[] peak = r.mapAtInput().peak();
            assertEquals(r.mapAtInput().get(peak[0], peak[1]), r.mapAtInput().get(x, y), 1e-4, p.toString());
            long area = ((Number) row.getAs("anomalous_area")).longValue();
            long pixels = (long) r.mask().width() * r.mask().height();
            assertEquals(r.mask().area(), area, pixels * 0.001, p.toString());
        }
    }

    private static Map<Path, AnomalyResult> direct;

    /** The library's own results for {@link #images}, one image at a time. */
    private static synchronized Map<Path, AnomalyResult> direct() throws Exception {
        if (direct == null) {
            direct = new HashMap<>();
            try (ZooModel<Image, AnomalyResult> zoo = Aand.criteria(model).loadModel();
                    Predictor<Image, AnomalyResult> predictor = zoo.newPredictor()) {
                for (Path p : images) {
                    direct.put(p, predictor.predict(ImageFactory.getInstance().fromFile(p)));
                }
            }
        }
        return direct;
    }

    /** Rows keyed by file name; each file appears exactly once. */
    private static Map<String, Row> byFileName(List<Row> rows, int expected) {
        Map<String, Row> m = new HashMap<>();
        for (Row r : rows) {
            String name = Path.of(URI.create(r.<String>getAs("path")).getPath()).getFileName().toString();
            assertNull(m.put(name, r), "written twice: " + name);
        }
        assertEquals(expected, m.size(), m.keySet().toString());
        return m;
    }

    private static int run(String... args) {
        return run(new StringWriter(), args);
    }

    private static int run(StringWriter err, String... args) {
        CommandLine cl = SparkMain.commandLine();
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

}
