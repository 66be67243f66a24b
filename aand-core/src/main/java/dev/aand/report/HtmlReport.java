package dev.aand.report;

import dev.aand.metrics.Evaluation;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes a self-contained HTML inspection report ({@code index.html}: inline CSS, every image a
 * data URI, nothing fetched from anywhere) plus {@code roc.png} / {@code pro.png} for reuse.
 *
 * <p>The markup is kept well-formed XML (closed void elements, escaped text) so that tools and
 * tests can parse it with a plain XML parser.
 */
public final class HtmlReport {
    static {
        Headless.ensure();
    }

    /** Largest thumbnail side in pixels; keeps a report of a few hundred images in the MB range. */
    public static final int MAX_THUMB = 256;
    /** Colour of the ground-truth contour: magenta does not occur in the heatmap colormap. */
    public static final Color GT_COLOR = new Color(255, 0, 255);

    private static final int MIN_THUMB = 160;
    private static final int CHART_WIDTH = 400;
    private static final int CHART_HEIGHT = 300;
    private static final float JPEG_QUALITY = 0.85f;

    private HtmlReport() {}

    /**
     * Writes {@code index.html}, {@code roc.png}, {@code pro.png} (when a PRO curve exists) and
     * {@code scores.png} (score histogram, when there are images) into {@code reportDir},
     * creating it. Returns the path of {@code index.html}.
     */
    public static Path write(ReportData data, Path reportDir) throws IOException {
        Files.createDirectories(reportDir);
        BufferedImage roc = ReportCharts.roc(data.curves(), data.metrics());
        BufferedImage pro = ReportCharts.pro(data.curves(), data.metrics());
        Png.write(roc, reportDir.resolve("roc.png"));
        writeOrRemove(pro, reportDir.resolve("pro.png"));
        List<float[]> maps = new ArrayList<>();
        for (ReportData.ImageEntry e : data.images()) {
            maps.add(e.map());
        }
        HeatmapScale scale = HeatmapScale.fromPercentiles(
                maps, HeatmapScale.LOW_PERCENTILE, HeatmapScale.HIGH_PERCENTILE);
        ScoreFormat sf = scoreFormat(data);
        BufferedImage hist = data.images().isEmpty() ? null : ReportCharts.scoreHistogram(data.images(), sf);
        writeOrRemove(hist, reportDir.resolve("scores.png"));

        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>").append(esc("Inspection report: " + data.dataset() + " / " + data.category()))
                .append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        header(h, data);
        h.append("<main class=\"wrap\">\n");
        h.append("<div class=\"row\">\n");
        metricsTable(h, data, sf);
        defectTable(h, data);
        h.append("</div>\n");
        // The page embeds its own renderings: three charts fit one row at 400 px, and the 2x
        // pixel density keeps them sharp on high-density screens.
        CurvePlot proPlot = ReportCharts.proPlot(data.curves(), data.metrics());
        curves(h, embedChart(ReportCharts.rocPlot(data.curves(), data.metrics()), "ROC curve"),
                proPlot == null ? null : embedChart(proPlot, "PRO curve"),
                hist == null ? null : embedChart(ReportCharts.scoreHistogramPlot(data.images(), sf), "score histogram"));
        imageGrid(h, data, scale, sf);
        h.append("</main>\n</body>\n</html>\n");

        Path index = reportDir.resolve("index.html");
        Files.writeString(index, h, StandardCharsets.UTF_8);
        return index;
    }

    private static void header(StringBuilder h, ReportData d) {
        h.append("<header class=\"top\"><div class=\"wrap\">\n")
                .append("<div class=\"eyebrow\">Anomaly inspection report</div>\n")
                .append("<h1>").append(esc(d.dataset())).append(" <span class=\"sep\">/</span> ")
                .append(esc(d.category())).append("</h1>\n");
        if (!d.model().isEmpty()) {
            h.append("<dl class=\"model\">\n");
            for (Map.Entry<String, String> e : d.model().entrySet()) {
                h.append("<div><dt>").append(esc(e.getKey())).append("</dt><dd>")
                        .append(esc(e.getValue() == null ? "" : e.getValue())).append("</dd></div>\n");
            }
            h.append("</dl>\n");
        }
        h.append("</div></header>\n");
    }

