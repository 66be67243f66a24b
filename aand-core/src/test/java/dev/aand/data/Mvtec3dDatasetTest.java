package dev.aand.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mvtec3dDatasetTest {
    @TempDir
    Path root;

    private Path build(boolean withValidation) {
        Path cat = root.resolve("bagel");
        for (int i = 0; i < 4; i++) {
            TestImages.rgb(cat.resolve("train/good/rgb/00" + i + ".png"), 4, 4);
        }
        if (withValidation) {
            TestImages.rgb(cat.resolve("validation/good/rgb/000.png"), 4, 4);
        }
        TestImages.rgb(cat.resolve("test/good/rgb/000.png"), 4, 4);
        TestImages.gray(cat.resolve("test/good/gt/000.png"), 4, 4, (x, y) -> 0);
        TestImages.rgb(cat.resolve("test/crack/rgb/000.png"), 4, 4);
        TestImages.rgb(cat.resolve("test/crack/rgb/001.png"), 4, 4);
        TestImages.gray(cat.resolve("test/crack/gt/000.png"), 4, 4, (x, y) -> 255);
        return cat;
    }

    @Test
    void usesOwnValidationSplitAndGtMasks() {
        Path cat = build(true);
        AnomalyDataset ds = Datasets.open("mvtec3d", DatasetOptions.of(root, "bagel").withValidation(0.5, 3));
        assertEquals("mvtec3d", ds.name());
        assertEquals(4, ds.train().size(), "own validation split: no hold-out from train");
        assertEquals(1, ds.validation().size());
        assertEquals(List.of("crack", "crack", "good"), ds.test().stream().map(Sample::defectType).toList());
        assertEquals(cat.resolve("test/crack/gt/000.png"), ds.test().get(0).mask());
        assertNull(ds.test().get(1).mask());
        assertEquals(1, ds.missingMasks().size());
        assertNull(ds.test().get(2).mask());
    }

    @Test
    void fallsBackToHoldOutWithoutValidationFolder() {
        build(false);
        AnomalyDataset ds = Datasets.open("mvtec3d", DatasetOptions.of(root, "bagel").withValidation(0.5, 3));
        assertEquals(2, ds.train().size());
        assertEquals(2, ds.validation().size());
    }

    @Test
    void errorsNameTheFolder() throws Exception {
        Path cat = build(true);
        Path rgb = cat.resolve("validation/good/rgb");
        Files.delete(rgb.resolve("000.png"));
        DataException e = assertThrows(DataException.class, () -> Datasets.open("mvtec3d", DatasetOptions.of(root, "bagel")));
        assertTrue(e.getMessage().contains(rgb.toString()), e.getMessage());

        Files.delete(rgb);
        e = assertThrows(DataException.class, () -> Datasets.open("mvtec3d", DatasetOptions.of(root, "bagel")));
        assertTrue(e.getMessage().contains(rgb.toString()), e.getMessage());

        e = assertThrows(DataException.class, () -> Datasets.open("mvtec3d", DatasetOptions.of(root.resolve("x"), "bagel")));
        assertTrue(e.getMessage().contains(root.resolve("x").toString()), e.getMessage());
    }
}
