package dev.aand.model.official;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.aand.io.Sha256;
import dev.aand.backbone.weights.WeightFormatException;
import dev.aand.config.AandConfig;
import dev.aand.data.Npy;
import dev.aand.data.Preprocessing;
import dev.aand.infer.BilinearUpsampler;
import dev.aand.infer.Inferencer;
import dev.aand.model.AandModel;
import dev.aand.model.AmplifiedFeature;
import dev.aand.model.ModelStore;
import dev.aand.testing.Engines;
import dev.aand.testing.Fixtures;
import dev.aand.nn.Cosine;
import dev.aand.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An official AAND checkpoint pair (fixture 08: wide_resnet50_2 layout at 1/32 width, random but
 * trained-looking weights) imported and run on the fixture image: every intermediate tensor and
 * the map must match what the official code computed, within the fixture README's tolerances.
 */
class OfficialImportTest {
    private static final String DIR = "08_official_import/";

    private static final JsonObject FIXTURE = json();
    private static final JsonObject FILE_TOLERANCES = FIXTURE.getAsJsonObject("tolerance_per_file_abs");
    /** Max of the official float64 map, and its tolerance. */
    private static final double SCORE = FIXTURE.get("score").getAsDouble();
    private static final double SCORE_TOL = FIXTURE.getAsJsonObject("tolerance").get("score_abs").getAsDouble();

    @TempDir
    static Path tmp;
    static NDManager manager;
    static Path model;

