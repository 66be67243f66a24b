package dev.aand.metrics;

import dev.aand.metrics.ConnectedComponents.Connectivity;
import java.util.Arrays;

/**
 * Accumulates anomaly maps and ground-truth masks of a whole test set, then computes exact
 * pixel-level AUROC and AUPRO (MVTec AD definition) with one sorted sweep over all pixels.
 *
 * <p>Memory: a pixel costs 8 bytes (a normal pixel its score as an order-preserving key, an
 * anomalous one that key and its region id packed into one long; one chunked store serves both),
 * plus 4 bytes per ground-truth region; about 0.8 GB for 10^8 pixels. Values live in chunks that are sorted in place, so no full
 * copy is ever made. Scores are float32 (anomaly maps are float32).
 *
 * <p>Thresholds are every distinct score; a pixel is positive iff score >= threshold. Ties between
 * normal and anomalous pixels are resolved exactly (they move the curves together), so the results
 * equal scikit-learn's {@code roc_auc_score} and the MVTec AD {@code compute_pro} dense sweep.
 * Results are bitwise independent of the order and grouping of {@link #add} calls.
 *
 * <p>Not thread-safe.
 */
public final class PixelMetrics {
    /** Pass as {@code maxPoints} to get every curve point instead of a display-sized subset. */
    public static final int ALL_POINTS = CurveThinner.ALL;
    /** Default number of points of the display curves. */
    public static final int DISPLAY_POINTS = 500;

    private final Connectivity connectivity;
    private final LongChunks normals;
    private final LongChunks anomalies;
    private int[] regionSizes = new int[16];
    private int regionCount;
    private int imageCount;
    private int maxKey = Integer.MIN_VALUE;

    /** Regions are 8-connected components of each mask (as anomalib and cv2 label them). */
    public PixelMetrics() {
        this(Connectivity.EIGHT);
    }

    public PixelMetrics(Connectivity connectivity) {
        this(connectivity, 1 << 12, 1 << 22);
    }

    /** Chunk sizes are exposed to tests so that several chunks can be exercised with tiny data. */
    PixelMetrics(Connectivity connectivity, int firstChunk, int maxChunk) {
        if (connectivity == null) {
            throw new IllegalArgumentException("connectivity must not be null");
        }
        this.connectivity = connectivity;
        this.normals = new LongChunks(firstChunk, maxChunk);
        this.anomalies = new LongChunks(firstChunk, maxChunk);
    }

    /**
     * Adds one image.
     *
     * @param map anomaly scores, row-major, h*w values, no NaN
     * @param mask ground truth, true = anomalous; all false for a good image. An anomalous image
     *     without a ground-truth mask must not be added at all.
     * @throws IllegalArgumentException on size mismatch or NaN scores (nothing is added then)
     */
    public void add(float[] map, boolean[] mask, int h, int w) {
        if (map == null || mask == null) {
            throw new IllegalArgumentException("image " + imageCount + ": map and mask must not be null");
        }
        if (h <= 0 || w <= 0 || (long) h * w != map.length || map.length != mask.length) {
            throw new IllegalArgumentException("image " + imageCount + ": map has " + map.length
                    + " values and mask " + mask.length + ", expected h*w = " + h + "*" + w);
        }
        boolean anyAnomalous = false;
        for (int i = 0; i < map.length; i++) {
            if (Float.isNaN(map[i])) {
                throw new IllegalArgumentException("image " + imageCount + ": anomaly map is NaN at row "
                        + (i / w) + ", column " + (i % w));
            }
            anyAnomalous |= mask[i];
        }
        int[] labels = null;
        int newRegions = 0;
        if (anyAnomalous) {
            ConnectedComponents.Labels l = ConnectedComponents.label(mask, h, w, connectivity);
            labels = l.labels();
            int[] sizes = l.sizes();
            if (regionCount + sizes.length > regionSizes.length) {
                int capacity = Math.max(regionSizes.length * 2, regionCount + sizes.length);
                regionSizes = Arrays.copyOf(regionSizes, capacity);
            }
            System.arraycopy(sizes, 0, regionSizes, regionCount, sizes.length);
            newRegions = sizes.length;
        }
        int regionBase = regionCount - 1; // label 1 -> regionBase + 1
        int max = maxKey;
        for (int i = 0; i < map.length; i++) {
            int key = key(map[i]);
            max = Math.max(max, key);
            if (labels == null || labels[i] == 0) {
                normals.add(key);
            } else {
                anomalies.add(((long) key << 32) | ((regionBase + labels[i]) & 0xffffffffL));
            }
        }
        maxKey = max;
        regionCount += newRegions;
        imageCount++;
    }

