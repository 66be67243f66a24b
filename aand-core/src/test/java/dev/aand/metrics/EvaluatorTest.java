package dev.aand.metrics;

import static org.junit.jupiter.api.Assertions.*;

import dev.aand.data.AnomalyDataset;
import dev.aand.data.Datasets;
import dev.aand.data.DatasetOptions;
import dev.aand.infer.Inferencer;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation bookkeeping with a scorer that needs no model: each image's brightness is its
 * "defect", so the expected metrics are known by construction.
 */
class EvaluatorTest {
    static final int S = 16;

    /** Writes a grey S x S image whose value encodes how anomalous it is. */
    static void image(Path file, int value) throws Exception {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(S, S, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < S; y++) for (int x = 0; x < S; x++) img.setRGB(x, y, (value << 16) | (value << 8) | value);
        ImageIO.write(img, "png", file.toFile());
    }

    static void mask(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        BufferedImage m = new BufferedImage(S, S, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 4; y < 8; y++) for (int x = 4; x < 8; x++) m.getRaster().setSample(x, y, 0, 255);
        ImageIO.write(m, "png", file.toFile());
    }

    /** The map is the image brightness inside the mask square and 0 elsewhere: pixel-perfect. */
    static Inferencer.Result score(List<float[]> images) {
        float[][] maps = new float[images.size()][];
        double[] scores = new double[images.size()];
        for (int i = 0; i < images.size(); i++) {
            float v = images.get(i)[0] / 255f;
            maps[i] = new float[S * S];
            for (int y = 4; y < 8; y++) for (int x = 4; x < 8; x++) maps[i][y * S + x] = v;
            scores[i] = v;
        }
        return new Inferencer.Result(maps, scores);
    }

    @Test
    void perDefectMetricsUseThatTypePlusAllGoodImages(@TempDir Path root) throws Exception {
        Path c = root.resolve("widget");
        image(c.resolve("train/good/000.png"), 10);
        image(c.resolve("test/good/000.png"), 10);
        image(c.resolve("test/good/001.png"), 60);
        image(c.resolve("test/crack/000.png"), 200);
        mask(c.resolve("ground_truth/crack/000_mask.png"));
        image(c.resolve("test/hole/000.png"), 40); // scores below one good image: AUROC 0.5
        mask(c.resolve("ground_truth/hole/000_mask.png"));
        image(c.resolve("test/hole/001.png"), 250); // no mask: image metrics only
        AnomalyDataset data = Datasets.open("mvtec", DatasetOptions.of(root, "widget"));
        List<String> seen = new ArrayList<>();
        Evaluation e = new Evaluator(EvaluatorTest::score, S, 2)
                .evaluate(data, (s, rgb, map, m, score) -> seen.add(s.defectType()), null);

        assertEquals(5, seen.size(), "every test image reaches the sink");
        assertEquals(5, e.overall().nImages());
        assertEquals(3, e.overall().nAnomalous());
        assertEquals(List.of("crack", "hole"), new ArrayList<>(e.byDefect().keySet()));
        Evaluation.Summary crack = e.byDefect().get("crack");
        assertEquals(3, crack.nImages());
        assertEquals(1, crack.nAnomalous());
        assertEquals(1.0, crack.imageAuroc(), 1e-12);
        Evaluation.Summary hole = e.byDefect().get("hole");
        assertEquals(4, hole.nImages());
        // hole scores 40/255 and 250/255 vs good 10/255 and 60/255: 3 of 4 pairs ranked right.
        assertEquals(0.75, hole.imageAuroc(), 1e-12);
        // The maskless hole image is left out of pixel metrics and reported.
        assertEquals(1, e.withoutMask().size());
        assertTrue(e.withoutMask().get(0).endsWith("001.png"));
        // Pixels: masks and maps coincide, anomalous pixels score above every normal pixel... except
        // good/001 whose square scores 60/255 > hole's 40/255: not a perfect pixel AUROC overall.
        assertEquals(1.0, crack.pixelAuroc(), 1e-12);
        assertTrue(e.overall().pixelAuroc() < 1.0 && e.overall().pixelAuroc() > 0.9);
        String json = e.toJson();
        assertTrue(json.contains("\"by_defect\""));
        assertTrue(e.scoresCsv().startsWith("path,defect_type,label,score\n"));
        assertEquals(6, e.scoresCsv().split("\n").length);
    }

    @Test
    void undefinedMetricsBecomeNullInJson(@TempDir Path root) throws Exception {
        Path c = root.resolve("w");
        image(c.resolve("train/good/000.png"), 10);
        image(c.resolve("test/good/000.png"), 10);
        image(c.resolve("test/good/001.png"), 20);
        AnomalyDataset data = Datasets.open("mvtec", DatasetOptions.of(root, "w"));
        Evaluation e = new Evaluator(EvaluatorTest::score, S, 8).evaluate(data, null, null);
        assertTrue(Double.isNaN(e.overall().imageAuroc()));
        assertTrue(e.toJson().contains("\"image_auroc\": null"), e.toJson());
    }
}
