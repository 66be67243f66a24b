package dev.aand.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.aand.data.AnomalyDataset;
import dev.aand.data.Datasets;
import dev.aand.data.DatasetOptions;
import dev.aand.data.ImageLoader;
import dev.aand.data.MaskLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's cookie sample ships inside the jar, complete and with its attribution. */
class DemoSampleTest {
    @Test
    void extractsACompleteMvtecLayoutWithAttribution(@TempDir Path dir) throws Exception {
        Path root = DemoCommand.extractSample(dir);
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
}
