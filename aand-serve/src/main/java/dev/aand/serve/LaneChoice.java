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
 * {@code --lanes auto}: the most lanes whose lone image still meets the latency a lone request
 * should get, the whole engine's time for it x 1.2 + 10 ms (the service's target against
 * {@code bench --batch-size 1}). More lanes serve more images under load on few cores (see
 * {@link EngineThreads}), but each lane has fewer threads for a lone image. Measured on the
 * 2-core machine: a 64 px cookie model scores a lone image on one thread about as fast as on two,
 * so two lanes cost nothing there; a 256 px one took 40% longer, so it keeps one lane.
 *
 * <p>Each model is timed on a grey image at its size, at every candidate thread count (median of
 * {@link #RUNS} after {@link #WARMUP}), on a thread of its own; every model must meet the target.
 */
final class LaneChoice {
    static final double SLOWDOWN = 1.2;
    static final double SLACK_MS = 10;
    static final int WARMUP = 2;
    static final int RUNS = 5;

    /** The lanes chosen and the median lone-image times behind the choice, per model and thread count. */
    record Result(int lanes, Map<String, Map<Integer, Double>> medianMs) {
        String describe(int budget) {
            StringBuilder b = new StringBuilder("lanes: auto chose " + lanes + " of " + budget + " engine threads ("
                    + (lanes == 1 ? "one lane" : budget / lanes + " thread(s) each") + "); lone-image ms by threads:");
            medianMs.forEach((model, ms) -> {
                b.append(' ').append(model);
                ms.forEach((t, v) -> b.append(String.format(Locale.ROOT, " %d:%.1f", t, v)));
                b.append(';');
            });
            b.setLength(b.length() - 1);
            return b.append(" (a lane's time must stay within ").append(SLOWDOWN).append(" x all threads + ")
                    .append((int) SLACK_MS).append(" ms)").toString();
        }
    }

    private LaneChoice() {}

    /**
     * The rule: the largest lane count that divides the budget and whose share of threads scores a
     * lone image within {@code SLOWDOWN x ms(budget) + SLACK_MS}; 1 when none does.
     *
     * @param msOnThreads lone-image milliseconds on a given number of threads
     */
    static int choose(int budget, IntToDoubleFunction msOnThreads) {
        double limit = SLOWDOWN * msOnThreads.applyAsDouble(budget) + SLACK_MS;
        for (int lanes = budget; lanes >= 2; lanes--) {
            if (budget % lanes == 0 && msOnThreads.applyAsDouble(budget / lanes) <= limit) {
                return lanes;
            }
        }
        return 1;
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
            m = ServedModel.load(name, dir);
        } catch (RuntimeException e) {
            throw ModelRegistry.notLoaded(name, dir, e);
        }
        Predictor<PreparedImage, AnomalyResult> p = m.borrowPredictor();
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
            m.giveBack(p);
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