    private static void metricsTable(StringBuilder h, ReportData d, ScoreFormat sf) {
        Evaluation.Summary m = d.metrics();
        int missed = 0;
        int falseAlarms = 0;
        for (ReportData.ImageEntry e : d.images()) {
            if (!e.correct()) {
                if (e.anomalous()) {
                    missed++;
                } else {
                    falseAlarms++;
                }
            }
        }
        h.append("<section class=\"panel metrics-panel\">\n<h2>Overall metrics</h2>\n")
                .append("<table class=\"kv\" id=\"metrics\"><tbody>\n");
        metricRow(h, "image_auroc", "Image AUROC", frac(m.imageAuroc()), true);
        metricRow(h, "pixel_auroc", "Pixel AUROC", frac(m.pixelAuroc()), true);
        metricRow(h, "pixel_aupro", "Pixel AUPRO (FPR \u2264 0.3)", frac(m.pixelAupro()), true);
        metricRow(h, "image_f1_max", "Image F1 (best threshold)", frac(m.imageF1Max()), true);
        metricRow(h, "image_threshold", "F1-max threshold (score)", sf.format(m.imageThreshold()), false);
        metricRow(h, "n_images", "Test images", Integer.toString(m.nImages()), false);
        metricRow(h, "n_anomalous", "Anomalous / normal",
                m.nAnomalous() + " / " + (m.nImages() - m.nAnomalous()), false);
        if (!d.images().isEmpty()) {
            metricRow(h, "errors", "Missed defects / false alarms", missed + " / " + falseAlarms, false);
        }
        h.append("</tbody></table>\n</section>\n");
    }

    private static void metricRow(StringBuilder h, String key, String label, String value, boolean headline) {
        h.append("<tr data-key=\"").append(key).append("\"><th>").append(esc(label)).append("</th><td")
                .append(headline ? " class=\"big\"" : "").append(">").append(esc(value)).append("</td></tr>\n");
    }

    private static void defectTable(StringBuilder h, ReportData d) {
        h.append("<section class=\"panel defects-panel\">\n<h2>Per defect type</h2>\n");
        if (d.defects().isEmpty()) {
            h.append("<p class=\"muted\">No per-defect metrics.</p>\n</section>\n");
            return;
        }
        h.append("<table class=\"grid\" id=\"defects\"><thead><tr><th>Defect type</th><th class=\"num\">Images</th>")
                .append("<th class=\"num\">Flagged</th><th class=\"num\">Image AUROC</th>")
                .append("<th class=\"num\">Pixel AUROC</th><th class=\"num\">Pixel AUPRO</th></tr></thead>\n<tbody>\n");
        for (Map.Entry<String, Evaluation.Summary> row : d.defects().entrySet()) {
            String type = row.getKey();
            Evaluation.Summary r = row.getValue();
            // "Flagged" is read off the image entries: how many of this type the threshold catches.
            int n = 0;
            int flagged = 0;
            for (ReportData.ImageEntry e : d.images()) {
                if (e.defectType().equals(type)) {
                    n++;
                    if (e.predictedAnomalous()) {
                        flagged++;
                    }
                }
            }
            h.append("<tr><td>").append(esc(type)).append("</td><td class=\"num\">").append(r.nImages())
                    .append("</td><td class=\"num\">").append(n == 0 ? "n/a" : flagged + " / " + n)
                    .append("</td><td class=\"num\">").append(frac(r.imageAuroc()))
                    .append("</td><td class=\"num\">").append(frac(r.pixelAuroc()))
                    .append("</td><td class=\"num\">").append(frac(r.pixelAupro())).append("</td></tr>\n");
        }
        normalRow(h, d);
        h.append("</tbody></table>\n</section>\n");
    }

    // The per-defect rows say how many defects are caught; this row says how many good parts are
    // rejected. Skipped when the caller already supplied a row for the normal images' type.
    private static void normalRow(StringBuilder h, ReportData d) {
        String type = null;
        int n = 0;
        int flagged = 0;
        for (ReportData.ImageEntry e : d.images()) {
            if (!e.anomalous()) {
                type = type == null ? e.defectType() : type;
                n++;
                flagged += e.predictedAnomalous() ? 1 : 0;
            }
        }
        if (n == 0) {
            return;
        }
        if (d.defects().containsKey(type)) {
            return;
        }
        h.append("<tr class=\"normal-row\"><td>").append(esc(type)).append(" <span class=\"muted\">(normal)</span>")
                .append("</td><td class=\"num\">").append(n).append("</td><td class=\"num\">").append(flagged)
                .append(" / ").append(n).append("</td><td class=\"num muted\" colspan=\"3\">")
                .append("flagged normal images are false alarms</td></tr>\n");
    }

