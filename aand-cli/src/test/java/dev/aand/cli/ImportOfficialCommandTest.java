package dev.aand.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.aand.data.AnomalyDataset;
import dev.aand.data.DatasetOptions;
import dev.aand.data.Datasets;
import dev.aand.data.Npy;
import dev.aand.data.Preprocessing;
import dev.aand.data.Sample;
import dev.aand.infer.Inferencer;
import dev.aand.model.ModelStore;
import dev.aand.testing.Engines;
import dev.aand.testing.Fixtures;
import dev.aand.testing.TinyCookie;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** import-official on the official-format fixture pair, then predict with the imported model. */
class ImportOfficialCommandTest {
    private static final String FIXTURE = "08_official_import/";

    @TempDir
    static Path dir;
    static Path stage1;
    static Path stage2;

    @BeforeAll
    static void copyFixtures() {
        stage1 = Fixtures.copy(FIXTURE + "stage1.pth", dir.resolve("checkpoints"));
        stage2 = Fixtures.copy(FIXTURE + "stage2.pth", dir.resolve("checkpoints"));
    }

    @Test
    void importThenPredictScoresLikeTheLibrary() throws Exception {
        Path image = Fixtures.copy(FIXTURE + "input.png", dir.resolve("normal"));
        Path model = dir.resolve("model");
        assertEquals(0, Main.commandLine().execute("import-official", "--stage1", stage1.toString(), "--stage2",
                stage2.toString(), "--out", model.toString(), "--normal-dir", image.getParent().toString()));
        Path out = dir.resolve("predictions");
        assertEquals(0, Main.commandLine().execute("predict", "--model", model.toString(), "--out", out.toString(),
                image.toString()));
        List<String> rows = Files.readAllLines(out.resolve("predictions.csv"));
        assertEquals(2, rows.size());
        String[] f = rows.get(1).split(",");
        double cliScore = Double.parseDouble(f[1]);
        try (NDManager manager = Engines.manager()) {
            ModelStore.Loaded loaded = ModelStore.load(model, manager);
            var config = loaded.model().config();
            double libraryScore = new Inferencer(loaded.model(), manager, 1)
                    .score(List.of(config.preprocessing().load(image, config.imageSize()))).scores()[0];
            assertEquals(libraryScore, cliScore, 0.0, "CLI and library score the imported model alike");
            // The threshold came from this very image, so it is its score and the image is (just) flagged.
            assertEquals(libraryScore, loaded.info().threshold(), 0.0);
        }
        assertEquals("1", f[3], "score >= threshold");
        // The official code's score of this image (fixture README section 8), float64: 2.022058905072774.
        assertEquals(2.022058905072774, cliScore, 2e-4);
    }

    /** test on a dataset: every image is prepared the official way, as the imported config says. */
    @Test
    void testCommandUsesTheOfficialPreprocessing() throws Exception {
        Path model = dir.resolve("for-test");
        assertEquals(0, Main.commandLine().execute("import-official", "--stage1", stage1.toString(), "--stage2",
                stage2.toString(), "--out", model.toString(), "--threshold", "2.5"));
        AnomalyDataset data = Datasets.open("mvtec", DatasetOptions.of(TinyCookie.create(dir.resolve("data"), 1, 1, 2),
                "cookie"));
        Path report = dir.resolve("report");
        TestCommand.run(model, () -> data, report, new TestCommand.Settings(false, true, 1, ModelStore.LoadOptions.STRICT, null));
        assertTrue(Files.exists(report.resolve("metrics.json")));
        Sample cracked = data.test().stream().filter(Sample::anomalous).findFirst().orElseThrow();
        float[] saved = Npy.read(report.resolve("maps/" + cracked.defectType() + "/"
                + cracked.image().getFileName() + ".npy")).data();
        try (NDManager manager = Engines.manager()) {
            ModelStore.Loaded loaded = ModelStore.load(model, manager);
            Inferencer inferencer = new Inferencer(loaded.model(), manager, 1);
            float[] official = inferencer.score(List.of(Preprocessing.OFFICIAL.load(cracked.image(), 256))).maps()[0];
            float[] ours = inferencer.score(List.of(Preprocessing.AAND.load(cracked.image(), 256))).maps()[0];
            assertArrayEquals(official, saved, 0f, "same batch size 1: bitwise");
            double other = java.util.stream.IntStream.range(0, saved.length)
                    .mapToDouble(i -> Math.abs(ours[i] - saved[i])).max().orElseThrow();
            assertTrue(other > 1e-3, "this project's preprocessing would change the map by " + other);
        }
    }

    @Test
    void badInputGetsOneClearLine() {
        Path model = dir.resolve("bad");
        assertEquals("error: --threshold must be a finite number (got NaN) (see 'aand import-official --help')",
                error(2, "import-official", "--stage1",
                stage1.toString(), "--stage2", stage2.toString(), "--out", model.toString(), "--threshold", "NaN"));
        Path none = dir.resolve("none.pth");
        assertEquals("error: checkpoint not found: " + none, error(1, "import-official", "--stage1", none.toString(),
                "--stage2", stage2.toString(), "--out", model.toString(), "--threshold", "1"));
        assertEquals("error: " + stage2 + ": no 'encoder_AT' state dict (found [bn, decoder_ss]); expected the"
                + " official AAND train.py's stage-1 checkpoint, {'encoder_AT': state_dict}", error(1,
                "import-official", "--stage1", stage2.toString(), "--stage2", stage2.toString(), "--out",
                model.toString(), "--threshold", "1"));
        String both = error(2, "import-official", "--stage1", stage1.toString(), "--stage2", stage2.toString(),
                "--out", model.toString(), "--threshold", "1", "--normal-dir", dir.toString());
        assertTrue(both.contains("mutually exclusive"), both);
        assertFalse(Files.exists(model), "nothing written on bad input");
    }

    /** Runs a command that must fail with {@code rc} and returns the first line it printed to stderr. */
    private static String error(int rc, String... args) {
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(rc, cl.execute(args), err.toString());
        return err.toString().lines().findFirst().orElse("");
    }
}
