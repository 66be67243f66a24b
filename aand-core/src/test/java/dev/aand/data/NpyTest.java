package dev.aand.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.aand.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @Test
    void readsFixtureAndRoundTrips(@TempDir Path dir) throws Exception {
        Npy.Array a = Fixtures.npy("03_interpolate/a_input_2x3x5x7.npy");
        assertArrayEquals(new long[] {2, 3, 5, 7}, a.shape());
        assertEquals(210, a.size());
        Path f = dir.resolve("x.npy");
        Npy.writeFloat32(f, a.shape(), a.data());
        Npy.Array b = Npy.read(f);
        assertArrayEquals(a.shape(), b.shape());
        assertArrayEquals(a.data(), b.data());
        assertEquals(0, (Files.size(f) - 210 * 4) % 64);
    }

    @Test
    void readsUint8Labels() {
        Npy.Array l = Fixtures.npy("05_metrics/labels_8conn_6x64x64_uint8.npy");
        assertArrayEquals(new long[] {6, 64, 64}, l.shape());
        float max = 0;
        for (float v : l.data()) max = Math.max(max, v);
        assertEquals(3, max);
    }

    @Test
    void rejectsNonNpy(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.npy");
        Files.writeString(f, "hello");
        var e = assertThrows(java.io.IOException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("not a .npy"));
    }

    @Test
    void aShapeLargerThanTheFileIsRefusedBeforeAllocating(@TempDir Path dir) throws Exception {
        Path ok = dir.resolve("ok.npy");
        Npy.writeFloat32(ok, new long[] {2, 2}, new float[4]);
        byte[] b = Files.readAllBytes(ok);
        // Same header length, a shape of 99x99 floats over 16 bytes of data.
        String text = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).replace("(2, 2), ", "(99,99),");
        Path big = Files.write(dir.resolve("big.npy"), text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        var e = assertThrows(java.io.IOException.class, () -> Npy.read(big));
        assertTrue(e.getMessage().contains("big.npy") && e.getMessage().contains("more data than the file"), e.getMessage());
    }
}