    // A chart that does not apply this time must not leave last run's file behind.
    private static void writeOrRemove(BufferedImage img, Path file) throws IOException {
        if (img != null) {
            Png.write(img, file);
        } else {
            Files.deleteIfExists(file);
        }
    }

    // One format for every score on the page, sized by the largest score or threshold shown.
    private static ScoreFormat scoreFormat(ReportData d) {
        double[] v = new double[d.images().size() * 2 + 1];
        int i = 0;
        for (ReportData.ImageEntry e : d.images()) {
            v[i++] = e.score();
            v[i++] = e.threshold();
        }
        v[i] = d.metrics().imageThreshold();
        return ScoreFormat.forValues(v);
    }

    private static String embedChart(CurvePlot plot, String alt) {
        BufferedImage img = plot.render(CHART_WIDTH, CHART_HEIGHT, 2);
        return "<img src=\"" + Png.dataUri(img) + "\" width=\"" + CHART_WIDTH + "\" height=\"" + CHART_HEIGHT
                + "\" alt=\"" + esc(alt) + "\"/>\n";
    }

    private static void curves(StringBuilder h, String roc, String pro, String hist) {
        h.append("<section class=\"panel\">\n<h2>Curves</h2>\n<div class=\"curves\">\n").append(roc);
        if (pro != null) {
            h.append(pro);
        } else {
            h.append("<div class=\"placeholder\">No PRO curve in this report (it needs ground-truth masks).</div>\n");
        }
        if (hist != null) {
            h.append(hist);
        }
        h.append("</div>\n</section>\n");
    }

    private static void imageGrid(StringBuilder h, ReportData d, HeatmapScale scale, ScoreFormat sf) {
        List<ReportData.ImageEntry> sorted = new ArrayList<>(d.images());
        // Most anomalous first; NaN scores last; path breaks ties so the order is reproducible.
        sorted.sort(Comparator.<ReportData.ImageEntry>comparingDouble(
                        e -> Double.isNaN(e.score()) ? Double.NEGATIVE_INFINITY : e.score())
                .reversed()
                .thenComparing(ReportData.ImageEntry::displayPath));

        h.append("<section class=\"panel\">\n<h2>Test images <span class=\"muted\">(")
                .append(sorted.size()).append(", highest anomaly score first)</span></h2>\n");
        h.append("<div class=\"legend\">\n<div class=\"scale\"><img class=\"bar\" src=\"")
                .append(Png.dataUri(colorBar())).append("\" alt=\"colour scale\"/>")
                .append("<div class=\"ticks\"><span>").append(esc(sf.format(scale.vmin()))).append("</span><span>")
                .append(esc(sf.format((scale.vmin() + scale.vmax()) / 2.0))).append("</span><span>")
                .append(esc(sf.format(scale.vmax()))).append("</span></div></div>\n")
                .append("<p>All heatmaps share one colour scale: from the 1st to the 99.9th percentile of every ")
                .append("anomaly-map value in this report (").append(esc(sf.format(scale.vmin()))).append(" to ")
                .append(esc(sf.format(scale.vmax()))).append("), so equal colours mean equal scores across images. ")
                .append("<span class=\"gt-key\">Magenta outline</span> = ground-truth defect region. ")
                .append("Badges give the decision at the threshold: an image is flagged when score \u2265 threshold.</p>\n")
                .append("</div>\n");
        if (sorted.isEmpty()) {
            h.append("<p class=\"muted\">No test images.</p>\n</section>\n");
            return;
        }
        h.append("<div class=\"cards\">\n");
        int rank = 1;
        for (ReportData.ImageEntry e : sorted) {
            card(h, e, rank++, scale, sf);
        }
        h.append("</div>\n</section>\n");
    }

