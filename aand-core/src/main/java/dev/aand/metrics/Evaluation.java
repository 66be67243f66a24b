package dev.aand.metrics;

import com.google.gson.GsonBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code aand test} measured on a test split.
 *
 * @param overall metrics over the whole split
 * @param byDefect per anomalous defect type, metrics over that type plus all good images
 * @param images per image its score (in test-split order)
 * @param imageRoc image-level ROC curve
 * @param pixelRoc pixel-level ROC curve (thinned for display)
 * @param pro PRO curve up to the AUPRO limit (thinned for display)
 * @param withoutMask anomalous images that had no ground truth and were left out of pixel metrics
 */
public record Evaluation(Summary overall, Map<String, Summary> byDefect, List<ImageScore> images, RocCurve imageRoc,
        RocCurve pixelRoc, ProCurve pro, List<String> withoutMask) {

    /** FPR limit of AUPRO (the MVTec definition). */
    public static final double AUPRO_FPR = 0.3;

    /**
     * The headline metrics; NaN where undefined (e.g. no anomalous image).
     */
    public record Summary(double imageAuroc, double pixelAuroc, double pixelAupro, double imageF1Max,
            double imageThreshold, int nImages, int nAnomalous) {
        public Summary {
            if (nImages < 0 || nAnomalous < 0 || nAnomalous > nImages) {
                throw new IllegalArgumentException("metrics: need 0 <= n_anomalous <= n_images, got n_images="
                        + nImages + ", n_anomalous=" + nAnomalous);
            }
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("image_auroc", imageAuroc);
            m.put("pixel_auroc", pixelAuroc);
            m.put("pixel_aupro", pixelAupro);
            m.put("image_f1_max", imageF1Max);
            m.put("image_threshold", imageThreshold);
            m.put("n_images", nImages);
            m.put("n_anomalous", nAnomalous);
            return m;
        }
    }

    /** One scored test image. */
    public record ImageScore(String path, String defectType, boolean anomalous, double score) {}

    /** The {@code metrics.json} document: fractions, NaN written as null. */
    public String toJson() {
        Map<String, Object> root = overall.toMap();
        Map<String, Object> defects = new LinkedHashMap<>();
        byDefect.forEach((k, v) -> defects.put(k, v.toMap()));
        root.put("by_defect", defects);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create()
                .toJson(replaceNaN(root));
    }

    @SuppressWarnings("unchecked")
    private static Object replaceNaN(Object o) {
        if (o instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return null;
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, v) -> out.put(k, replaceNaN(v)));
            return out;
        }
        return o;
    }

    /** {@code scores.csv}: path,defect_type,label,score (label 1 = anomalous). */
    public String scoresCsv() {
        StringBuilder sb = new StringBuilder("path,defect_type,label,score\n");
        for (ImageScore s : images) {
            sb.append(Csv.field(s.path())).append(',').append(Csv.field(s.defectType())).append(',')
                    .append(s.anomalous() ? 1 : 0).append(',').append(s.score()).append('\n');
        }
        return sb.toString();
    }
}
