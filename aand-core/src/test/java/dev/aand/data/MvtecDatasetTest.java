package dev.aand.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.aand.testing.TinyCookie;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MvtecDatasetTest {
    @TempDir
    Path root;

    /** ROOT/widget with 6 train images, 2 good + 2 scratch (one without mask) + 1 dent test. */
    private Path build() throws Exception {
        Path cat = root.resolve("widget");
        for (int i = 5; i >= 0; i--) { // written in reverse: listing must sort
            TestImages.rgb(cat.resolve("train/good/" + String.format("%03d.png", i)), 4, 4);
        }
        Files.writeString(cat.resolve("train/good/readme.txt"), "not an image");
        TestImages.rgb(cat.resolve("test/good/000.png"), 4, 4);
        TestImages.rgb(cat.resolve("test/good/001.PNG"), 4, 4);
        TestImages.rgb(cat.resolve("test/scratch/000.png"), 4, 4);
        TestImages.rgb(cat.resolve("test/scratch/001.png"), 4, 4);
        TestImages.rgb(cat.resolve("test/dent/000.jpg"), 4, 4);
        TestImages.gray(cat.resolve("ground_truth/scratch/000_mask.png"), 4, 4, (x, y) -> 255);
        TestImages.gray(cat.resolve("ground_truth/dent/000_mask.png"), 4, 4, (x, y) -> 255);
        return cat;
    }

    @Test
    void listsSplitsInNameOrderWithMasks() throws Exception {
        Path cat = build();
        AnomalyDataset ds = Datasets.open("mvtec", DatasetOptions.of(root, "widget"));
        assertEquals("mvtec", ds.name());
        assertEquals("widget", ds.category());
        assertEquals(6, ds.train().size());
        assertEquals("000.png", ds.train().get(0).image().getFileName().toString());
        assertEquals("005.png", ds.train().get(5).image().getFileName().toString());
        assertTrue(ds.validation().isEmpty());
        List<Sample> test = ds.test();
        assertEquals(5, test.size());
        // defect folders by name: dent, good, scratch
        assertEquals(List.of("dent", "good", "good", "scratch", "scratch"),
                test.stream().map(Sample::defectType).toList());
        assertEquals(cat.resolve("ground_truth/dent/000_mask.png"), test.get(0).mask());
        assertFalse(test.get(1).anomalous());
        assertNull(test.get(1).mask());
        assertTrue(test.get(4).anomalous());
        assertNull(test.get(4).mask());
        assertEquals(List.of(test.get(4)), ds.missingMasks());
        assertSame(ds.test(), ds.split(Split.TEST));
    }

    @Test
    void validationHoldOutIsSeededDisjointAndDeterministic() throws Exception {
        build();
        DatasetOptions o = DatasetOptions.of(root, "widget").withValidation(0.34, 42);
        AnomalyDataset a = Datasets.open("mvtec", o);
        AnomalyDataset b = Datasets.open("mvtec", o);
        assertEquals(2, a.validation().size());
        assertEquals(4, a.train().size());
        assertEquals(a.validation(), b.validation());
        assertEquals(a.train(), b.train());
        Set<Path> all = new HashSet<>();
        a.train().forEach(s -> all.add(s.image()));
        a.validation().forEach(s -> all.add(s.image()));
        assertEquals(6, all.size());
        // some other seed picks a different pair
        boolean differs = false;
        for (long seed = 0; seed < 20 && !differs; seed++) {
            differs = !Datasets.open("mvtec", o.withValidation(0.34, seed)).validation()
                    .equals(a.validation());
        }
        assertTrue(differs);
    }

    @Test
    void validationFractionThatLeavesNothingIsRejected() throws Exception {
        build();
        DataException e = assertThrows(DataException.class,
                () -> Datasets.open("mvtec", DatasetOptions.of(root, "widget").withValidation(0.95, 1)));
        assertTrue(e.getMessage().contains("train"), e.getMessage());
        assertThrows(DataException.class, () -> DatasetOptions.of(root, "widget").withValidation(1.0, 1));
    }

    @Test
    void missingRootCategoryAndSplitsAreNamed() throws Exception {
        Path cat = build();
        Path nowhere = root.resolve("nowhere");
        DataException e = assertThrows(DataException.class,
                () -> Datasets.open("mvtec", DatasetOptions.of(nowhere, "widget")));
        assertTrue(e.getMessage().contains(nowhere.toString()), e.getMessage());

        e = assertThrows(DataException.class, () -> Datasets.open("mvtec", DatasetOptions.of(root, "gadget")));
        assertTrue(e.getMessage().contains("gadget") && e.getMessage().contains("widget"), e.getMessage());

        e = assertThrows(DataException.class, () -> Datasets.open("mvtec", DatasetOptions.of(root, null)));
        assertTrue(e.getMessage().contains("widget"), e.getMessage());

        for (Path p : ImageFiles.list(cat.resolve("train/good"))) {
            Files.delete(p);
        }
        e = assertThrows(DataException.class, () -> Datasets.open("mvtec", DatasetOptions.of(root, "widget")));
        assertTrue(e.getMessage().contains(cat.resolve("train/good").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void missingOrEmptyTestSplitIsNamed() throws Exception {
        Path cat = root.resolve("w");
        TestImages.rgb(cat.resolve("train/good/0.png"), 4, 4);
        DataException e = assertThrows(DataException.class, () -> Datasets.open("mvtec", DatasetOptions.of(root, "w")));
        assertTrue(e.getMessage().contains(cat.resolve("test").toString()), e.getMessage());
        Files.createDirectories(cat.resolve("test/good"));
        e = assertThrows(DataException.class, () -> Datasets.open("mvtec", DatasetOptions.of(root, "w")));
        assertTrue(e.getMessage().contains("empty") && e.getMessage().contains(cat.resolve("test").toString()),
                e.getMessage());
    }

    @Test
    void unknownKindIsRejected() {
        DataException e = assertThrows(DataException.class, () -> Datasets.open("coco", DatasetOptions.of(root, "x")));
        assertTrue(e.getMessage().contains("coco") && e.getMessage().contains("mvtec"));
    }

    @Test
    void realCookieSetOpens() {
        AnomalyDataset ds = Datasets.open("MVTec", DatasetOptions.of(TinyCookie.full(), "cookie"));
        assertEquals(31, ds.train().size());
        assertEquals(14, ds.test().stream().filter(s -> !s.anomalous()).count());
        List<Sample> cracked = ds.test().stream().filter(Sample::anomalous).toList();
        assertEquals(32, cracked.size());
        assertTrue(cracked.stream().allMatch(s -> s.defectType().equals("cracked") && s.mask() != null));
        assertTrue(ds.missingMasks().isEmpty());
        Sample s = cracked.get(0);
        assertEquals(ImageFiles.stem(s.image()) + "_mask.png", s.mask().getFileName().toString());
    }
}
