package dev.aand.backbone.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WeightFilesTest {

    @TempDir
    Path tmp;

    @Test
    void detectsFormatByContentNotExtension() throws IOException {
        Path pt = tmp.resolve("weights.bin");
        Files.copy(TinyCheckpointTruth.PT, pt);
        Path st = tmp.resolve("weights.pt");
        Files.copy(TinyCheckpointTruth.SAFETENSORS, st);
        assertEquals(WeightFiles.Format.TORCH_ZIP, WeightFiles.detect(pt));
        assertEquals(WeightFiles.Format.SAFETENSORS, WeightFiles.detect(st));
        TinyCheckpointTruth truth = new TinyCheckpointTruth();
        truth.assertBitExact(WeightFiles.read(pt));
        truth.assertBitExact(WeightFiles.read(st));
    }

    @Test
    void textFile() throws IOException {
        Path f = tmp.resolve("notes.pt");
        Files.writeString(f, "these are not weights\nline two\n");
        assertFails(f, "text file");
    }

    /** The first half of each real fixture file, the torch zip and its safetensors twin. */
    @ParameterizedTest
    @ValueSource(strings = {"pt", "safetensors"})
    void truncatedFile(String kind) throws IOException {
        byte[] all = Files.readAllBytes(kind.equals("pt") ? TinyCheckpointTruth.PT : TinyCheckpointTruth.SAFETENSORS);
        Path f = tmp.resolve("half." + kind);
        Files.write(f, Arrays.copyOf(all, all.length / 2));
        assertFails(f, "truncated");
    }

    @Test
    void randomBytes() throws IOException {
        byte[] noise = new byte[4096];
        new SplittableRandom(20240601L).nextBytes(noise);
        noise[0] = 0x01; // keep the probe deterministic in meaning: no magic collides by chance
        Path f = tmp.resolve("noise.pt");
        Files.write(f, noise);
        assertFails(f, "unrecognised format");
    }

    @Test
    void zipWithoutDataPkl() throws IOException {
        Path f = tmp.resolve("other.zip");
        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry("model/readme.txt"));
            z.write("hello".getBytes());
            z.closeEntry();
        }
        assertFails(f, "data.pkl");
    }

    @Test
    void legacyTorchFormat() throws IOException {
        byte[] legacy = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9,
            0x20, 0x6a, (byte) 0xa8, 0x50, 0x19, 0x2e};
        Path f = tmp.resolve("old.pth");
        Files.write(f, legacy);
        WeightFormatException e = assertFails(f, "pre-1.6 torch format");
        assertTrue(e.getMessage().contains("_use_new_zipfile_serialization=True"), e.getMessage());
    }

    @Test
    void emptyAndMissingFiles() throws IOException {
        Path empty = tmp.resolve("empty.pt");
        Files.write(empty, new byte[0]);
        assertFails(empty, "empty");
        assertFails(tmp.resolve("absent.pt"), "does not exist");
    }

    @Test
    void gitLfsPointer() throws IOException {
        Path f = tmp.resolve("lfs.pt");
        Files.writeString(f, "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n");
        assertFails(f, "git lfs pull");
    }

    private static WeightFormatException assertFails(Path f, String expected) {
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> WeightFiles.read(f));
        assertTrue(e.getMessage().contains(f.toString()), "message names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), "message says '" + expected + "': " + e.getMessage());
        return e;
    }
}
