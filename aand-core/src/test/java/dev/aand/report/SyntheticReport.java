package dev.aand.report;

import dev.aand.metrics.Evaluation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds a small synthetic {@link ReportData}: textured 64x64 "parts", dark blobs as defects,
 * anomaly maps peaking at the blobs. One normal image gets a hot spot (a false alarm) and one
 * defect is faint (a miss), so both error badges appear.
 */
final class SyntheticReport {
    static final int S = 64;

    private SyntheticReport() {}

    static ReportData build(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        String[] types = {"good", "good", "good", "scratch", "scratch", "hole"};
        String[] paths = {
            "test/good/000.png", "test/good/001.png", "test/good/002 <odd> & \"quoted\".png",
            "test/scratch/000.png", "test/scratch/001.png", "test/hole/000.png"};
        double threshold = 0.5;
        List<ReportData.ImageEntry> images = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            boolean anomalous = !types[i].equals("good");
            float[] rgb = part(rnd);
            float[] map = new float[S * S];
            for (int p = 0; p < map.length; p++) {
                map[p] = (float) (0.05 + 0.08 * rnd.nextDouble());
            }
            boolean[] gt = anomalous ? new boolean[S * S] : null;
            double cx = 16 + rnd.nextDouble() * 32;
            double cy = 16 + rnd.nextDouble() * 32;
            double radius = 5 + rnd.nextDouble() * 5;
            // Image 4 is the faint defect (missed), image 1 the normal one with a hot spot.
            double peak = i == 4 ? 0.35 : anomalous ? 0.6 + 0.35 * rnd.nextDouble() : i == 1 ? 0.7 : 0.0;
            for (int y = 0; y < S; y++) {
                for (int x = 0; x < S; x++) {
                    double d = Math.hypot(x - cx, y - cy);
                    int p = y * S + x;
                    map[p] += (float) (peak * Math.exp(-(d * d) / (2 * radius * radius)));
                    if (anomalous && d <= radius) {
                        gt[p] = true;
                        for (int c = 0; c < 3; c++) {
                            rgb[c * S * S + p] *= 0.35f;
                        }
                    }
                }
            }
            double score = 0;
            for (float v : map) {
                score = Math.max(score, v);
            }
            images.add(new ReportData.ImageEntry(paths[i], types[i], anomalous, score, threshold, rgb, map, gt, S));
        }

        double[] scores = images.stream().mapToDouble(ReportData.ImageEntry::score).toArray();
        boolean[] labels = new boolean[images.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = images.get(i).anomalous();
        }
        ReportData.Curve imageRoc = roc(scores, labels);
        List<Double> px = new ArrayList<>();
        List<Boolean> pl = new ArrayList<>();
        for (ReportData.ImageEntry e : images) {
            for (int p = 0; p < S * S; p += 3) {
                px.add((double) e.map()[p]);
                pl.add(e.gt() != null && e.gt()[p]);
            }
        }
        boolean[] pixelLabels = new boolean[pl.size()];
        for (int i = 0; i < pixelLabels.length; i++) {
            pixelLabels[i] = pl.get(i);
        }
        ReportData.Curve pixelRoc = roc(px.stream().mapToDouble(Double::doubleValue).toArray(), pixelLabels);
        double[] fpr = new double[101];
        double[] pro = new double[101];
        for (int i = 0; i <= 100; i++) {
            fpr[i] = i / 100.0;
            pro[i] = 1 - Math.exp(-12 * fpr[i]);
        }

        Map<String, String> model = new LinkedHashMap<>();
        model.put("method", "AAND");
        model.put("backbone", "wide_resnet50_2");
        model.put("image size", "256");
        model.put("epochs", "10");
        model.put("seed", Long.toString(seed));
        Evaluation.Summary metrics = new Evaluation.Summary(0.98712, 0.95349, 0.91234, 0.8, threshold, 6, 3);
        Map<String, Evaluation.Summary> defects = new LinkedHashMap<>();
        defects.put("scratch", new Evaluation.Summary(0.83333, 0.96, 0.9, Double.NaN, Double.NaN, 2, 1));
        defects.put("hole", new Evaluation.Summary(1.0, 0.97, Double.NaN, Double.NaN, Double.NaN, 1, 1));
        return new ReportData("synthetic", "widget", model, metrics, defects,
                new ReportData.Curves(imageRoc, pixelRoc, new ReportData.Curve(fpr, pro)), images);
    }

    // A round grey-brown part with a faint stripe texture on a dark background.
    private static float[] part(SplittableRandom rnd) {
        float[] rgb = new float[3 * S * S];
        double phase = rnd.nextDouble() * Math.PI;
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                double d = Math.hypot(x - S / 2.0, y - S / 2.0);
                double inside = d < S * 0.45 ? 1 : 0;
                double tex = 0.85 + 0.15 * Math.sin(x * 0.6 + phase);
                int p = y * S + x;
                rgb[p] = (float) (30 + inside * 170 * tex);
                rgb[S * S + p] = (float) (30 + inside * 150 * tex);
                rgb[2 * S * S + p] = (float) (35 + inside * 120 * tex);
            }
        }
        return rgb;
    }

    // ROC by sweeping the threshold over the sorted scores (ties handled as one step).
    static ReportData.Curve roc(double[] scores, boolean[] labels) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        int pos = 0;
        for (boolean l : labels) {
            pos += l ? 1 : 0;
        }
        int neg = labels.length - pos;
        List<double[]> pts = new ArrayList<>();
        pts.add(new double[] {0, 0});
        int tp = 0;
        int fp = 0;
        for (int k = 0; k < order.length; k++) {
            if (labels[order[k]]) {
                tp++;
            } else {
                fp++;
            }
            if (k == order.length - 1 || scores[order[k + 1]] != scores[order[k]]) {
                pts.add(new double[] {fp / (double) Math.max(1, neg), tp / (double) Math.max(1, pos)});
            }
        }
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = pts.get(i)[0];
            y[i] = pts.get(i)[1];
        }
        return new ReportData.Curve(x, y);
    }
}