    /** Same as {@link #add(float[], boolean[], int, int)} with non-zero bytes anomalous. */
    public void add(float[] map, byte[] mask, int h, int w) {
        if (mask == null) {
            throw new IllegalArgumentException("image " + imageCount + ": mask must not be null");
        }
        boolean[] b = new boolean[mask.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = mask[i] != 0;
        }
        add(map, b, h, w);
    }

    public int imageCount() {
        return imageCount;
    }

    public long normalPixelCount() {
        return normals.size();
    }

    public long anomalousPixelCount() {
        return anomalies.size();
    }

    /** Connected ground-truth regions over all images added so far. */
    public int regionCount() {
        return regionCount;
    }

    /**
     * Exact pixel-level ROC AUC over all pixels added (ties count half, as scikit-learn).
     *
     * @throws IllegalStateException unless both normal and anomalous pixels were added
     */
    public double pixelAuroc() {
        requireBothClasses("pixel AUROC");
        long[] twiceArea = {0};
        sweep(new Sink() {
            private long tpPrev;
            private long fpPrev;

            @Override
            public boolean accept(float threshold, long fp, long tp, double pro) {
                // Trapezoid in integer counts: new negatives times (positives above + half the tied ones).
                twiceArea[0] = Math.addExact(twiceArea[0], Math.multiplyExact(fp - fpPrev, tpPrev + tp));
                tpPrev = tp;
                fpPrev = fp;
                return true;
            }
        });
        return twiceArea[0] / (2.0 * normals.size() * anomalies.size());
    }

    /** Normalised area under the PRO curve up to {@code maxFpr}, e.g. 0.3. */
    public double aupro(double maxFpr) {
        return auproDetails(maxFpr).value();
    }

    /**
     * AUPRO with the points around the cut. The dense curve is (0, 0) then one point per distinct
     * score, descending; points with FPR <= maxFpr are kept, the point at FPR = maxFpr is linearly
     * interpolated from its neighbours, the trapezoid area is divided by maxFpr. The sweep stops at
     * the first point beyond the limit.
     *
     * @throws IllegalArgumentException unless 0 < maxFpr <= 1
     * @throws IllegalStateException without normal pixels or without ground-truth regions
     */
    public Aupro auproDetails(double maxFpr) {
        ProSweep s = proSweep(maxFpr, null);
        return new Aupro(s.area / maxFpr, maxFpr, s.kept, s.lastX, s.lastY, s.beyondX, s.beyondY, s.yAtLimit);
    }

    /** PRO curve up to {@code maxFpr} reduced to about {@link #DISPLAY_POINTS} points, for plots. */
    public ProCurve proCurve(double maxFpr) {
        return proCurve(maxFpr, DISPLAY_POINTS);
    }

    /**
     * PRO curve from (0, 0) up to FPR = maxFpr, ending with the interpolated point at the limit
     * (unless a point lies exactly on it).
     *
     * @param maxPoints at most this many points (>= 5), or {@link #ALL_POINTS} for the exact curve
     */
    public ProCurve proCurve(double maxFpr, int maxPoints) {
        if (maxPoints < 5) {
            throw new IllegalArgumentException("maxPoints must be at least 5, got " + maxPoints);
        }
        // One point is reserved for the interpolated end point at the limit.
        CurveThinner thinner = new CurveThinner(maxPoints == ALL_POINTS ? ALL_POINTS : maxPoints - 1, maxFpr, 1.0);
        ProSweep s = proSweep(maxFpr, thinner);
        if (s.lastX == maxFpr) {
            thinner.flush();
        } else {
            thinner.addFinal(maxFpr, s.yAtLimit, Double.NaN);
        }
        return new ProCurve(thinner.xs(), thinner.ys(), thinner.thresholds());
    }

    /** Pixel ROC curve reduced to about {@link #DISPLAY_POINTS} points, for plots. */
    public RocCurve rocCurve() {
        return rocCurve(DISPLAY_POINTS);
    }

    /**
     * Pixel ROC curve from (0, 0) to (1, 1); thresholds as {@link RocCurve#of}.
     *
     * @param maxPoints at most this many points (>= 4), or {@link #ALL_POINTS} for every point
     */
    public RocCurve rocCurve(int maxPoints) {
        requireBothClasses("pixel ROC curve");
        CurveThinner thinner = new CurveThinner(maxPoints, 1.0, 1.0);
        thinner.add(0, 0, fromKey(maxKey) + 1.0);
        double nNeg = normals.size();
        double nPos = anomalies.size();
        sweep((threshold, fp, tp, pro) -> {
            thinner.add(fp / nNeg, tp / nPos, threshold);
            return true;
        });
        return new RocCurve(thinner.xs(), thinner.ys(), thinner.thresholds());
    }

