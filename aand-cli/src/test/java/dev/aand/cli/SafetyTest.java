package dev.aand.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.aand.io.Sha256;
import dev.aand.model.ModelStore;
import dev.aand.testing.HostileFiles;
import dev.aand.testing.TinyCookie;
import dev.aand.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line never destroys what it did not write, keeps going past one bad image, refuses
 * a changed teacher, and keeps its log. Uses an untrained but complete model: no training here.
 */
class SafetyTest {
    @TempDir
    static Path shared;
    static Path data;
    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        data = TinyCookie.create(shared.resolve("data"), 3, 1, 2);
        model = TinyModels.withExternalTeacher(shared.resolve("t"));
    }

    /** Exit code, picocli's error stream, and what the command printed on stdout and stderr. */
    record Result(int rc, String err, String console) {}

    static Result run(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream errStream = System.err;
        PrintStream capture = new PrintStream(console, true);
        System.setOut(capture);
        System.setErr(capture);
        try {
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            return new Result(cl.execute(args), err.toString(), console.toString());
        } finally {
            System.setOut(out);
            System.setErr(errStream);
        }
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Path testImage(int i) throws IOException {
        try (Stream<Path> s = Files.list(data.resolve("cookie/test/cracked"))) {
            return s.sorted().toList().get(i);
        }
    }

    @Test
    void predictScoresTheOtherImagesWhenOneDeclaresAHugePicture() throws IOException {
        Path huge = HostileFiles.png(dir.resolve("huge.png"), 40000, 40000);
        Path out = dir.resolve("pred");
        Result r = run("predict", "--model", model.toString(), "--out", out.toString(), testImage(0).toString(),
                huge.toString(), testImage(1).toString());
        assertEquals(2, r.rc(), "a failed image is exit code 2, not the end of the run: " + r);
        List<String> rows = Files.readAllLines(out.resolve("predictions.csv"));
        assertEquals(4, rows.size(), "a header and one row per input, in input order: " + rows);
        assertTrue(rows.get(1).contains("0000_") && rows.get(3).contains("0002_"), rows.toString());
        assertTrue(rows.get(2).startsWith(huge.toString()) && rows.get(2).contains("40000x40000"), rows.get(2));
        assertEquals(4, names(out).stream().filter(n -> n.endsWith(".png")).count());
    }

    @Test
    void aSecondRunIntoTheSameFolderNeedsForceAndThenLeavesNothingOld() throws IOException {
        Path out = dir.resolve("pred");
        assertEquals(0, run("predict", "--model", model.toString(), "--out", out.toString(), testImage(0).toString(),
                testImage(1).toString()).rc());
        List<String> first = names(out);
        Result again = run("predict", "--model", model.toString(), "--out", out.toString(), testImage(1).toString());
        assertEquals(1, again.rc());
        assertTrue(again.err().contains("holds a predictions from an earlier run; replacing it needs --force"),
                again.err());
        assertEquals(first, names(out), "the refused run changed nothing");
        assertEquals(0, run("predict", "--model", model.toString(), "--out", out.toString(), "--force",
                testImage(1).toString()).rc());
        assertEquals(List.of(".aand-output", "0000_001_mask.png", "0000_001_overlay.png", "predictions.csv"),
                names(out), "only the new run's files");
    }

    @Test
    void testAndPredictRefuseFoldersTheyDidNotWrite() throws IOException {
        List<String> before = names(data.resolve("cookie/test/cracked"));
        Result t = run("test", "--model", model.toString(), "--dataset", "mvtec", "--root", data.toString(),
                "--category", "cookie", "--out", data.resolve("cookie/test/cracked").toString(), "--force");
        assertEquals(1, t.rc());
        assertTrue(t.err().contains("not written by aand"), t.err());
        Result p = run("predict", "--model", model.toString(), "--out", data.toString(), testImage(0).toString());
        assertEquals(1, p.rc());
        assertEquals(before, names(data.resolve("cookie/test/cracked")), "the dataset is untouched");
        Result m = run("predict", "--model", model.toString(), "--out", model.toString(), "--force",
                testImage(0).toString());
        assertTrue(m.err().contains("holds an aand model, not a predictions"), m.err());
    }

    @Test
    void savedMapsKeepTheImageExtensionSoStemsNeverCollide() throws IOException {
        Path root = TinyCookie.create(dir.resolve("d"), 3, 1, 1);
        Path cracked = root.resolve("cookie/test/cracked");
        Path jpg = names(cracked).stream().map(cracked::resolve).findFirst().orElseThrow();
        String stem = jpg.getFileName().toString().replace(".jpg", "");
        ImageIO.write(ImageIO.read(jpg.toFile()), "png", cracked.resolve(stem + ".png").toFile());
        Path out = dir.resolve("report");
        Result r = run("test", "--model", model.toString(), "--dataset", "mvtec", "--root", root.toString(),
                "--category", "cookie", "--out", out.toString(), "--save-maps");
        assertEquals(0, r.rc(), r.toString());
        assertEquals(List.of(stem + ".jpg.npy", stem + ".png.npy"), names(out.resolve("maps/cracked")));
    }

    @Test
    void aChangedTeacherStopsPredictUnlessAllowed() throws IOException {
        Path own = TinyModels.withExternalTeacher(dir.resolve("t"));
        TinyModels.changeTeacher(dir.resolve("t/teacher.pt"));
        Result refused = run("predict", "--model", own.toString(), "--out", dir.resolve("p1").toString(),
                testImage(0).toString());
        assertEquals(1, refused.rc());
        assertTrue(refused.err().contains("changed since training") && refused.err().contains("--allow-changed-teacher"),
                refused.err());
        assertFalse(Files.exists(dir.resolve("p1")), "nothing written for a refused run");
        Result allowed = run("predict", "--model", own.toString(), "--out", dir.resolve("p2").toString(),
                "--allow-changed-teacher", testImage(0).toString());
        assertEquals(0, allowed.rc(), allowed.toString());
        assertTrue(allowed.console().contains("warning: teacher weights"), allowed.console());
    }

    @Test
    void trainRefusesAFolderItDidNotWriteAndAnEarlierModelWithoutForce() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("notes.txt"), "mine");
        Result r = run("train", "--dataset", "mvtec", "--root", data.toString(), "--category", "cookie",
                "--out", home.toString());
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("not written by aand"), r.err());
        assertEquals(List.of("notes.txt"), names(home));
        assertEquals(List.of("home"), names(dir), "not even a log file beside it");
        String digest = Sha256.of(model.resolve(ModelStore.WEIGHTS));
        Result m = run("train", "--dataset", "mvtec", "--root", data.toString(), "--category", "cookie",
                "--out", model.toString());
        assertEquals(1, m.rc());
        assertTrue(m.err().contains("replacing it needs --force"), m.err());
        assertEquals(digest, Sha256.of(model.resolve(ModelStore.WEIGHTS)));
    }

    @Test
    void theTrainingLogKeepsEveryRunAndItsErrors() throws IOException {
        Path out = dir.resolve("m");
        for (int i = 0; i < 2; i++) {
            Result r = run("train", "--dataset", "mvtec", "--root", data.toString(), "--category", "nope",
                    "--out", out.toString());
            assertEquals(1, r.rc());
            assertEquals(1, r.err().strip().lines().count(), "the console gets one line: " + r.err());
        }
        String log = Files.readString(dir.resolve("m.log"));
        assertEquals(2, log.lines().filter(l -> l.contains("==== run started")).count(), log);
        assertEquals(2, log.lines().filter(l -> l.contains("run failed: category 'nope' not found")).count(), log);
        assertTrue(log.contains("dev.aand.data.DataException") && log.contains("\tat dev.aand."),
                "the cause and its stack trace are in the log");
        assertEquals(List.of("m.log"), names(dir), "a failed run leaves no model and no staging folder");
    }
}
