package dev.aand.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aand.config.AandConfig;
import dev.aand.engine.StageClock;
import dev.aand.io.HaltPoint;
import dev.aand.model.AandModel;
import dev.aand.model.ResidualAnomalyAmplifier;
import dev.aand.synth.Seeds;
import dev.aand.synth.SyntheticBatchLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Stage 1, anomaly amplification (paper Sec. III-B): on synthetic anomalies, train each level's
 * RAA module so that its gate finds the anomalous positions (focal loss) and its residual pushes
 * them away from normal features (amplification loss, Eq. 7-8). Only RAA parameters change; the
 * teacher runs outside the gradient tape.
 */
public final class Stage1Trainer {
    public static final String STAGE = "stage1";
    /** Seed stream of the amplification loss's position sampling. */
    private static final long POSITIONS = 0x5A17L;

    private final AandModel model;
    private final AandConfig config;
    private final TrainingListener listener;
    private final Stage1Loss objective;

    public Stage1Trainer(AandModel model, TrainingListener listener) {
        this.model = model;
        this.config = model.config();
        this.listener = listener;
        this.objective = new Stage1Loss(config);
    }

    public List<EpochLog> train(SyntheticBatchLoader loader, NDManager manager) {
        return train(loader, manager, StageProgress.FRESH);
    }

    /** Trains the epochs after {@code progress.epochsDone()}; returns their logs. */
    public List<EpochLog> train(SyntheticBatchLoader loader, NDManager manager, StageProgress progress) {
        // The frozen networks run as stored (see Stage2Trainer on the prepared path in training).
        model.dropInference();
        List<ResidualAnomalyAmplifier> raa = model.amplifiers();
        Map<String, NDArray> params = new LinkedHashMap<>();
        for (int i = 0; i < raa.size(); i++) {
            int level = i;
            raa.get(i).parameters().forEach((k, v) -> params.put(level + "." + k, v));
        }
        List<EpochLog> logs = new ArrayList<>();
        int epochs = config.stage1Epochs();
        int size = config.imageSize();
        Engine engine = manager.getEngine();
        StageClock clock = listener.stageClock(STAGE);
        try (Adam adam = new Adam(params, config.learningRate(), config.beta1(), config.beta2())) {
            if (progress.optimizer() != null) {
                adam.restore(progress.optimizer());
            }
            for (int epoch = progress.epochsDone(); epoch < epochs; epoch++) {
                // Positions for the amplification loss come from a stream of (seed, epoch), so a
                // run resumed at this epoch draws what an uninterrupted one would.
                SplittableRandom rng = new SplittableRandom(Seeds.derive(config.seed(), POSITIONS, epoch));
                double lr = config.learningRateAt(epoch, epochs);
                adam.setLearningRate(lr);
                LossMeter meter = new LossMeter();
                long start = System.nanoTime();
                int seen = 0;
                int steps = loader.batchesPerEpoch();
                int step = 0;
                try (SyntheticBatchLoader.Epoch batches = loader.epoch(epoch)) {
                    while (batches.hasNext()) {
                        clock.start();
                        SyntheticBatchLoader.Batch b = batches.next();
                        clock.lap("data");
                        long t0 = System.nanoTime();
                        Map<String, Double> terms;
                        try (NDScope scope = new NDScope()) {
                            NDArray images = manager.create(b.images(), new Shape(b.size(), 3, size, size));
                            NDArray masks = manager.create(b.masks(), new Shape(b.size(), 1, size, size));
                            NDArray fg = manager.create(b.foregrounds(), new Shape(b.size(), 1, size, size));
                            NDList features = model.teacherFeatures(images);
                            clock.lap("teacher");
                            boolean stepped;
                            try (GradientCollector gc = engine.newGradientCollector()) {
                                StepLoss loss = loss(raa, features, masks, fg, rng);
                                terms = loss.terms();
                                clock.lap("raa+loss");
                                // Without a gate, a batch whose synthetic masks vanish at every
                                // level has no loss term at all: nothing to learn from it.
                                stepped = loss.total != null;
                                if (stepped) {
                                    gc.backward(loss.total);
                                }
                            }
                            clock.lap("backward");
                            if (stepped) {
                                adam.step();
                            }
                            clock.lap("optimizer");
                        }
                        seen += b.size();
                        step++;
                        meter.add(terms);
                        double ips = b.size() / ((System.nanoTime() - t0) / 1e9);
                        listener.onStep(STAGE, epoch, epochs, step, steps, terms, ips);
                        HaltPoint.reach(STAGE, epoch, step);
                    }
                }
                EpochLog log = new EpochLog(STAGE, epoch, meter.means(), lr, (System.nanoTime() - start) / 1e9, seen);
                logs.add(log);
                listener.onEpoch(log);
                progress.epochEnded(log, adam);
            }
        }
        return logs;
    }

    private record StepLoss(NDArray total, double focal, double amplification) {
        Map<String, Double> terms() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("loss", total == null ? 0.0 : total.getFloat());
            m.put("focal", focal);
            m.put("amp", amplification);
            return m;
        }
    }

    /** Eq. 9 summed over the levels. */
    private StepLoss loss(List<ResidualAnomalyAmplifier> raa, NDList features, NDArray masks, NDArray fg,
            SplittableRandom rng) {
        NDArray total = null;
        double focalSum = 0;
        double ampSum = 0;
        for (int k = 0; k < raa.size(); k++) {
            Stage1Loss.Level level = objective.level(raa.get(k), features.get(k), masks, fg, rng);
            if (level.amplification() != null) {
                ampSum += level.amplification().getFloat();
            }
            if (level.focal() != null) {
                focalSum += level.focal().getFloat();
            }
            if (level.total() != null) {
                total = plus(total, level.total());
            }
        }
        return new StepLoss(total, focalSum, ampSum);
    }

    private static NDArray plus(NDArray sum, NDArray term) {
        return sum == null ? term : sum.add(term);
    }
}
