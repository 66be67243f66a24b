package dev.aand.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImageLevelMetricsTest {
    private static final JsonObject FIX = MetricsFixtures.json("image_level.json");

    private static double[] scores() {
        return MetricsFixtures.doubles(FIX.getAsJsonArray("scores"));
    }

    private static boolean[] labels() {
        JsonArray a = FIX.getAsJsonArray("labels");
        boolean[] b = new boolean[a.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = a.get(i).getAsInt() == 1;
        }
        return b;
    }

    @Test
    void aurocMatchesSklearnWithTies() {
        assertEquals(FIX.get("auroc").getAsDouble(), Auroc.of(scores(), labels()), 1e-12);
    }

    @Test
    void floatOverloadGivesSameAuroc() {
        double[] d = scores();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i]; // k/32: exact in float
        }
        assertEquals(Auroc.of(d, labels()), Auroc.of(f, labels()), 0.0);
    }

    @Test
    void rocCurveEqualsSklearnDropIntermediateFalse() {
        JsonObject ref = FIX.getAsJsonObject("roc_curve_drop_intermediate_false");
        RocCurve c = RocCurve.of(scores(), labels());
        assertArrayEquals(MetricsFixtures.doubles(ref.getAsJsonArray("fpr")), c.fpr(), 1e-12);
        assertArrayEquals(MetricsFixtures.doubles(ref.getAsJsonArray("tpr")), c.tpr(), 1e-12);
        assertArrayEquals(MetricsFixtures.doubles(ref.getAsJsonArray("thresholds")), c.thresholds(), 0.0);
    }

    @Test
    void f1MaxMatchesPrecisionRecallCurve() {
        F1Max f = F1Max.of(scores(), labels());
        assertEquals(FIX.get("f1_max").getAsDouble(), f.f1(), 1e-12);
        assertEquals(FIX.get("f1_max_threshold").getAsDouble(), f.threshold(), 0.0);
        assertEquals(FIX.get("f1_max_precision").getAsDouble(), f.precision(), 1e-12);
        assertEquals(FIX.get("f1_max_recall").getAsDouble(), f.recall(), 1e-12);
    }

    @Test
    void imageMetricsBundlesTheSameNumbers() {
        ImageMetrics m = ImageMetrics.of(scores(), labels());
        assertEquals(FIX.get("auroc").getAsDouble(), m.auroc(), 1e-12);
        assertEquals(FIX.get("f1_max").getAsDouble(), m.f1Max(), 1e-12);
        assertEquals(FIX.get("f1_max_threshold").getAsDouble(), m.threshold(), 0.0);
    }

    @Test
    void singleClassIsRejectedClearlyOrReportedAsNaN() {
        double[] s = {0.1, 0.5, 0.3};
        boolean[] allGood = {false, false, false};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Auroc.of(s, allGood));
        assertTrue(e.getMessage().contains("one class"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RocCurve.of(s, allGood));
        assertThrows(IllegalArgumentException.class, () -> F1Max.of(s, allGood));
        ImageMetrics m = ImageMetrics.of(s, allGood);
        assertTrue(Double.isNaN(m.auroc()) && Double.isNaN(m.f1Max()) && Double.isNaN(m.threshold()));
        boolean[] allBad = {true, true, true};
        assertTrue(Double.isNaN(ImageMetrics.of(s, allBad).auroc()));
        assertEquals(1.0, ImageMetrics.of(s, allBad).f1Max(), 0.0);
    }

    @Test
    void badInputNamesTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Auroc.of(new double[] {0.1, Double.NaN}, new boolean[] {true, false}));
        assertTrue(e.getMessage().contains("index 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Auroc.of(new double[2], new boolean[3]));
    }

    /** Against the O(P*N) pair-counting definition on random data with many ties. */
    @Test
    void aurocEqualsPairCountingAndF1EqualsBruteForce() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + rnd.nextInt(300);
            double[] s = new double[n];
            boolean[] l = new boolean[n];
            for (int i = 0; i < n; i++) {
                l[i] = rnd.nextInt(3) == 0;
                s[i] = rnd.nextInt(12) / 4.0 + (l[i] ? 0.5 : 0);
            }
            l[0] = true;
            l[1] = false;
            double num = 0;
            long pairs = 0;
            double bestF1 = -1;
            for (int i = 0; i < n; i++) {
                if (l[i]) {
                    for (int j = 0; j < n; j++) {
                        if (!l[j]) {
                            num += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                            pairs++;
                        }
                    }
                }
                int tp = 0;
                int fp = 0;
                int pos = 0;
                for (int j = 0; j < n; j++) {
                    pos += l[j] ? 1 : 0;
                    if (s[j] >= s[i]) {
                        tp += l[j] ? 1 : 0;
                        fp += l[j] ? 0 : 1;
                    }
                }
                double p = (double) tp / (tp + fp);
                double r = (double) tp / pos;
                bestF1 = Math.max(bestF1, p + r > 0 ? 2 * p * r / (p + r) : 0);
            }
            assertEquals(num / pairs, Auroc.of(s, l), 1e-12);
            assertEquals(bestF1, F1Max.of(s, l).f1(), 1e-12);
        }
    }
}
