package dev.aand.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs never destroy what they did not create, appear whole, and have one writer at a time. */
class OutputDirTest {
    @TempDir
    Path dir;

    private static void write(OutputDir out, String name, String text) throws IOException {
        Path f = out.staging().resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    private List<String> siblings() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aNewOutputAppearsOnlyAtCommitWithItsMarker() throws IOException {
        Path target = dir.resolve("report");
        try (OutputDir out = OutputDir.open(target, OutputKind.REPORT, false)) {
            write(out, "metrics.json", "{}");
            write(out, "maps/a/x.npy", "m");
            assertFalse(Files.exists(target), "nothing at the target before the commit");
            out.commit();
        }
        assertEquals("{}", Files.readString(target.resolve("metrics.json")));
        assertEquals("kind=report\n", Files.readString(target.resolve(OutputDir.MARKER)));
        assertEquals(List.of("report"), siblings(), "no staging folder or lock file left");
    }

    @Test
    void aCommitFlushesEveryStagedFileAndFolderBeforeTheSwapAndTheParentAfter() throws Exception {
        Path target = dir.resolve("report").toAbsolutePath();
        List<String> steps = new java.util.ArrayList<>();
        Path staging;
        try (OutputDir out = OutputDir.open(target, OutputKind.REPORT, false)) {
            write(out, "metrics.json", "{}");
            write(out, "maps/a/x.npy", "m");
            staging = out.staging();
            try (AutoCloseable r = Disk.recordInto(steps::add)) {
                out.commit();
            }
        }
        List<String> staged = Stream.of("metrics.json", "maps/a/x.npy", "maps/a", "maps", OutputDir.MARKER, "")
                .map(n -> "flush " + (n.isEmpty() ? staging : staging.resolve(n))).sorted().toList();
        int rename = steps.indexOf("rename " + staging + " -> " + target);
        assertTrue(rename > 0, steps.toString());
        assertEquals(staged, steps.subList(0, rename).stream().sorted().toList(),
                "every staged file and folder, and only those, is flushed before the swap");
        assertEquals("flush " + staging, steps.get(rename - 1), "the staging folder last, after its entries");
        assertEquals(List.of("flush " + dir.toAbsolutePath()), steps.subList(rename + 1, steps.size()),
                "the parent folder after the rename, which makes the rename durable");
    }

    @Test
    void foldersAndFilesGetTheUmasksPermissionsNotPrivateOnes() throws IOException {
        // The umask's modes, read from a folder and file made the ordinary way beside the output.
        Path refDir = Files.createDirectory(dir.resolve("ref"));
        Path refFile = Files.writeString(dir.resolve("ref.txt"), "x");
        Path target = dir.resolve("model");
        try (OutputDir out = OutputDir.open(target, OutputKind.MODEL, false)) {
            write(out, "config.json", "{}");
            out.commit();
        }
        Set<PosixFilePermission> dirMode = Files.getPosixFilePermissions(refDir);
        assertEquals(dirMode, Files.getPosixFilePermissions(target));
        assertEquals(Files.getPosixFilePermissions(refFile), Files.getPosixFilePermissions(target.resolve("config.json")));
    }

    @Test
    void aFolderAandDidNotWriteIsRefusedAndLeftAlone() throws IOException {
        Path dataset = Files.createDirectories(dir.resolve("cookie/train/good"));
        Files.writeString(dataset.resolve("000.png"), "precious");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OutputDir.open(dir.resolve("cookie"), OutputKind.MODEL, true));
        assertTrue(e.getMessage().contains("not written by aand") && e.getMessage().contains("cookie"), e.getMessage());
        assertEquals("precious", Files.readString(dataset.resolve("000.png")));
        Path file = Files.writeString(dir.resolve("notes.txt"), "mine");
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> OutputDir.open(file, OutputKind.REPORT, true));
        assertTrue(f.getMessage().contains("not a folder"), f.getMessage());
        assertEquals("mine", Files.readString(file));
        assertEquals(List.of("cookie", "notes.txt"), siblings(), "a refusal leaves no lock file behind");
    }

    @Test
    void anEmptyFolderIsAccepted() throws IOException {
        Path target = Files.createDirectory(dir.resolve("empty"));
        try (OutputDir out = OutputDir.open(target, OutputKind.PREDICTIONS, false)) {
            write(out, "predictions.csv", "path\n");
            out.commit();
        }
        assertTrue(Files.isRegularFile(target.resolve("predictions.csv")));
    }

    /** An earlier report at {@code dir/report} holding one file. */
    private Path earlierReport(String file, String text) throws IOException {
        Path target = dir.resolve("report");
        try (OutputDir out = OutputDir.open(target, OutputKind.REPORT, false)) {
            write(out, file, text);
            out.commit();
        }
        return target;
    }

    @Test
    void replacingAnEarlierOutputNeedsForceAndKeepsNothingOld() throws IOException {
        Path target = earlierReport("old.txt", "1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OutputDir.open(target, OutputKind.REPORT, false));
        assertTrue(e.getMessage().contains("earlier run") && e.getMessage().contains("--force"), e.getMessage());
        try (OutputDir out = OutputDir.open(target, OutputKind.REPORT, true)) {
            write(out, "new.txt", "2");
            out.commit();
        }
        assertFalse(Files.exists(target.resolve("old.txt")));
        assertEquals("2", Files.readString(target.resolve("new.txt")));
        assertEquals(List.of("report"), siblings());
    }

    @Test
    void anOutputOfAnotherKindIsNeverReplaced() throws IOException {
        Path target = dir.resolve("out");
        try (OutputDir out = OutputDir.open(target, OutputKind.MODEL, false)) {
            out.commit();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OutputDir.open(target, OutputKind.PREDICTIONS, true));
        assertTrue(e.getMessage().contains("holds an aand model, not a predictions"), e.getMessage());
    }

    @Test
    void aModelFolderFromBeforeMarkersIsRecognised() throws IOException {
        Path target = Files.createDirectory(dir.resolve("legacy"));
        for (String f : List.of("config.json", "model.json", "weights.safetensors")) {
            Files.writeString(target.resolve(f), "x");
        }
        assertThrows(IllegalArgumentException.class, () -> OutputDir.open(target, OutputKind.REPORT, true));
        try (OutputDir out = OutputDir.open(target, OutputKind.MODEL, true)) {
            out.commit();
        }
        assertTrue(Files.exists(target.resolve(OutputDir.MARKER)));
    }

    @Test
    void anAbortedWriteLeavesTheEarlierOutputIntact() throws IOException {
        Path target = earlierReport("metrics.json", "old");
        try (OutputDir out = OutputDir.open(target, OutputKind.REPORT, true)) {
            write(out, "metrics.json", "new, half written");
            // a crash or full disk here: no commit
        }
        assertEquals("old", Files.readString(target.resolve("metrics.json")));
        assertEquals(List.of("report"), siblings(), "the staging folder is removed");
    }

    @Test
    void aSwapCutBetweenItsRenamesIsRolledBackAndTemporariesRemoved() throws IOException {
        // What a kill between the two renames of a commit leaves: the old output moved aside and
        // the new one still staged; plus a staging folder of the pre-marker model writer.
        Path old = Files.createDirectories(dir.resolve(".report.aand-old-999999-1"));
        Files.writeString(old.resolve(OutputDir.MARKER), "kind=report\n");
        Files.writeString(old.resolve("metrics.json"), "old");
        Files.createDirectories(dir.resolve(".report.aand-tmp-999999-2"));
        Path legacy = Files.createDirectories(dir.resolve(".report.tmp-123456789"));
        Files.writeString(legacy.resolve("weights.safetensors"), "100 MB once");
        Path notOurs = Files.createDirectories(dir.resolve(".report.tmp-42"));
        Files.writeString(notOurs.resolve("notes.txt"), "someone else's");
        try (OutputDir out = OutputDir.open(dir.resolve("report"), OutputKind.REPORT, true)) {
            assertEquals("old", Files.readString(dir.resolve("report/metrics.json")), "earlier output restored");
        }
        assertEquals(List.of(".report.tmp-42", "report"), siblings());
    }

    @Test
    void theHoldingThreadMayNestButAnotherThreadIsRefused() throws Exception {
        Path target = dir.resolve("model");
        try (OutputDir outer = OutputDir.open(target, OutputKind.MODEL, false)) {
            try (OutputDir inner = OutputDir.open(target, OutputKind.MODEL, true)) {
                write(inner, "config.json", "{}");
                inner.commit();
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                try {
                    CompletableFuture.runAsync(() -> OutputDir.open(target, OutputKind.MODEL, true).close()).join();
                } catch (java.util.concurrent.CompletionException c) {
                    throw c.getCause();
                }
            });
            assertTrue(e.getMessage().contains("being written by another thread"), e.getMessage());
        }
        assertEquals(List.of("model"), siblings());
    }

    @Test
    void aSecondProcessIsRefusedAndAKilledWritersLeftoversAreRemoved() throws Exception {
        Path target = dir.resolve("report");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldOutput.class.getName(), target.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            assertNotNull(line, "the holder started");
            assertTrue(line.startsWith("holding "), line);
            Path staged = Path.of(line.substring("holding ".length()));
            assertTrue(Files.exists(staged.resolve("big.bin")));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> OutputDir.open(target, OutputKind.REPORT, true));
            assertTrue(e.getMessage().contains("being written by another process (pid " + p.pid() + ")"),
                    e.getMessage());
            p.destroyForcibly(); // SIGKILL: no cleanup runs in the holder
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertTrue(Files.exists(staged), "the killed writer left its staging folder");
            try (OutputDir out = OutputDir.open(target, OutputKind.REPORT, true)) {
                assertFalse(Files.exists(staged), "the next writer removes it");
            }
            assertEquals(List.of(), siblings(), "nothing was committed, nothing is left");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void concurrentWritersOfOneTargetNeverBothProceed() throws Exception {
        Path target = dir.resolve("race");
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Boolean>> runs = Stream.of(1, 2, 3, 4).map(i -> CompletableFuture.supplyAsync(() -> {
            try {
                start.await();
                try (OutputDir out = OutputDir.open(target, OutputKind.REPORT, true)) {
                    write(out, "run.txt", Integer.toString(i));
                    Thread.sleep(200);
                    out.commit();
                    return true;
                }
            } catch (IllegalStateException busy) {
                return false;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        })).toList();
        start.countDown();
        long won = runs.stream().filter(CompletableFuture::join).count();
        assertTrue(won >= 1, "at least one writer proceeds");
        assertTrue(Files.readString(target.resolve("run.txt")).matches("[1-4]"));
        assertEquals(List.of("race"), siblings());
    }
}
