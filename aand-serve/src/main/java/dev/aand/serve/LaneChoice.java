package dev.aand.serve;

import ai.djl.inference.Predictor;
import ai.djl.pytorch.jni.JniUtils;
import dev.aand.api.AnomalyResult;
import dev.aand.api.PreparedImage;
import dev.aand.engine.OfflineEngine;
import dev.aand.infer.InferenceBenchmark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntSupplier;
import java.util.function.IntToDoubleFunction;

/**
 * {@code --lanes auto}: the lane count that scores the most images per second when every lane is
 * busy, judged by how fast one lane's share of threads scores a lone image. A lone request no
 * longer needs a lane with many threads: the solo lane scores it on the whole budget (see
 * {@link ModelWorker}). More lanes are taken only for at least {@link #GAIN} x the rate, since
 * below full load a lane with fewer threads scores its image more slowly. Measured on the 2-core
 * machine: a 64 px cookie model scores a lone image on one thread about as fast as on two (two
 * lanes: twice the rate); a 256 px one took 40% longer on one (two lanes: 1.4 x the rate).
 *
 * <p>Each model is timed on a grey image at its size, at every candidate thread count (median of
 * {@link #RUNS} after {@link #WARMUP}), on a thread of its own; the fewest lanes any model chose win.
 */
final class LaneChoice {
    static final double GAIN = 1.1;
    static final int WARMUP = 2;
    static final int RUNS = 5;

    /** The lanes chosen and the median lone-image times behind the choice, per model and thread count. */
    record Result(int lanes, Map<String, Map<Integer, Double>> medianMs) {
        String describe(int budget) {
            StringBuilder b = new StringBuilder("lanes: auto chose " + lanes + " of " + budget + " engine threads ("
                    + (lanes == 1 ? "one lane" : budget / lanes + " thread(s) each, and a solo lane on all " + budget
                            + " for lone images") + "); lone-image ms by threads:");
            medianMs.forEach((model, ms) -> {
                b.append(' ').append(model);
                ms.forEach((t, v) -> b.append(String.format(Locale.ROOT, " %d:%.1f", t, v)));
                b.append(';');
            });
            b.setLength(b.length() - 1);
            return b.append(" (lanes / time on a lane's share, more lanes for at least ").append(GAIN)
                    .append(" x the images per second)").toString();
        }
    }

    private LaneChoice() {}

    /**
     * The rule: among lane counts that divide the budget, from one upwards, each next count is taken
     * when its lanes together score at least {@code GAIN} x the images per second of the count taken
     * so far ({@code lanes / ms(budget / lanes)}).
     *
     * @param msOnThreads lone-image milliseconds on a given number of threads
     */
    static int choose(int budget, IntToDoubleFunction msOnThreads) {
        int best = 1;
        double bestRate = 1 / msOnThreads.applyAsDouble(budget);
        for (int lanes = 2; lanes <= budget; lanes++) {
            if (budget % lanes == 0) {
                double rate = lanes / msOnThreads.applyAsDouble(budget / lanes);
                if (rate >= GAIN * bestRate) {
                    best = lanes;
                    bestRate = rate;
                }
            }
        }
        return best;
    }

    /** Times every model folder and applies {@link #choose} to each; the fewest lanes win. */
    static Result measure(List<Path> folders, int budget) {
        Map<String, Map<Integer, Double>> all = new TreeMap<>();
        int lanes = budget;
        for (Path dir : folders) {
            String name = dir.getFileName().toString();
            Map<Integer, Double> ms = new TreeMap<>();
            int chosen = onOwnThread(budget, () -> choose(budget, t -> ms.computeIfAbsent(t, n -> medianMs(name, dir, n))));
            lanes = Math.min(lanes, chosen);
            all.put(name, ms);
        }
        return new Result(lanes, all);
    }

    /**
     * The median lone-image time of the model in {@code dir} on {@code threads} threads (set as the
     * calling thread's count). The model is loaded afresh for each count: its convolutions are
     * prepared at the first image for the count of the thread that runs it, and a one-thread lane
     * on convolutions prepared for two took 3.5 times as long (256 px: 446 against 123 ms).
     */
    private static double medianMs(String name, Path dir, int threads) {
        OfflineEngine.setThreadsOfThisThread(threads);
        ServedModel m;
        try {
            m = ServedModel.load(name, dir, false);
        } catch (RuntimeException e) {
            throw ModelRegistry.notLoaded(name, dir, e);
        }
        Predictor<PreparedImage, AnomalyResult> p = m.borrowPredictor(false);
        try {
            PreparedImage image = m.prepare(m.plainGrey());
            List<Double> ms = new ArrayList<>(RUNS);
            for (int i = -WARMUP; i < RUNS; i++) {
                long t0 = System.nanoTime();
                p.batchPredict(List.of(image));
                if (i >= 0) {
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
            }
            return InferenceBenchmark.median(ms);
        } catch (Exception e) {
            throw new IllegalStateException("model '" + name + "' failed its timing run: " + e.getMessage(), e);
        } finally {
            m.giveBack(p, false);
            m.close();
        }
    }

    /**
     * Runs the timing on a thread of its own, so that no caller keeps a changed thread count, and
     * sets the count once more at its end: libtorch then empties its cache of prepared oneDNN
     * convolutions, which fit the thread count they were built for (see {@link EngineThreads}).
     */
    private static int onOwnThread(int budget, IntSupplier timing) {
        CompletableFuture<Integer> chosen = CompletableFuture.supplyAsync(() -> {
            try {
                return timing.getAsInt();
            } finally {
                JniUtils.setNumThreads(budget);
            }
        }, task -> new Thread(task, "aand-lane-timing").start());
        try {
            return chosen.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
