package dev.aand.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aand.config.AandConfig;
import dev.aand.data.Shuffle;
import dev.aand.engine.StageClock;
import dev.aand.io.HaltPoint;
import dev.aand.model.AandModel;
import dev.aand.model.AmplifiedFeature;
import dev.aand.model.ReverseDistillationNets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Stage 2, normality distillation (paper Sec. III-C): on normal images only, the student
 * (one-class bottleneck + decoder) learns to rebuild the advanced teacher's features. The
 * teacher and the RAA modules run outside the gradient tape, so only the student changes.
 */
public final class Stage2Trainer {
    public static final String STAGE = "stage2";

    private final AandModel model;
    private final AandConfig config;
    private final TrainingListener listener;
    private final DistillationLoss distillation;

    public Stage2Trainer(AandModel model, TrainingListener listener) {
        this.model = model;
        this.config = model.config();
        this.listener = listener;
        this.distillation = new DistillationLoss(config.method().hardDistillation(), config.hardTopK());
    }

    /** @param images normal training images, CHW RGB float[3*S*S] in [0,255] */
    public List<EpochLog> train(List<float[]> images, NDManager manager) {
        return train(images, manager, StageProgress.FRESH);
    }

    /** Trains the epochs after {@code progress.epochsDone()}; returns their logs. */
    public List<EpochLog> train(List<float[]> images, NDManager manager, StageProgress progress) {
        ReverseDistillationNets student = model.student();
        // The frozen teacher and RAA modules run as stored, not on the prepared inference path: a run
        // resumed at stage 2 on the prepared path came out different in 3 runs of 8 (a defect of
        // that path not yet found), and the same seed must give the same bytes.
        model.dropInference();
        student.train(true);
        Engine engine = manager.getEngine();
        int size = config.imageSize();
        int epochs = config.stage2Epochs();
        int n = images.size();
        int batch = Math.min(config.batchSize(), n);
        int steps = (n + batch - 1) / batch;
        List<EpochLog> logs = new ArrayList<>();
        StageClock clock = listener.stageClock(STAGE);
        try (Adam adam = new Adam(student.parameters(), config.learningRate(), config.beta1(), config.beta2())) {
            if (progress.optimizer() != null) {
                adam.restore(progress.optimizer());
            }
            for (int epoch = progress.epochsDone(); epoch < epochs; epoch++) {
                double lr = config.learningRateAt(epoch, epochs);
                adam.setLearningRate(lr);
                int[] order = Shuffle.permutation(n, new SplittableRandom(config.seed() * 1_000_003L + epoch));
                LossMeter meter = new LossMeter();
                long start = System.nanoTime();
                for (int step = 0; step < steps; step++) {
                    int from = step * batch;
                    int count = Math.min(batch, n - from);
                    if (count < 2 && n >= 2) {
                        // BatchNorm cannot train on one image; fold a lone remainder into this epoch's skip.
                        continue;
                    }
                    long t0 = System.nanoTime();
                    clock.start();
                    Map<String, Double> terms = new LinkedHashMap<>();
                    try (NDScope scope = new NDScope()) {
                        NDArray x = manager.create(Shuffle.gather(images, order, from, count),
                                new Shape(count, 3, size, size));
                        clock.lap("data");
                        NDList advanced = AandModel.advancedList(advance(x));
                        clock.lap("teacher+raa");
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDList rebuilt = student.forward(advanced);
                            clock.lap("student");
                            DistillationLoss.Terms loss = distillation.compute(advanced, rebuilt);
                            clock.lap("loss");
                            gc.backward(loss.total());
                            clock.lap("backward");
                            terms.put("loss", (double) loss.total().getFloat());
                            terms.put("kd", (double) loss.kd().getFloat());
                            if (loss.hkd() != null) {
                                terms.put("hkd", (double) loss.hkd().getFloat());
                            }
                        }
                        adam.step();
                        clock.lap("optimizer");
                    }
                    meter.add(terms);
                    listener.onStep(STAGE, epoch, epochs, step + 1, steps, terms,
                            count / ((System.nanoTime() - t0) / 1e9));
                    HaltPoint.reach(STAGE, epoch, step + 1);
                }
                EpochLog log = new EpochLog(STAGE, epoch, meter.means(), lr, (System.nanoTime() - start) / 1e9, n);
                logs.add(log);
                listener.onEpoch(log);
                progress.epochEnded(log, adam);
            }
        } finally {
            student.train(false);
        }
        return logs;
    }

    /** The frozen advanced teacher on a batch; its outputs carry no gradient history. */
    private List<AmplifiedFeature> advance(NDArray rgb255) {
        List<AmplifiedFeature> out = model.advance(model.teacherFeatures(rgb255));
        List<AmplifiedFeature> detached = new ArrayList<>(out.size());
        for (AmplifiedFeature a : out) {
            detached.add(new AmplifiedFeature(a.advanced().stopGradient(), a.anomalyWeight()));
        }
        return detached;
    }
}
