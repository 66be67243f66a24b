package dev.aand.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderDatasetTest {
    @TempDir
    Path root;

    @Test
    void matchesMasksByStemInBothNamingStyles() {
        for (String n : new String[] {"b.png", "a.jpg", "c.bmp"}) {
            TestImages.rgb(root.resolve("ok/" + n), 4, 4);
        }
        TestImages.rgb(root.resolve("bad/x1.png"), 4, 4);
        TestImages.rgb(root.resolve("bad/x2.jpg"), 4, 4);
        TestImages.rgb(root.resolve("bad/x3.png"), 4, 4);
        TestImages.gray(root.resolve("masks/x1.png"), 4, 4, (x, y) -> 255);
        TestImages.gray(root.resolve("masks/x2_mask.png"), 4, 4, (x, y) -> 255);
        TestImages.rgb(root.resolve("oktest/t.png"), 4, 4);

        DatasetOptions o = new DatasetOptions(root, "parts", 0, 0, Path.of("ok"), Path.of("bad"),
                Path.of("masks"), Path.of("oktest"));
        AnomalyDataset ds = Datasets.open("folder", o);
        assertEquals("folder", ds.name());
        assertEquals("parts", ds.category());
        assertEquals(List.of("a.jpg", "b.png", "c.bmp"),
                ds.train().stream().map(s -> s.image().getFileName().toString()).toList());
        List<Sample> test = ds.test();
        assertEquals(4, test.size());
        assertFalse(test.get(0).anomalous());
        assertEquals(root.resolve("masks/x1.png"), test.get(1).mask());
        assertEquals(root.resolve("masks/x2_mask.png"), test.get(2).mask());
        assertNull(test.get(3).mask());
        assertEquals(List.of(test.get(3)), ds.missingMasks());
    }

    @Test
    void worksWithoutMasksOrNormalTestAndHoldsOutValidation() {
        for (int i = 0; i < 10; i++) {
            TestImages.rgb(root.resolve("ok/" + i + ".png"), 4, 4);
        }
        TestImages.rgb(root.resolve("bad/x.png"), 4, 4);
        DatasetOptions o = DatasetOptions.folder(root.resolve("ok"), root.resolve("bad"), null, null)
                .withValidation(0.2, 7);
        AnomalyDataset ds = Datasets.open("folder", o);
        assertEquals("ok", ds.category());
        assertEquals(8, ds.train().size());
        assertEquals(2, ds.validation().size());
        assertEquals(1, ds.test().size());
        assertEquals(1, ds.missingMasks().size());
    }

    @Test
    void missingOrEmptyFoldersAreNamed() {
        TestImages.rgb(root.resolve("ok/0.png"), 4, 4);
        Path bad = root.resolve("bad");
        DataException e = assertThrows(DataException.class,
                () -> Datasets.open("folder", DatasetOptions.folder(root.resolve("ok"), bad, null, null)));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());

        TestImages.rgb(bad.resolve("0.png"), 4, 4);
        Path masks = root.resolve("masks");
        e = assertThrows(DataException.class,
                () -> Datasets.open("folder", DatasetOptions.folder(root.resolve("ok"), bad, masks, null)));
        assertTrue(e.getMessage().contains(masks.toString()), e.getMessage());

        Path empty = root.resolve("empty");
        empty.toFile().mkdirs();
        e = assertThrows(DataException.class,
                () -> Datasets.open("folder", DatasetOptions.folder(empty, bad, null, null)));
        assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("empty"), e.getMessage());

        e = assertThrows(DataException.class,
                () -> Datasets.open("folder", DatasetOptions.folder(null, bad, null, null)));
        assertTrue(e.getMessage().contains("normal"), e.getMessage());
    }
}