    private static void card(StringBuilder h, ReportData.ImageEntry e, int rank, HeatmapScale scale, ScoreFormat sf) {
        int t = thumbSize(e.size());
        int thickness = t >= 200 ? 2 : 1;
        BufferedImage photo = Heatmaps.scale(Heatmaps.rgbImage(e.rgb(), e.size()), t, t);
        BufferedImage heat = Heatmaps.scale(
                Heatmaps.overlay(e.rgb(), e.map(), e.size(), scale.vmin(), scale.vmax()), t, t);
        if (e.gt() != null) {
            photo = Heatmaps.maskOutline(photo, e.gt(), e.size(), GT_COLOR, thickness + 1);
            heat = Heatmaps.maskOutline(heat, e.gt(), e.size(), GT_COLOR, thickness);
        }
        boolean ok = e.correct();
        String badge = ok ? "Correct" : e.anomalous() ? "Missed defect" : "False alarm";
        String decision = e.predictedAnomalous() ? "flagged" : "passed";
        h.append("<article class=\"card ").append(ok ? "right" : "wrong").append("\" data-rank=\"").append(rank)
                .append("\" data-score=\"").append(e.score()).append("\" data-correct=\"").append(ok)
                .append("\">\n<div class=\"card-head\"><span class=\"rank\">#").append(rank)
                .append("</span><span class=\"badge ").append(ok ? "ok" : "bad").append("\">").append(badge)
                .append("</span><span class=\"score\">").append(esc(sf.format(e.score()))).append("</span></div>\n")
                .append("<div class=\"pair\">")
                .append("<figure><img src=\"").append(Jpeg.dataUri(photo, JPEG_QUALITY)).append("\" width=\"").append(t)
                .append("\" height=\"").append(t).append("\" alt=\"image\"/><figcaption>")
                .append(e.gt() != null ? "Image + ground truth" : e.anomalous() ? "Image (no mask)" : "Image")
                .append("</figcaption></figure>")
                .append("<figure><img src=\"").append(Jpeg.dataUri(heat, JPEG_QUALITY)).append("\" width=\"").append(t)
                .append("\" height=\"").append(t).append("\" alt=\"anomaly map\"/><figcaption>Anomaly map</figcaption></figure>")
                .append("</div>\n")
                .append("<div class=\"path\" title=\"").append(esc(e.displayPath())).append("\">")
                .append(esc(e.displayPath())).append("</div>\n")
                .append("<div class=\"meta\"><span class=\"label ").append(e.anomalous() ? "anom" : "norm").append("\">")
                .append(e.anomalous() ? "Anomalous" : "Normal").append("</span><span class=\"defect\">")
                .append(esc(e.defectType())).append("</span><span class=\"decision\">")
                .append(esc(sf.format(e.score()))).append(e.predictedAnomalous() ? " \u2265 " : " &lt; ")
                .append(esc(sf.format(e.threshold()))).append(" \u2192 ").append(decision).append("</span></div>\n")
                .append("</article>\n");
    }

    // Small inputs are upscaled so contours stay legible; large ones are capped to keep the page light.
    static int thumbSize(int size) {
        return Math.min(MAX_THUMB, Math.max(MIN_THUMB, size));
    }

    private static BufferedImage colorBar() {
        BufferedImage bar = new BufferedImage(256, 12, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 256; x++) {
            int c = Colormap.rgb(x / 255.0);
            for (int y = 0; y < 12; y++) {
                bar.setRGB(x, y, c);
            }
        }
        return bar;
    }

