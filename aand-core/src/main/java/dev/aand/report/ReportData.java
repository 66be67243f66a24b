package dev.aand.report;

import dev.aand.metrics.Evaluation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything an inspection report shows, decoupled from the pipeline that produced it.
 * Metrics may be NaN (for example pixel metrics without ground-truth masks); the report then
 * shows "n/a".
 *
 * @param dataset  dataset name, e.g. "mvtec"
 * @param category category / product, e.g. "bottle"
 * @param model    model summary in display order (backbone, method, image size, epochs, seed, ...)
 * @param metrics  overall metrics
 * @param defects  per defect type (in display order) its metrics over that type plus the good images; may be empty
 * @param curves   ROC / PRO curves (members may be null when not available)
 * @param images   every test image with its anomaly map
 */
public record ReportData(
        String dataset,
        String category,
        Map<String, String> model,
        Evaluation.Summary metrics,
        Map<String, Evaluation.Summary> defects,
        Curves curves,
        List<ImageEntry> images) {

    public ReportData {
        requireText(dataset, "dataset");
        requireText(category, "category");
        if (metrics == null) {
            throw new IllegalArgumentException("report metrics are missing");
        }
        model = model == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(model));
        defects = defects == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(defects));
        curves = curves == null ? new Curves(null, null, null) : curves;
        images = images == null ? List.of() : List.copyOf(images);
    }

    /** A curve as parallel x / y arrays (x = false positive rate). */
    public record Curve(double[] x, double[] y) {
        public Curve {
            if (x == null || y == null) {
                throw new IllegalArgumentException("curve x and y must both be given");
            }
            if (x.length != y.length) {
                throw new IllegalArgumentException(
                        "curve x has " + x.length + " points but y has " + y.length);
            }
            if (x.length == 0) {
                throw new IllegalArgumentException("curve has no points");
            }
        }
    }

    /**
     * @param imageRoc image-level ROC (fpr, tpr), or null
     * @param pixelRoc pixel-level ROC (fpr, tpr), or null
     * @param pro      per-region overlap curve (fpr, pro) over the full FPR range, or null; the
     *                 report shows it up to FPR 0.3
     */
    public record Curves(Curve imageRoc, Curve pixelRoc, Curve pro) {}

    /**
     * One test image.
     *
     * @param displayPath path shown to the user (relative to the dataset root is best)
     * @param defectType  defect type, "good" for normal images
     * @param anomalous   ground-truth label
     * @param score       image anomaly score
     * @param threshold   decision threshold: the image is flagged when {@code score >= threshold}
     * @param rgb         CHW RGB, values in [0, 255], length 3*size*size
     * @param map         anomaly map, length size*size
     * @param gt          ground-truth mask, length size*size, or null when none exists
     * @param size        side length S
     */
    public record ImageEntry(
            String displayPath,
            String defectType,
            boolean anomalous,
            double score,
            double threshold,
            float[] rgb,
            float[] map,
            boolean[] gt,
            int size) {
        public ImageEntry {
            requireText(displayPath, "image display path");
            requireText(defectType, "defect type of '" + displayPath + "'");
            if (size < 1) {
                throw new IllegalArgumentException("image '" + displayPath + "': size must be positive, got " + size);
            }
            int plane = size * size;
            if (rgb == null || rgb.length != 3 * plane) {
                throw new IllegalArgumentException("image '" + displayPath + "': rgb has "
                        + (rgb == null ? "no" : rgb.length) + " values, expected 3*" + size + "*" + size);
            }
            if (map == null || map.length != plane) {
                throw new IllegalArgumentException("image '" + displayPath + "': anomaly map has "
                        + (map == null ? "no" : map.length) + " values, expected " + size + "*" + size);
            }
            if (gt != null && gt.length != plane) {
                throw new IllegalArgumentException("image '" + displayPath + "': ground-truth mask has "
                        + gt.length + " values, expected " + size + "*" + size);
            }
        }

        /** Whether the image is flagged at its threshold. */
        public boolean predictedAnomalous() {
            return score >= threshold;
        }

        /** Whether the decision at the threshold matches the label. */
        public boolean correct() {
            return predictedAnomalous() == anomalous;
        }
    }

    private static void requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " is missing");
        }
    }
}