    @BeforeAll
    static void importFixture() {
        manager = Engines.manager();
        model = tmp.resolve("imported");
        OfficialImport.run(Fixtures.fixture(DIR + "stage1.pth"), Fixtures.fixture(DIR + "stage2.pth"), model,
                OfficialImport.Threshold.of(1.5), 1, manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void everyIntermediateAndTheMapMatchTheOfficialCode() throws Exception {
        // Moved after import: the folder must be self-contained (teacher weights by relative path).
        Path moved = Files.move(model, tmp.resolve("moved"));
        try (NDManager m = manager.newSubManager()) {
            ModelStore.Loaded loaded = ModelStore.load(moved, m);
            AandModel net = loaded.model();
            float[] rgb = net.config().preprocessing().load(Fixtures.fixture(DIR + "input.png"), 256);
            NDArray x = m.create(rgb, new Shape(1, 3, 256, 256));

            NDArray normalized = net.teacher().normalize(x);
            float[] ref = npy("input_normalized_1x3x256x256").data();
            float[] got = normalized.toFloatArray();
            for (int i = 0; i < ref.length; i++) {
                assertEquals(Float.floatToRawIntBits(ref[i]), Float.floatToRawIntBits(got[i]), "input_normalized[" + i + "]");
            }

            NDList raw = net.teacher().features(normalized);
            List<AmplifiedFeature> advanced = net.advance(raw);
            NDArray embedding = net.student().bottleneck().forward(AandModel.advancedList(advanced));
            NDList student = net.student().decoder().forward(embedding);
            String[] levels = {"a", "b", "c"};
            int[][] shapes = {{8, 64}, {16, 32}, {32, 16}};
            NDArray mapRaw = null;
            BilinearUpsampler up = new BilinearUpsampler();
            for (int i = 0; i < 3; i++) {
                String suffix = levels[i] + "_1x" + shapes[i][0] + "x" + shapes[i][1] + "x" + shapes[i][1];
                assertMatches("teacher_raw_" + suffix, raw.get(i));
                assertMatches("attention_" + levels[i] + "_1x1x" + shapes[i][1] + "x" + shapes[i][1],
                        advanced.get(i).anomalyWeight());
                assertMatches("teacher_advanced_" + suffix, advanced.get(i).advanced());
                assertMatches("student_" + suffix, student.get(i));
                NDArray level = Cosine.distance(advanced.get(i).advanced(), student.get(i), 1);
                assertMatches("amap_level_" + levels[i] + "_" + shapes[i][1] + "x" + shapes[i][1], level);
                NDArray upsampled = up.resize(level.expandDims(1), 256, 256, true);
                mapRaw = mapRaw == null ? upsampled : mapRaw.add(upsampled);
            }
            assertMatches("bottleneck_1x64x8x8", embedding);
            assertMatches("map_raw_256x256", mapRaw);

            Inferencer.Result r = new Inferencer(net, m, 1).score(List.of(rgb));
            assertMatches("map_256x256", m.create(r.maps()[0]));
            System.out.printf(Locale.ROOT, "%-34s %.9f vs official %.9f%n", "score", r.scores()[0], SCORE);
            assertEquals(SCORE, r.scores()[0], SCORE_TOL, "score");
        }
    }

    @Test
    void modelDirectoryRecordsTeacherPreprocessingAndThreshold() throws Exception {
        Path dir = tmp.resolve("facts");
        OfficialImport.run(Fixtures.fixture(DIR + "stage1.pth"), Fixtures.fixture(DIR + "stage2.pth"), dir,
                OfficialImport.Threshold.of(1.75), 1, manager);
        AandConfig c = AandConfig.read(dir.resolve(ModelStore.CONFIG));
        assertEquals("wide_resnet50_2", c.backbone());
        assertEquals(OfficialImport.TEACHER_FILE, c.weights(), "relative: the folder is self-contained");
        assertEquals(Preprocessing.OFFICIAL, c.preprocessing());
        assertEquals(50, c.memoryItems());
        var meta = JsonParser.parseString(Files.readString(dir.resolve(ModelStore.META))).getAsJsonObject();
        assertEquals(1.75, meta.get("threshold").getAsDouble());
        assertEquals(Sha256.of(dir.resolve(OfficialImport.TEACHER_FILE)),
                meta.get("teacherWeightsSha256").getAsString());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(".aand-output", "config.json", "model.json", "teacher.safetensors", "weights.safetensors"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".import-")),
                    "no work folder left behind");
        }
    }

    @Test
    void normalImagesSetTheThresholdAsTheirScoresQuantile() throws Exception {
        Path normals = Files.createDirectories(tmp.resolve("normals"));
        Files.copy(Fixtures.fixture(DIR + "input.png"), normals.resolve("a.png"));
        Files.copy(Fixtures.fixture(DIR + "input.png"), normals.resolve("b.png"));
        Path dir = tmp.resolve("thresholded");
        ModelStore.ModelInfo info = OfficialImport.run(Fixtures.fixture(DIR + "stage1.pth"),
                Fixtures.fixture(DIR + "stage2.pth"), dir, OfficialImport.Threshold.fromNormalImages(normals), 2,
                manager);
        // Two copies of the fixture image: every quantile of their scores is its score.
        assertEquals(SCORE, info.threshold(), SCORE_TOL);
        assertTrue(info.thresholdSource().contains("q0.99 of 2 scores"), info.thresholdSource());
        assertTrue(info.normalMapLevel() > 1.3 && info.normalMapLevel() < info.threshold(),
                "1st percentile of the map: " + info.normalMapLevel());
        try (NDManager m = manager.newSubManager()) {
            ModelStore.Loaded loaded = ModelStore.load(dir, m);
            assertEquals(info.threshold(), loaded.info().threshold());
        }
    }

    @Test
    void swappedOrForeignCheckpointsAreNamedWithTheMissingDict() {
        Path s1 = Fixtures.fixture(DIR + "stage1.pth");
        Path s2 = Fixtures.fixture(DIR + "stage2.pth");
        WeightFormatException e = assertThrows(WeightFormatException.class,
                () -> OfficialImport.run(s2, s1, tmp.resolve("swapped"), OfficialImport.Threshold.of(1), 1, manager));
        assertEquals(s2 + ": no 'encoder_AT' state dict (found [bn, decoder_ss]); expected the official AAND"
                + " train.py's stage-1 checkpoint, {'encoder_AT': state_dict}", e.getMessage());
        Path plain = Fixtures.fixture("02_checkpoint/tiny_state_dict.pt");
        e = assertThrows(WeightFormatException.class,
                () -> OfficialImport.run(s1, plain, tmp.resolve("plain"), OfficialImport.Threshold.of(1), 1, manager));
        assertTrue(e.getMessage().startsWith(plain + ": no 'bn' state dict (found none)"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("swapped")) || Files.exists(tmp.resolve("plain")), "nothing written");
    }

    @Test
    void truncatedCheckpointNamesTheFile() throws Exception {
        byte[] all = Files.readAllBytes(Fixtures.fixture(DIR + "stage2.pth"));
        Path cut = tmp.resolve("cut_stage2.pth");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> OfficialImport.run(
                Fixtures.fixture(DIR + "stage1.pth"), cut, tmp.resolve("cut"), OfficialImport.Threshold.of(1), 1, manager));
        assertTrue(e.getMessage().startsWith(cut + ": not a readable zip archive"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void userFoldersAreNeverReplacedAndThresholdsMustBeFinite() throws Exception {
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(mine.resolve("notes.txt"), "keep me");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OfficialImport.run(
                Fixtures.fixture(DIR + "stage1.pth"), Fixtures.fixture(DIR + "stage2.pth"), mine,
                OfficialImport.Threshold.of(1), 1, manager));
        assertTrue(e.getMessage().contains("was not written by aand"), e.getMessage());
        assertEquals("keep me", Files.readString(mine.resolve("notes.txt")));
        e = assertThrows(IllegalArgumentException.class, () -> OfficialImport.Threshold.of(Double.NaN));
        assertEquals("threshold must be a finite number, got NaN", e.getMessage());
    }

    private static JsonObject json() {
        try {
            return JsonParser.parseString(Files.readString(Fixtures.fixture(DIR + "official_import.json")))
                    .getAsJsonObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Npy.Array npy(String name) {
        return Fixtures.npy(DIR + name + ".npy");
    }

    /**
     * Within the fixture's per-file tolerance (official_import.json: 10x the official code's own
     * float32-vs-float64 noise; for features at most 0.001 x max|ref|).
     */
    private static void assertMatches(String name, NDArray got) {
        String file = name + ".npy";
        assertClose(name, got, FILE_TOLERANCES.get(file).getAsDouble());
    }

    private static void assertClose(String name, NDArray got, double tol) {
        Npy.Array ref = npy(name);
        float[] g = got.toFloatArray();
        assertEquals(ref.size(), g.length, name + " size");
        double worst = 0;
        for (int i = 0; i < g.length; i++) {
            worst = Math.max(worst, Math.abs(g[i] - ref.data()[i]));
        }
        System.out.printf(Locale.ROOT, "%-34s max abs diff %.3g (tolerance %.3g)%n", name, worst, tol);
        assertTrue(worst <= tol, name + ": max abs diff " + worst + " > " + tol);
    }
}
