package dev.aand.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aand.engine.OfflineEngine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Forward-time benchmark of every backbone (normalise + three taps) at 256x256, batch 1 and 8.
 * Prints one JSON object per line. ResNets use seeded random weights, which cost the same time as
 * pretrained ones. Usage: {@code BackboneBench [name ...]} (default: all).
 */
public final class BackboneBench {
    private static final int SIZE = 256;
    private static final int WARMUP = 3;
    private static final int RUNS = 7;

    private BackboneBench() {}

    public static void main(String[] args) {
        OfflineEngine.get();
        List<String> names = args.length == 0 ? Backbones.NAMES : Arrays.asList(args);
        for (String name : names) {
            try (NDManager m = NDManager.newBaseManager()) {
                Backbone b = Backbones.create(name, null, m, 0);
                for (int batch : new int[] {1, 8}) {
                    System.out.println(measure(b, m, batch));
                }
            }
        }
    }

    private static String measure(Backbone b, NDManager m, int batch) {
        NDArray img = m.randomUniform(0, 255, new Shape(batch, 3, SIZE, SIZE));
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < WARMUP + RUNS; i++) {
            try (NDManager step = m.newSubManager()) {
                NDArray x = img.duplicate();
                x.attach(step);
                long t0 = System.nanoTime();
                NDList out = b.features(b.normalize(x));
                out.forEach(NDArray::toFloatArray); // forces the computation to finish
                long t1 = System.nanoTime();
                if (i >= WARMUP) {
                    times.add((t1 - t0) / 1e6);
                }
            }
        }
        times.sort(Double::compare);
        double median = times.get(times.size() / 2);
        // On a shared machine the minimum is the better estimate of the uncontended cost.
        double min = times.get(0);
        return String.format(Locale.ROOT,
                "{\"backbone\":\"%s\",\"size\":%d,\"batch\":%d,\"median_ms\":%.1f,\"min_ms\":%.1f,"
                        + "\"median_ms_per_image\":%.1f,"
                        + "\"runs\":%d,\"params\":%d,\"threads\":%s,\"weights\":\"%s\"}",
                b.name(), SIZE, batch, median, min, median / batch, RUNS, b.module().parameterCount(),
                System.getenv().getOrDefault("OMP_NUM_THREADS", "default"),
                b instanceof MobileNetV1 ? "imagenet" : "random");
    }
}
