package dev.aand.serve;

import dev.aand.api.AnomalyMap;
import dev.aand.api.AnomalyResult;
import dev.aand.data.ImageLoader;
import dev.aand.report.Heatmaps;
import dev.aand.report.Png;
import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** One scored image as the predict endpoint returns it, with the optional overlay and mask PNGs. */
final class Predictions {
    private Predictions() {}

    /**
     * @param upload where the image came from (part name and file name for multipart)
     * @param picture the decoded image (for the overlay)
     * @param scored the result and the version that produced it
     * @param latencyNanos from the request's arrival to this result
     * @param heatmap add {@code heatmap_png}: the anomaly map over the image, at the image's size
     * @param mask add {@code mask_png}: the binary defect mask, at the image's size
     */
    static Map<String, Object> json(ImageUploads.Upload upload, BufferedImage picture, ModelWorker.Scored scored,
            long latencyNanos, boolean heatmap, boolean mask) {
        AnomalyResult r = scored.result();
        ServedModel m = scored.model();
        Map<String, Object> o = new LinkedHashMap<>();
        if (upload.part() != null) {
            o.put("part", upload.part());
            o.put("filename", upload.filename());
        }
        o.put("model", m.name);
        o.put("model_version", m.version);
        o.put("score", r.score());
        o.put("threshold", r.threshold());
        o.put("anomalous", r.anomalous());
        o.put("latency_ms", Math.round(latencyNanos / 1e4) / 100.0);
        o.put("width", r.inputWidth());
        o.put("height", r.inputHeight());
        if (heatmap) {
            ImageLoader.Decoded d = ImageLoader.fromImage(picture);
            float[] range = m.info.heatmapRange(r.threshold());
            AnomalyMap at = r.mapAtInput();
            o.put("heatmap_png", base64(Heatmaps.overlay(d.rgb(), d.width(), d.height(), at.values(), range[0], range[1])));
        }
        if (mask) {
            o.put("mask_png", base64(Heatmaps.mask(r.mask().values(), r.mask().width(), r.mask().height())));
        }
        return o;
    }

    private static String base64(BufferedImage img) {
        return Base64.getEncoder().encodeToString(Png.bytes(img));
    }
}
