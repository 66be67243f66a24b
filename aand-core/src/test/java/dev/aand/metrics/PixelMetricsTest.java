package dev.aand.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.aand.metrics.ConnectedComponents.Connectivity;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PixelMetricsTest {
    private static final JsonObject PIXEL = MetricsFixtures.json("pixel_level.json");
    private static final JsonObject CURVE = MetricsFixtures.json("pro_curve_8conn.json");
    private static final int N = MetricsFixtures.N;
    private static final int H = MetricsFixtures.H;
    private static final int W = MetricsFixtures.W;
    private static final float[][] MAPS = new float[N][];
    private static final boolean[][] MASKS = new boolean[N][];

    static {
        for (int i = 0; i < N; i++) {
            MAPS[i] = MetricsFixtures.map(i);
            MASKS[i] = MetricsFixtures.mask(i);
        }
    }

    private static PixelMetrics fixtureMetrics(Connectivity c) {
        PixelMetrics m = new PixelMetrics(c);
        for (int i = 0; i < N; i++) {
            m.add(MAPS[i], MASKS[i], H, W);
        }
        return m;
    }

    @Test
    void countsMatchFixture() {
        PixelMetrics m = fixtureMetrics(Connectivity.EIGHT);
        assertEquals(PIXEL.get("n_normal_pixels").getAsLong(), m.normalPixelCount());
        assertEquals(PIXEL.get("n_anomalous_pixels").getAsLong(), m.anomalousPixelCount());
        assertEquals(PIXEL.getAsJsonObject("8conn").get("n_regions").getAsInt(), m.regionCount());
        assertEquals(N, m.imageCount());
    }

    @Test
    void pixelAurocMatchesSklearn() {
        assertEquals(PIXEL.get("pixel_auroc").getAsDouble(), fixtureMetrics(Connectivity.EIGHT).pixelAuroc(), 1e-12);
    }

    @Test
    void pixelAurocEqualsImageLevelAurocOnFlattenedPixels() {
        float[] all = new float[N * H * W];
        boolean[] labels = new boolean[N * H * W];
        for (int i = 0; i < N; i++) {
            System.arraycopy(MAPS[i], 0, all, i * H * W, H * W);
            System.arraycopy(MASKS[i], 0, labels, i * H * W, H * W);
        }
        assertEquals(Auroc.of(all, labels), fixtureMetrics(Connectivity.EIGHT).pixelAuroc(), 0.0);
    }

    @Test
    void auproDenseMatchesReferenceFor8And4Connectivity() {
        for (String conn : new String[] {"8conn", "4conn"}) {
            Connectivity c = conn.equals("8conn") ? Connectivity.EIGHT : Connectivity.FOUR;
            JsonObject ref = PIXEL.getAsJsonObject(conn);
            double fprLimit = PIXEL.get("fpr_limit").getAsDouble();
            Aupro a = fixtureMetrics(c).auproDetails(fprLimit);
            assertEquals(ref.get("aupro_dense_exact").getAsDouble(), a.value(), 1e-9, conn);
            // The grid-200 value differs by ~4e-4: this really is the dense sweep.
            assertTrue(Math.abs(a.value() - ref.get("aupro_grid200").getAsDouble()) > 1e-4, conn);
            JsonObject d = ref.getAsJsonObject("aupro_dense_details");
            assertEquals(d.get("points_kept").getAsInt(), a.pointsKept(), conn);
            double[] last = MetricsFixtures.doubles(d.getAsJsonArray("last_kept"));
            double[] beyond = MetricsFixtures.doubles(d.getAsJsonArray("first_beyond"));
            assertEquals(last[0], a.lastKeptFpr(), 1e-15, conn);
            assertEquals(last[1], a.lastKeptPro(), 1e-12, conn);
            assertEquals(beyond[0], a.firstBeyondFpr(), 1e-15, conn);
            assertEquals(beyond[1], a.firstBeyondPro(), 1e-12, conn);
            assertEquals(d.get("pro_at_limit").getAsDouble(), a.proAtLimit(), 1e-12, conn);
            // The L-shape plateau makes PRO jump across the cut: the interpolated value is strictly inside.
            assertTrue(a.proAtLimit() > a.lastKeptPro() && a.proAtLimit() < a.firstBeyondPro(), conn);
            assertEquals(a.value(), fixtureMetrics(c).aupro(fprLimit), 0.0);
        }
    }

    @Test
    void fullDenseProCurveEqualsReference() {
        ProCurve c = fixtureMetrics(Connectivity.EIGHT).proCurve(1.0, PixelMetrics.ALL_POINTS);
        double[] fpr = MetricsFixtures.doubles(CURVE.getAsJsonArray("fpr"));
        double[] pro = MetricsFixtures.doubles(CURVE.getAsJsonArray("pro"));
        double[] thr = MetricsFixtures.doubles(CURVE.getAsJsonArray("thresholds_desc"));
        assertEquals(fpr.length, c.size());
        assertArrayEquals(fpr, c.fpr(), 0.0); // exact count / count in both
        assertArrayEquals(pro, c.pro(), 1e-12);
        assertArrayEquals(thr, Arrays.copyOfRange(c.thresholds(), 1, c.size()), 0.0);
        assertEquals(thr[0] + 1, c.thresholds()[0], 0.0);
    }

    @Test
    void proCurveCutAtLimitEndsWithInterpolatedPoint() {
        double limit = PIXEL.get("fpr_limit").getAsDouble();
        JsonObject d = PIXEL.getAsJsonObject("8conn").getAsJsonObject("aupro_dense_details");
        int kept = d.get("points_kept").getAsInt();
        ProCurve c = fixtureMetrics(Connectivity.EIGHT).proCurve(limit, PixelMetrics.ALL_POINTS);
        double[] fpr = MetricsFixtures.doubles(CURVE.getAsJsonArray("fpr"));
        double[] pro = MetricsFixtures.doubles(CURVE.getAsJsonArray("pro"));
        assertEquals(kept + 1, c.size());
        assertArrayEquals(Arrays.copyOf(fpr, kept), Arrays.copyOf(c.fpr(), kept), 0.0);
        assertArrayEquals(Arrays.copyOf(pro, kept), Arrays.copyOf(c.pro(), kept), 1e-12);
        // Points just before and after the cut in the reference curve bracket the added end point.
        assertTrue(fpr[kept - 1] <= limit && fpr[kept] > limit);
        assertEquals(limit, c.fpr()[kept], 0.0);
        assertEquals(d.get("pro_at_limit").getAsDouble(), c.pro()[kept], 1e-12);
        assertTrue(Double.isNaN(c.thresholds()[kept]));
    }

    @Test
    void displayCurvesAreSmallAndKeepTheirEnds() {
        PixelMetrics m = fixtureMetrics(Connectivity.EIGHT);
        for (int maxPoints : new int[] {500, 40, 5}) {
            ProCurve p = m.proCurve(0.3, maxPoints);
            assertTrue(p.size() <= maxPoints, "pro curve has " + p.size() + " > " + maxPoints);
            assertEquals(0.0, p.fpr()[0], 0.0);
            assertEquals(0.3, p.fpr()[p.size() - 1], 0.0);
            assertEquals(m.auproDetails(0.3).proAtLimit(), p.pro()[p.size() - 1], 0.0);
            assertMonotone(p.fpr());
            assertMonotone(p.pro());
            RocCurve r = m.rocCurve(Math.max(maxPoints, 4));
            assertTrue(r.size() <= maxPoints, "roc curve has " + r.size());
            assertEquals(1.0, r.fpr()[r.size() - 1], 0.0);
            assertEquals(1.0, r.tpr()[r.size() - 1], 0.0);
            assertMonotone(r.fpr());
            assertMonotone(r.tpr());
        }
        assertTrue(m.rocCurve().size() > 100, "default display curve should not be trivially coarse");
    }

    @Test
    void exactPixelRocCurveEqualsImageLevelRocCurveAndIntegratesToAuroc() {
        PixelMetrics m = fixtureMetrics(Connectivity.EIGHT);
        float[] all = new float[N * H * W];
        boolean[] labels = new boolean[N * H * W];
        for (int i = 0; i < N; i++) {
            System.arraycopy(MAPS[i], 0, all, i * H * W, H * W);
            System.arraycopy(MASKS[i], 0, labels, i * H * W, H * W);
        }
        RocCurve ref = RocCurve.of(all, labels);
        RocCurve c = m.rocCurve(PixelMetrics.ALL_POINTS);
        assertArrayEquals(ref.fpr(), c.fpr(), 0.0);
        assertArrayEquals(ref.tpr(), c.tpr(), 0.0);
        assertArrayEquals(ref.thresholds(), c.thresholds(), 0.0);
        double area = 0;
        for (int k = 1; k < c.size(); k++) {
            area += 0.5 * (c.tpr()[k] + c.tpr()[k - 1]) * (c.fpr()[k] - c.fpr()[k - 1]);
        }
        assertEquals(m.pixelAuroc(), area, 1e-12);
    }

    /** Image order and storage chunking must not change a single bit of the results. */
    @Test
    void orderAndChunkingDoNotChangeResults() {
        PixelMetrics a = fixtureMetrics(Connectivity.EIGHT);
        int[][] orders = {{5, 4, 3, 2, 1, 0}, {3, 0, 5, 1, 4, 2}};
        int[][] chunking = {{1, 1}, {7, 100}, {3, 4096}};
        for (int[] order : orders) {
            for (int[] ch : chunking) {
                PixelMetrics b = new PixelMetrics(Connectivity.EIGHT, ch[0], ch[1]);
                for (int i : order) {
                    b.add(MAPS[i], MASKS[i], H, W);
                }
                String what = Arrays.toString(order) + " chunks " + Arrays.toString(ch);
                assertEquals(a.pixelAuroc(), b.pixelAuroc(), 0.0, what);
                assertEquals(a.aupro(0.3), b.aupro(0.3), 0.0, what);
                assertEquals(a.aupro(0.05), b.aupro(0.05), 0.0, what);
                ProCurve pa = a.proCurve(1.0, PixelMetrics.ALL_POINTS);
                ProCurve pb = b.proCurve(1.0, PixelMetrics.ALL_POINTS);
                assertArrayEquals(pa.fpr(), pb.fpr(), 0.0, what);
                assertArrayEquals(pa.pro(), pb.pro(), 0.0, what);
            }
        }
        // Computing a metric in between and adding more afterwards gives the same as adding all first.
        PixelMetrics c = new PixelMetrics(Connectivity.EIGHT, 5, 50);
        for (int i = 0; i < 3; i++) {
            c.add(MAPS[i], MASKS[i], H, W);
        }
        c.aupro(0.3);
        for (int i = 3; i < N; i++) {
            c.add(MAPS[i], MASKS[i], H, W);
        }
        assertEquals(a.aupro(0.3), c.aupro(0.3), 0.0);
        assertEquals(a.pixelAuroc(), c.pixelAuroc(), 0.0);
    }

    /** The O(pixels x thresholds) definition, written independently of the sweep, on random images. */
    @Test
    void equalsNaiveDefinitionOnRandomImages() {
        SplittableRandom rnd = new SplittableRandom(2024);
        for (int trial = 0; trial < 6; trial++) {
            int n = 1 + rnd.nextInt(4);
            int h = 5 + rnd.nextInt(12);
            int w = 5 + rnd.nextInt(12);
            float[][] maps = new float[n][h * w];
            boolean[][] masks = new boolean[n][h * w];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < h * w; k++) {
                    masks[i][k] = rnd.nextInt(5) == 0;
                    maps[i][k] = (rnd.nextInt(40) + (masks[i][k] ? 12 : 0)) / 64f; // coarse: many ties
                }
            }
            masks[0][0] = true;
            masks[0][1] = false;
            for (Connectivity c : Connectivity.values()) {
                PixelMetrics m = new PixelMetrics(c, 4, 64);
                for (int i = 0; i < n; i++) {
                    m.add(maps[i], masks[i], h, w);
                }
                for (double limit : new double[] {0.3, 0.1, 1.0}) {
                    assertEquals(naiveAupro(maps, masks, h, w, c, limit), m.aupro(limit), 1e-12,
                            "trial " + trial + " " + c + " limit " + limit);
                }
                assertEquals(naiveAuroc(maps, masks), m.pixelAuroc(), 1e-12, "trial " + trial);
            }
        }
    }

    /**
     * Two million random pixels: the sweep agrees with the independent flattened AUROC path, and
     * scores unrelated to the masks give chance level (PRO ~ FPR, so AUPRO@0.3 ~ 0.3 / 2 = 0.15).
     */
    @Test
    void twoMillionRandomPixels() {
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 8;
        int h = 500;
        int w = 500;
        PixelMetrics m = new PixelMetrics();
        float[] all = new float[n * h * w];
        boolean[] labels = new boolean[n * h * w];
        for (int i = 0; i < n; i++) {
            float[] map = new float[h * w];
            boolean[] mask = new boolean[h * w];
            // A few rectangles per image as defects.
            for (int r = 0; r < 3; r++) {
                int y0 = rnd.nextInt(h - 60);
                int x0 = rnd.nextInt(w - 60);
                int hh = 5 + rnd.nextInt(50);
                int ww = 5 + rnd.nextInt(50);
                for (int y = y0; y < y0 + hh; y++) {
                    Arrays.fill(mask, y * w + x0, y * w + x0 + ww, true);
                }
            }
            for (int k = 0; k < map.length; k++) {
                map[k] = (float) rnd.nextDouble();
            }
            m.add(map, mask, h, w);
            System.arraycopy(map, 0, all, i * h * w, h * w);
            System.arraycopy(mask, 0, labels, i * h * w, h * w);
        }
        assertEquals(Auroc.of(all, labels), m.pixelAuroc(), 0.0);
        assertEquals(0.5, m.pixelAuroc(), 0.01);
        assertEquals(0.15, m.aupro(0.3), 0.01);
        ProCurve full = m.proCurve(1.0, PixelMetrics.ALL_POINTS);
        assertEquals(1.0, full.pro()[full.size() - 1], 0.0);
        assertEquals(1.0, full.fpr()[full.size() - 1], 0.0);
    }

    @Test
    void invalidUseFailsWithClearMessages() {
        PixelMetrics m = new PixelMetrics();
        float[] map = new float[12];
        map[7] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.add(map, new boolean[12], 3, 4));
        assertTrue(e.getMessage().contains("row 1, column 3"), e.getMessage());
        assertEquals(0, m.imageCount());
        assertThrows(IllegalArgumentException.class, () -> m.add(new float[12], new boolean[12], 4, 4));
        m.add(new float[12], new boolean[12], 3, 4);
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> m.aupro(0.3));
        assertTrue(s.getMessage().contains("no ground-truth regions"), s.getMessage());
        assertThrows(IllegalStateException.class, m::pixelAuroc);
        boolean[] mask = new boolean[12];
        mask[5] = true;
        m.add(new float[12], mask, 3, 4);
        assertThrows(IllegalArgumentException.class, () -> m.aupro(0.0));
        assertThrows(IllegalArgumentException.class, () -> m.aupro(1.5));
        // All scores tie: one step from (0,0) to (1,1); AUROC 1/2, PRO at 0.3 interpolates to 0.3.
        assertEquals(0.5, m.pixelAuroc(), 0.0);
        assertEquals(0.3, m.auproDetails(0.3).proAtLimit(), 1e-15);
        assertEquals(0.15, m.aupro(0.3), 1e-15);
    }

    private static void assertMonotone(double[] v) {
        for (int k = 1; k < v.length; k++) {
            assertTrue(v[k] >= v[k - 1], "not monotone at " + k);
        }
    }

    private static double naiveAuroc(float[][] maps, boolean[][] masks) {
        double num = 0;
        long pairs = 0;
        for (int i = 0; i < maps.length; i++) {
            for (int k = 0; k < maps[i].length; k++) {
                if (!masks[i][k]) {
                    continue;
                }
                for (int j = 0; j < maps.length; j++) {
                    for (int q = 0; q < maps[j].length; q++) {
                        if (!masks[j][q]) {
                            num += maps[i][k] > maps[j][q] ? 1 : maps[i][k] == maps[j][q] ? 0.5 : 0;
                            pairs++;
                        }
                    }
                }
            }
        }
        return num / pairs;
    }

    /** Reference definition: for every distinct score t, FPR and mean region overlap by counting. */
    private static double naiveAupro(float[][] maps, boolean[][] masks, int h, int w, Connectivity c, double limit) {
        int n = maps.length;
        int[][] labels = new int[n][];
        int[] counts = new int[n];
        double[] thresholds = Arrays.stream(maps).flatMapToDouble(m -> {
            double[] d = new double[m.length];
            for (int k = 0; k < m.length; k++) {
                d[k] = m[k];
            }
            return Arrays.stream(d);
        }).distinct().sorted().toArray();
        for (int i = 0; i < n; i++) {
            ConnectedComponents.Labels l = ConnectedComponents.label(masks[i], h, w, c);
            labels[i] = l.labels();
            counts[i] = l.count();
        }
        int regions = Arrays.stream(counts).sum();
        int t = thresholds.length;
        double[] fpr = new double[t + 1];
        double[] pro = new double[t + 1];
        for (int k = 0; k < t; k++) {
            double thr = thresholds[t - 1 - k];
            long fp = 0;
            long normal = 0;
            double overlapSum = 0;
            for (int i = 0; i < n; i++) {
                int[] hit = new int[counts[i] + 1];
                int[] size = new int[counts[i] + 1];
                for (int p = 0; p < h * w; p++) {
                    boolean on = maps[i][p] >= thr;
                    if (labels[i][p] == 0) {
                        normal++;
                        fp += on ? 1 : 0;
                    } else {
                        size[labels[i][p]]++;
                        hit[labels[i][p]] += on ? 1 : 0;
                    }
                }
                for (int r = 1; r <= counts[i]; r++) {
                    overlapSum += (double) hit[r] / size[r];
                }
            }
            fpr[k + 1] = (double) fp / normal;
            pro[k + 1] = overlapSum / regions;
        }
        double area = 0;
        int last = 0;
        for (int k = 1; k <= t && fpr[k] <= limit; k++) {
            area += 0.5 * (pro[k] + pro[k - 1]) * (fpr[k] - fpr[k - 1]);
            last = k;
        }
        if (fpr[last] != limit) {
            double y = pro[last] + (pro[last + 1] - pro[last]) * (limit - fpr[last]) / (fpr[last + 1] - fpr[last]);
            area += 0.5 * (pro[last] + y) * (limit - fpr[last]);
        }
        return area / limit;
    }
}