    /** A fraction with 3 decimals, or "n/a" for NaN. */
    static String frac(double v) {
        return ReportCharts.frac(v);
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    // Control characters are not allowed in HTML/XML text; show them as U+FFFD.
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    // No '<' or '&' in here: the document must stay well-formed XML.
    private static final String CSS = """
            :root { --ink:#1f2937; --muted:#6b7280; --line:#e5e7eb; --bg:#f3f4f6; --ok:#15803d; --bad:#b91c1c; }
            * { box-sizing: border-box; }
            body { margin:0; background:var(--bg); color:var(--ink);
                   font: 14px/1.45 "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
            .wrap { max-width: 1320px; margin: 0 auto; padding: 0 28px; }
            header.top { background:#111827; color:#f9fafb; padding: 22px 0 18px; margin-bottom: 22px; }
            .eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color:#9ca3af; }
            h1 { margin: 4px 0 12px; font-size: 26px; font-weight: 600; }
            h1 .sep { color:#6b7280; font-weight: 400; }
            dl.model { display:flex; flex-wrap:wrap; gap: 8px; margin:0; }
            dl.model > div { background:#1f2937; border:1px solid #374151; border-radius: 6px; padding: 4px 10px; }
            dl.model dt { display:inline; color:#9ca3af; font-size: 12px; margin-right: 6px; }
            dl.model dd { display:inline; margin:0; font-weight: 600; }
            h2 { font-size: 16px; margin: 0 0 12px; font-weight: 600; }
            h2 .muted { font-weight: 400; }
            .muted { color: var(--muted); }
            .row { display:flex; gap: 20px; align-items: stretch; }
            .panel { background:#fff; border:1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin-bottom: 20px; }
            .metrics-panel { flex: 0 0 400px; }
            .defects-panel { flex: 1 1 auto; }
            table { border-collapse: collapse; width: 100%; }
            table.kv th { text-align:left; font-weight: 400; color: var(--muted); padding: 5px 0; }
            table.kv td { text-align:right; font-variant-numeric: tabular-nums; padding: 5px 0; font-weight: 600; }
            table.kv td.big { font-size: 17px; }
            table.kv tr + tr { border-top: 1px solid var(--line); }
            table.grid th { text-align:left; font-size: 12px; color: var(--muted); font-weight: 600;
                            border-bottom: 2px solid var(--line); padding: 6px 8px; }
            table.grid td { padding: 6px 8px; border-bottom: 1px solid var(--line); }
            table.grid .num { text-align: right; font-variant-numeric: tabular-nums; }
            .curves { display:grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; }
            .curves img { display:block; border: 1px solid var(--line); border-radius: 6px; width: 100%; max-width: 480px;
                          height: auto; }
            .placeholder { display:flex; align-items:center; justify-content:center; text-align:center; padding: 20px;
                           border: 1px dashed #d1d5db; border-radius: 6px; color: var(--muted); aspect-ratio: 4 / 3; }
            .legend { display:flex; gap: 24px; align-items: center; margin-bottom: 16px; }
            .legend p { margin: 0; color: var(--muted); font-size: 13px; }
            .scale { flex: 0 0 260px; }
            .scale .bar { display:block; width: 260px; height: 14px; border-radius: 3px; }
            .scale .ticks { display:flex; justify-content: space-between; font-size: 12px; color: var(--muted);
                            font-variant-numeric: tabular-nums; }
            .gt-key { color: #c026d3; font-weight: 600; }
            .cards { display:grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 16px; }
            .card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: #fff; }
            .card.wrong { border-color: #fca5a5; box-shadow: inset 4px 0 0 var(--bad); }
            .card.right { box-shadow: inset 4px 0 0 var(--ok); }
            .card-head { display:flex; align-items: center; gap: 10px; margin-bottom: 8px; }
            .rank { color: var(--muted); font-weight: 600; }
            .badge { font-size: 12px; font-weight: 600; padding: 2px 8px; border-radius: 999px; }
            .badge.ok { background:#dcfce7; color: var(--ok); }
            .badge.bad { background:#fee2e2; color: var(--bad); }
            .card-head .score { margin-left: auto; font-weight: 700; font-variant-numeric: tabular-nums; }
            .pair { display:grid; grid-template-columns: 1fr 1fr; gap: 8px; }
            figure { margin: 0; }
            figure img { display:block; width: 100%; height: auto; border-radius: 4px; background: #000; }
            figcaption { font-size: 11px; color: var(--muted); margin-top: 3px; }
            .path { font: 12px/1.4 "DejaVu Sans Mono", Menlo, Consolas, monospace; margin-top: 8px;
                    white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
            .meta { display:flex; flex-wrap: wrap; gap: 6px 12px; font-size: 12px; margin-top: 4px; align-items: center; }
            .meta .label { font-weight: 600; }
            .meta .label.anom { color: var(--bad); }
            .meta .label.norm { color: var(--ok); }
            .meta .defect { color: var(--muted); }
            .meta .decision { margin-left: auto; color: var(--muted); font-variant-numeric: tabular-nums; }
            """;
}
