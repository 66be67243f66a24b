package dev.aand.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.aand.engine.ProcessMemory;
import dev.aand.engine.StageClock;
import dev.aand.engine.StageProfile;
import dev.aand.nn.InferenceFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times inference on a fixed random batch: warm-up runs, then timed runs, latency statistics,
 * and optionally the per-stage profile and an interleaved comparison against another inferencer
 * (e.g. {@link Inferencer#unprepared}) so that both see the same machine load.
 */
public final class InferenceBenchmark {
    private InferenceBenchmark() {}

    /**
     * @param batchSize images per run
     * @param warmup untimed runs first
     * @param iterations timed runs
     * @param teacherOnly time normalisation and the teacher's three levels only
     * @param profile also record the stages (teacher, raa, bottleneck, decoder, map, readback)
     */
    public record Options(int batchSize, int warmup, int iterations, boolean teacherOnly, boolean profile) {
        public Options {
            if (batchSize < 1 || warmup < 0 || iterations < 1) {
                throw new IllegalArgumentException("batch size and iterations must be >= 1 and warm-up >= 0");
            }
        }
    }

    /**
     * @param subject what is measured
     * @param reference measured in alternation with {@code subject}, or null
     * @return JSON-friendly results: latency (ms per batch), images per second, profile, reference
     */
    public static Map<String, Object> run(Inferencer subject, Inferencer reference, NDManager manager,
            Options o) {
        int s = subject.model().config().imageSize();
        float[] data = new float[o.batchSize() * 3 * s * s];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (r.nextDouble() * 255);
        }
        List<Double> subjectMs = new ArrayList<>();
        List<Double> referenceMs = new ArrayList<>();
        StageProfile profile = new StageProfile();
        try (NDScope scope = new NDScope()) {
            NDArray x = manager.create(data, new Shape(o.batchSize(), 3, s, s));
            for (int i = 0; i < o.warmup() + o.iterations(); i++) {
                boolean timed = i >= o.warmup();
                profile.recording(timed);
                double ms = once(subject, x, o.teacherOnly(), o.profile() ? profile : StageClock.NONE);
                if (timed) {
                    subjectMs.add(ms);
                }
                if (reference != null) {
                    double refMs = once(reference, x, o.teacherOnly(), StageClock.NONE);
                    if (timed) {
                        referenceMs.add(refMs);
                    }
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("latency_ms", latency(subjectMs));
        double median = median(subjectMs);
        out.put("images_per_second", round(o.batchSize() * 1000.0 / median));
        out.put("ms_per_image", round(median / o.batchSize()));
        if (o.profile()) {
            out.put("profile", profile.summary());
        }
        if (reference != null) {
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("what", describe(reference.format()));
            ref.put("latency_ms", latency(referenceMs));
            ref.put("ms_per_image", round(median(referenceMs) / o.batchSize()));
            ref.put("speedup", round(median(referenceMs) / median));
            out.put("interleaved_reference", ref);
        }
        out.put("memory", ProcessMemory.now().toMap());
        return out;
    }

    /** "fp32 channels-last, BatchNorm folded" or "fp32 NCHW, BatchNorm as stored (unprepared)". */
    public static String describe(InferenceFormat f) {
        return f == null ? "fp32 NCHW, BatchNorm as stored (unprepared)"
                : f.precision().id() + (f.channelsLast() ? " channels-last" : " NCHW") + ", BatchNorm folded";
    }

    private static double once(Inferencer inf, NDArray x, boolean teacherOnly, StageClock clock) {
        long t0 = System.nanoTime();
        clock.start();
        try (NDScope scope = new NDScope(); NoGrad g = NoGrad.enter()) {
            if (teacherOnly) {
                NDList levels = inf.model().teacherFeatures(x);
                clock.lap("teacher");
                // Reading a value back makes the engine finish (a GPU runs asynchronously).
                InferenceFormat f = inf.format();
                NDArray last = levels.get(levels.size() - 1).sum();
                (f == null ? last : f.toFloat32(last)).getFloat();
            } else {
                inf.mapsOf(x, clock).toFloatArray();
            }
            clock.lap("readback");
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static Map<String, Object> latency(List<Double> ms) {
        double[] v = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", round(median(ms)));
        m.put("p90", round(percentile(v, 0.9)));
        m.put("p99", round(percentile(v, 0.99)));
        m.put("min", round(v[0]));
        m.put("max", round(v[v.length - 1]));
        m.put("runs", v.length);
        return m;
    }

    /** Nearest rank: the smallest value with at least {@code q} of the sorted values at or below it. */
    private static double percentile(double[] sorted, double q) {
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1))];
    }

    /** The median of {@code ms} (the mean of the middle two for an even count). */
    public static double median(List<Double> ms) {
        double[] v = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