    /** State of a PRO sweep cut at an FPR limit. */
    private static final class ProSweep {
        double lastX;
        double lastY;
        double area;
        int kept = 1;
        double beyondX = Double.NaN;
        double beyondY = Double.NaN;
        double yAtLimit;
    }

    private ProSweep proSweep(double maxFpr, CurveThinner thinner) {
        if (!(maxFpr > 0 && maxFpr <= 1)) {
            throw new IllegalArgumentException("maxFpr must be in (0, 1], got " + maxFpr);
        }
        if (normals.size() == 0) {
            throw new IllegalStateException("AUPRO is undefined: no normal pixels were added");
        }
        if (regionCount == 0) {
            throw new IllegalStateException("AUPRO is undefined: no ground-truth regions were added");
        }
        ProSweep s = new ProSweep();
        if (thinner != null) {
            thinner.add(0, 0, fromKey(maxKey) + 1.0);
        }
        double nNeg = normals.size();
        sweep((threshold, fp, tp, pro) -> {
            double x = fp / nNeg;
            if (x > maxFpr) {
                s.beyondX = x;
                s.beyondY = pro;
                return false;
            }
            s.area += 0.5 * (pro + s.lastY) * (x - s.lastX);
            s.lastX = x;
            s.lastY = pro;
            s.kept++;
            if (thinner != null) {
                thinner.add(x, pro, threshold);
            }
            return true;
        });
        if (s.lastX == maxFpr) {
            s.yAtLimit = s.lastY;
        } else {
            // FPR reaches 1 at the lowest score, so a point beyond a limit < 1 always exists here.
            s.yAtLimit = s.lastY + (s.beyondY - s.lastY) * (maxFpr - s.lastX) / (s.beyondX - s.lastX);
            s.area += 0.5 * (s.lastY + s.yAtLimit) * (maxFpr - s.lastX);
        }
        return s;
    }

    /** Receives one curve point per distinct score, in descending score order. */
    @FunctionalInterface
    private interface Sink {
        /**
         * @param fp normal pixels with score >= threshold
         * @param tp anomalous pixels with score >= threshold
         * @param pro mean overlap over all regions (NaN without regions)
         * @return false to stop the sweep
         */
        boolean accept(float threshold, long fp, long tp, double pro);
    }

    /**
     * The single pass behind every metric: merges the sorted normal and anomalous streams from the
     * top, one distinct score at a time. Anomalous pixels of one score arrive grouped by region
     * (the region id is the low half of the sort key), so each region's overlap is updated once
     * per distinct score.
     */
    private void sweep(Sink sink) {
        normals.sortChunks();
        anomalies.sortChunks();
        LongChunks.Cursor neg = normals.descending();
        LongChunks.Cursor pos = anomalies.descending();
        int[] hits = new int[regionCount];
        FixedPointSum overlapSum = new FixedPointSum();
        double nRegions = regionCount;
        long fp = 0;
        long tp = 0;
        while (neg.hasNext() || pos.hasNext()) {
            int key;
            if (!pos.hasNext()) {
                key = (int) neg.peek();
            } else if (!neg.hasNext()) {
                key = (int) (pos.peek() >> 32);
            } else {
                key = Math.max((int) neg.peek(), (int) (pos.peek() >> 32));
            }
            fp += neg.hasNext() ? neg.skipEqual(key) : 0;
            while (pos.hasNext() && (int) (pos.peek() >> 32) == key) {
                long k = pos.peek();
                int r = (int) k;
                long n = pos.skipEqual(k);
                tp += n;
                int size = regionSizes[r];
                double before = (double) hits[r] / size;
                hits[r] += (int) n;
                overlapSum.add((double) hits[r] / size);
                overlapSum.subtract(before);
            }
            double pro = overlapSum.value() / nRegions;
            if (!sink.accept(fromKey(key), fp, tp, pro)) {
                return;
            }
        }
    }

    private void requireBothClasses(String metric) {
        if (normals.size() == 0 || anomalies.size() == 0) {
            throw new IllegalStateException(metric + " is undefined: " + normals.size() + " normal and "
                    + anomalies.size() + " anomalous pixels were added");
        }
    }

    /** Order-preserving int image of a float: signed int order equals float order (-0 folded into +0). */
    static int key(float v) {
        int bits = Float.floatToRawIntBits(v + 0.0f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    static float fromKey(int key) {
        return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7fffffff));
    }
}
