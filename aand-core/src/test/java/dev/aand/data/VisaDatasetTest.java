package dev.aand.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VisaDatasetTest {
    @TempDir
    Path root;

    private void build(String extraRows) throws Exception {
        for (String obj : new String[] {"candle", "pcb1"}) {
            for (int i = 0; i < 3; i++) {
                TestImages.rgb(root.resolve(obj + "/Data/Images/Normal/000" + i + ".JPG"), 4, 4);
            }
            TestImages.rgb(root.resolve(obj + "/Data/Images/Anomaly/0000.JPG"), 4, 4);
            TestImages.rgb(root.resolve(obj + "/Data/Images/Anomaly/0001.JPG"), 4, 4);
            TestImages.gray(root.resolve(obj + "/Data/Masks/Anomaly/0000.png"), 4, 4, (x, y) -> 1);
        }
        StringBuilder csv = new StringBuilder("object,split,label,image,mask\n");
        for (String obj : new String[] {"pcb1", "candle"}) {
            csv.append(obj).append(",train,normal,").append(obj).append("/Data/Images/Normal/0002.JPG,\n");
            csv.append(obj).append(",train,normal,").append(obj).append("/Data/Images/Normal/0000.JPG,\n");
            csv.append(obj).append(",test,normal,").append(obj).append("/Data/Images/Normal/0001.JPG,\n");
            csv.append(obj).append(",test,anomaly,").append(obj).append("/Data/Images/Anomaly/0000.JPG,")
                    .append(obj).append("/Data/Masks/Anomaly/0000.png\n");
            csv.append(obj).append(",test,anomaly,").append(obj).append("/Data/Images/Anomaly/0001.JPG,")
                    .append(obj).append("/Data/Masks/Anomaly/0001.png\n");
        }
        csv.append(extraRows);
        Files.createDirectories(root.resolve("split_csv"));
        Files.writeString(root.resolve("split_csv/1cls.csv"), csv);
    }

    @Test
    void readsOneCategoryFromTheCsv() throws Exception {
        build("");
        AnomalyDataset ds = Datasets.open("visa", DatasetOptions.of(root, "candle"));
        assertEquals("visa", ds.name());
        assertEquals(2, ds.train().size());
        assertEquals(root.resolve("candle/Data/Images/Normal/0000.JPG"), ds.train().get(0).image());
        List<Sample> test = ds.test();
        assertEquals(3, test.size());
        assertEquals(2, test.stream().filter(Sample::anomalous).count());
        assertTrue(test.stream().filter(Sample::anomalous).allMatch(s -> s.defectType().equals("anomaly")));
        Sample withMask = test.stream().filter(s -> s.mask() != null).findFirst().orElseThrow();
        assertEquals(root.resolve("candle/Data/Masks/Anomaly/0000.png"), withMask.mask());
        // 0001's mask is listed but absent: allowed, reported
        assertEquals(1, ds.missingMasks().size());
        assertEquals("0001.JPG", ds.missingMasks().get(0).image().getFileName().toString());
        // VisA masks store 1 for anomalous pixels; they must not binarise to empty
        boolean[] m = MaskLoader.load(withMask.mask(), withMask.image(), 4);
        for (boolean b : m) {
            assertTrue(b);
        }
    }

    @Test
    void unknownCategoryListsAvailableOnes() throws Exception {
        build("");
        DataException e = assertThrows(DataException.class, () -> Datasets.open("visa", DatasetOptions.of(root, "cashew")));
        assertTrue(e.getMessage().contains("candle, pcb1"), e.getMessage());
    }

    @Test
    void badRowsAndMissingFilesAreNamedWithLine() throws Exception {
        build("candle,test,broken,candle/Data/Images/Normal/0001.JPG,\n");
        DataException e = assertThrows(DataException.class, () -> Datasets.open("visa", DatasetOptions.of(root, "candle")));
        assertTrue(e.getMessage().contains("line 12") && e.getMessage().contains("broken"), e.getMessage());

        build("candle,test,normal,candle/Data/Images/Normal/9999.JPG,\n");
        e = assertThrows(DataException.class, () -> Datasets.open("visa", DatasetOptions.of(root, "candle")));
        assertTrue(e.getMessage().contains("9999.JPG") && e.getMessage().contains("1cls.csv"), e.getMessage());
    }

    @Test
    void missingCsvOrColumnIsNamed() throws Exception {
        DataException e = assertThrows(DataException.class, () -> Datasets.open("visa", DatasetOptions.of(root, "candle")));
        assertTrue(e.getMessage().contains("1cls.csv"), e.getMessage());
        Files.createDirectories(root.resolve("split_csv"));
        Files.writeString(root.resolve("split_csv/1cls.csv"), "object,split,image,mask\n");
        e = assertThrows(DataException.class, () -> Datasets.open("visa", DatasetOptions.of(root, "candle")));
        assertTrue(e.getMessage().contains("label"), e.getMessage());
    }

    @Test
    void quotedCsvFields() {
        assertEquals(List.of("a,b", "c\"d", ""), VisaDataset.fields("\"a,b\",\"c\"\"d\","));
    }
}
