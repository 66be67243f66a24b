package dev.aand.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cookie sample ships inside the library, complete and with its attribution. */
class CookieSampleTest {
    @Test
    void extractsACompleteMvtecLayoutWithAttribution(@TempDir Path dir) throws Exception {
        Path root = CookieSample.extract(dir);
        AnomalyDataset d = Datasets.open("mvtec", DatasetOptions.of(root, "cookie"));
        assertEquals(31, d.train().size());
        assertEquals(46, d.test().size());
        assertEquals(32, d.test().stream().filter(s -> s.anomalous()).count());
        assertTrue(d.missingMasks().isEmpty());
        assertTrue(Files.readString(root.resolve("cookie/ATTRIBUTION.txt")).contains("CC BY-SA 4.0"));
        assertTrue(Files.size(root.resolve("cookie/LICENSE")) > 1000);
        var s = d.test().stream().filter(x -> x.anomalous()).findFirst().orElseThrow();
        int[] wh = ImageLoader.dimensions(s.image());
        assertArrayEquals(new int[] {240, 320}, wh);
        boolean[] mask = MaskLoader.load(s.mask(), s.image(), 64);
        int on = 0;
        for (boolean b : mask) on += b ? 1 : 0;
        assertTrue(on > 0, "the downsized mask still marks the crack");
    }

    @Test
    void extractingAgainReusesTheSampleButNeverReplacesAnotherFile(@TempDir Path dir) throws Exception {
        Path root = CookieSample.extract(dir);
        assertEquals(root, CookieSample.extract(dir), "a second extraction finds its own files");
        Path license = root.resolve("cookie/LICENSE");
        Files.writeString(license, "the user's own file");
        var e = assertThrows(java.io.IOException.class, () -> CookieSample.extract(dir));
        assertTrue(e.getMessage().contains("refusing to overwrite"), e.getMessage());
        assertEquals("the user's own file", Files.readString(license));
    }
}
