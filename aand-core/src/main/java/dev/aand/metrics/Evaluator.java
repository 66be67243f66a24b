package dev.aand.metrics;

import dev.aand.data.AnomalyDataset;
import dev.aand.data.Preprocessing;
import dev.aand.data.MaskLoader;
import dev.aand.data.Sample;
import dev.aand.infer.Inferencer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Scores a dataset's test split and computes the metrics: image AUROC and F1-max over all test
 * images, pixel AUROC and AUPRO over every pixel of the images that have ground truth, and the
 * same per defect type (that type's images plus all good ones, the MVTec convention). Images are
 * decoded and scored a chunk at a time, so memory holds the metric accumulators, not the maps.
 */
public final class Evaluator {
    private final Scorer scorer;
    private final int size;
    private final int chunk;
    private final Preprocessing preprocessing;

    /** Turns decoded images into maps and scores ({@link Inferencer#score} in production). */
    public interface Scorer {
        Inferencer.Result score(List<float[]> images);
    }

    /** Receives every scored image, e.g. to save its map or put it in a report. */
    public interface ImageSink {
        void accept(Sample sample, float[] rgb, float[] map, boolean[] mask, double score);
    }

    /** Progress as (images done, images total). */
    public interface Progress {
        void update(int done, int total);
    }

    public Evaluator(Scorer scorer, int imageSize, int chunk) {
        this(scorer, imageSize, chunk, Preprocessing.AAND);
    }

    /** @param preprocessing how image files become input, as the scored model expects */
    public Evaluator(Scorer scorer, int imageSize, int chunk, Preprocessing preprocessing) {
        this.scorer = scorer;
        this.size = imageSize;
        this.chunk = chunk;
        this.preprocessing = preprocessing;
    }

    public Evaluation evaluate(AnomalyDataset data, ImageSink sink, Progress progress) {
        List<Sample> test = data.test();
        if (test.isEmpty()) {
            throw new IllegalArgumentException("the test split of " + data.category() + " is empty");
        }
        TreeSet<String> defects = new TreeSet<>();
        test.stream().filter(Sample::anomalous).forEach(s -> defects.add(s.defectType()));
        PixelMetrics all = new PixelMetrics();
        Map<String, PixelMetrics> perDefect = new LinkedHashMap<>();
        defects.forEach(d -> perDefect.put(d, new PixelMetrics()));
        List<Evaluation.ImageScore> scores = new ArrayList<>();
        List<String> withoutMask = new ArrayList<>();
        int pixels = size * size;
        for (int from = 0; from < test.size(); from += chunk) {
            List<Sample> part = test.subList(from, Math.min(test.size(), from + chunk));
            List<float[]> images = part.parallelStream().map(s -> preprocessing.load(s.image(), size)).toList();
            List<boolean[]> masks = part.parallelStream()
                    .map(s -> s.mask() == null ? null : MaskLoader.load(s.mask(), s.image(), size)).toList();
            Inferencer.Result r = scorer.score(images);
            for (int i = 0; i < part.size(); i++) {
                Sample s = part.get(i);
                boolean[] mask = s.anomalous() ? masks.get(i) : new boolean[pixels];
                if (mask != null) {
                    all.add(r.maps()[i], mask, size, size);
                    for (Map.Entry<String, PixelMetrics> e : perDefect.entrySet()) {
                        if (!s.anomalous() || e.getKey().equals(s.defectType())) {
                            e.getValue().add(r.maps()[i], mask, size, size);
                        }
                    }
                } else {
                    withoutMask.add(s.image().toString());
                }
                scores.add(new Evaluation.ImageScore(s.image().toString(), s.defectType(), s.anomalous(), r.scores()[i]));
                if (sink != null) {
                    sink.accept(s, images.get(i), r.maps()[i], mask, r.scores()[i]);
                }
            }
            if (progress != null) {
                progress.update(Math.min(test.size(), from + chunk), test.size());
            }
        }
        Evaluation.Summary overall = summary(scores, all, null);
        Map<String, Evaluation.Summary> byDefect = new LinkedHashMap<>();
        perDefect.forEach((d, pm) -> byDefect.put(d, summary(scores, pm, d)));
        double[] sc = scores.stream().mapToDouble(Evaluation.ImageScore::score).toArray();
        boolean[] lb = labels(scores);
        RocCurve imageRoc = hasBoth(lb) ? RocCurve.of(sc, lb) : null;
        boolean pixelsDefined = all.anomalousPixelCount() > 0 && all.normalPixelCount() > 0;
        return new Evaluation(overall, byDefect, scores, imageRoc,
                pixelsDefined ? all.rocCurve(PixelMetrics.DISPLAY_POINTS) : null,
                pixelsDefined ? all.proCurve(Evaluation.AUPRO_FPR, PixelMetrics.DISPLAY_POINTS) : null, withoutMask);
    }

    /** Metrics over all good images plus the anomalous ones of {@code defect} (all when null). */
    private static Evaluation.Summary summary(List<Evaluation.ImageScore> all, PixelMetrics pm, String defect) {
        List<Evaluation.ImageScore> subset = all.stream()
                .filter(s -> !s.anomalous() || defect == null || defect.equals(s.defectType())).toList();
        double[] sc = subset.stream().mapToDouble(Evaluation.ImageScore::score).toArray();
        boolean[] lb = labels(subset);
        ImageMetrics im = ImageMetrics.of(sc, lb);
        boolean pixelsDefined = pm.anomalousPixelCount() > 0 && pm.normalPixelCount() > 0;
        int anomalous = 0;
        for (boolean b : lb) {
            anomalous += b ? 1 : 0;
        }
        return new Evaluation.Summary(im.auroc(), pixelsDefined ? pm.pixelAuroc() : Double.NaN,
                pixelsDefined ? pm.aupro(Evaluation.AUPRO_FPR) : Double.NaN, im.f1Max(), im.threshold(),
                subset.size(), anomalous);
    }

    private static boolean[] labels(List<Evaluation.ImageScore> s) {
        boolean[] lb = new boolean[s.size()];
        for (int i = 0; i < lb.length; i++) {
            lb[i] = s.get(i).anomalous();
        }
        return lb;
    }

    private static boolean hasBoth(boolean[] lb) {
        boolean pos = false;
        boolean neg = false;
        for (boolean b : lb) {
            pos |= b;
            neg |= !b;
        }
        return pos && neg;
    }
}
