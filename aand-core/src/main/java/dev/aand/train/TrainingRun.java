package dev.aand.train;

import ai.djl.ndarray.NDManager;
import dev.aand.backbone.Backbone;
import dev.aand.backbone.Backbones;
import dev.aand.config.AandConfig;
import dev.aand.data.AnomalyDataset;
import dev.aand.data.ImageLoader;
import dev.aand.data.Sample;
import dev.aand.engine.OfflineEngine;
import dev.aand.engine.Reproducibility;
import dev.aand.infer.Inferencer;
import dev.aand.io.HaltPoint;
import dev.aand.io.Sha256;
import dev.aand.model.AandModel;
import dev.aand.model.ModelStore;
import dev.aand.model.Provenance;
import dev.aand.nn.InferenceFormat;
import dev.aand.nn.InitContext;
import dev.aand.synth.AnomalySynthesizer;
import dev.aand.synth.ForegroundMask;
import dev.aand.synth.ForegroundRule;
import dev.aand.synth.ForegroundRules;
import dev.aand.synth.SynthesisConfig;
import dev.aand.synth.SyntheticBatchLoader;
import dev.aand.synth.TextureBank;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A whole training run: decode the normal training images once, compute their foreground masks
 * once, stage 1 on synthetic anomalies, stage 2 on the normal images, a decision threshold from
 * held-back normal images, and the model directory. The test split is never read here. A
 * checkpoint after every epoch lets a crashed run resume ({@link TrainingCheckpoint}).
 */
public final class TrainingRun {
    private TrainingRun() {}

    /**
     * What a run produced.
     *
     * @param modelDir where the model was written
     * @param stage1 per-epoch stage-1 log (empty when the method has no stage 1)
     * @param stage2 per-epoch stage-2 log
     * @param gate gate precision/recall on fresh synthetic anomalies (null without stage 1)
     * @param info the scoring facts saved with the model
     */
    public record Outcome(Path modelDir, List<EpochLog> stage1, List<EpochLog> stage2, GateQuality gate,
            ModelStore.ModelInfo info) {}

    /** A fresh run; refuses to start over the checkpoint of an interrupted one. */
    public static Outcome run(AandConfig config, AnomalyDataset data, Path out, TrainingListener listener) {
        return run(config, data, out, listener, false);
    }

    /**
     * Trains and writes the model to {@code out}, saving a checkpoint beside it after every epoch
     * ({@link TrainingCheckpoint}); the checkpoint is removed once the model is written.
     *
     * @param resume continue from the checkpoint of an interrupted run with the same configuration
     *     and data; the model is then byte-identical to an uninterrupted run's
     */
    public static Outcome run(AandConfig config, AnomalyDataset data, Path out, TrainingListener listener,
            boolean resume) {
        config.validate();
        Path checkpoint = TrainingCheckpoint.beside(out);
        String fingerprint = TrainingCheckpoint.fingerprint(data);
        TrainingCheckpoint from = null;
        if (resume) {
            from = TrainingCheckpoint.resume(checkpoint, config, fingerprint);
        } else if (Files.exists(checkpoint)) {
            throw new IllegalArgumentException("an interrupted run left " + checkpoint
                    + ": resume it (--resume) or delete it to start over");
        }
        Reproducibility.warning().ifPresent(listener::onMessage);
        // Fail before hours of training, not at the threshold: the model's precision must run here.
        config.precision().requireSupported(OfflineEngine.get().defaultDevice());
        int size = config.imageSize();
        List<Sample> train = data.train();
        listener.onMessage("decoding " + train.size() + " training images at " + size + "x" + size);
        List<float[]> images = decode(train, size);
        ForegroundRule rule = "auto".equalsIgnoreCase(config.foreground())
                ? ForegroundRules.defaultFor(data.name(), data.category())
                : ForegroundRule.parse(config.foreground());
        listener.onMessage("foreground rule for " + data.category() + ": " + rule.format());
        List<float[]> foregrounds = images.parallelStream()
                .map(img -> ForegroundMask.compute(img, size, size, rule)).toList();

        try (NDManager manager = NDManager.newBaseManager();
                CheckpointWriter writer = new CheckpointWriter(checkpoint, config, fingerprint,
                        train.size() + data.validation().size(), listener)) {
            Backbone teacher = Backbones.create(config.backbone(),
                    config.weights() == null ? null : Path.of(config.weights()), manager, config.seed());
            AandModel model = new AandModel(teacher, config, new InitContext(manager, config.seed()));
            listener.onMessage(String.format("teacher %s, method %s, %,d trainable parameters", teacher.name(),
                    config.method(), model.parameterCount()));
            List<EpochLog> logs = new ArrayList<>();
            if (from != null) {
                from.restore(model, checkpoint);
                logs.addAll(from.logs());
                listener.onMessage("resuming from " + checkpoint + " after " + from.stage() + " epoch "
                        + from.epochsDone());
            }

            GateQuality gate = null;
            if (config.method().usesAmplification() && config.stage1Epochs() > 0) {
                TextureBank textures = config.textures() == null
                        ? TextureBank.defaults(size) : TextureBank.fromFolder(Path.of(config.textures()), size);
                AnomalySynthesizer synthesizer = new AnomalySynthesizer(textures, size, synthesis(config));
                StageProgress progress = progress(from, Stage1Trainer.STAGE, model, logs, writer);
                if (progress.epochsDone() < config.stage1Epochs()) {
                    try (SyntheticBatchLoader loader = new SyntheticBatchLoader(images, foregrounds, synthesizer,
                            Math.min(config.batchSize(), images.size()), config.seed(), config.synthesisThreads(),
                            false)) {
                        new Stage1Trainer(model, listener).train(loader, manager, progress);
                    }
                }
                gate = GateQuality.measure(model, synthesizer, images, foregrounds, 32, config.seed() + 1,
                        config.gateLabelThreshold(), manager);
                listener.onMessage(gate.toString());
            }
            if (model.hasStudent() && config.stage2Epochs() > 0) {
                new Stage2Trainer(model, listener).train(images, manager,
                        progress(from, Stage2Trainer.STAGE, model, logs, writer));
            }
            writer.finish();
            ModelStore.ModelInfo info = threshold(model, data, images, config, manager, listener);
            ModelStore.save(model, info, out);
            HaltPoint.reach("model-written");
            TrainingCheckpoint.delete(checkpoint);
            listener.onMessage("model written to " + out);
            return new Outcome(out, ofStage(logs, Stage1Trainer.STAGE), ofStage(logs, Stage2Trainer.STAGE), gate,
                    info);
        }
    }

    /**
     * A stage's start and per-epoch checkpoint. A stage-2 checkpoint means stage 1 is complete;
     * a stage-1 checkpoint means stage 2 has not begun.
     */
    private static StageProgress progress(TrainingCheckpoint from, String stage, AandModel model,
            List<EpochLog> logs, CheckpointWriter writer) {
        boolean same = from != null && from.stage().equals(stage);
        boolean stage1Over = from != null && stage.equals(Stage1Trainer.STAGE) && !same;
        int done = same ? from.epochsDone() : stage1Over ? model.config().stage1Epochs() : 0;
        Adam.State optimizer = same ? from.optimizer() : null;
        return new StageProgress() {
            @Override
            public int epochsDone() {
                return done;
            }

            @Override
            public Adam.State optimizer() {
                return optimizer;
            }

            @Override
            public void epochEnded(EpochLog log, Adam adam) {
                logs.add(log);
                writer.save(log, model, adam, logs);
            }
        };
    }

    private static List<EpochLog> ofStage(List<EpochLog> logs, String stage) {
        return logs.stream().filter(l -> l.stage().equals(stage)).toList();
    }

    static SynthesisConfig synthesis(AandConfig c) {
        SynthesisConfig d = SynthesisConfig.defaults();
        return new SynthesisConfig(c.normalProbability(), c.blendBetaMax(), d.perlinMinScaleExp(),
                d.perlinMaxScaleExp(), d.threshold(), d.maxTries(), d.minPixels());
    }

    /** Decodes images in parallel; order is preserved. */
    public static List<float[]> decode(List<Sample> samples, int size) {
        return samples.parallelStream().map(s -> ImageLoader.load(s.image(), size)).toList();
    }

    /**
     * The decision threshold: a high quantile of normal scores on held-back validation images, or
     * on the training images when none were held back (then it is optimistic, and says so).
     */
    private static ModelStore.ModelInfo threshold(AandModel model, AnomalyDataset data, List<float[]> trainImages,
            AandConfig config, NDManager manager, TrainingListener listener) {
        List<Sample> validation = data.validation();
        List<float[]> normals = validation.isEmpty() ? trainImages : decode(validation, config.imageSize());
        Inferencer.Result r = new Inferencer(model, manager, Math.max(1, config.batchSize()),
                InferenceFormat.of(config.precision())).score(normals);
        double[] scores = r.scores();
        double t = quantile(scores, config.thresholdQuantile());
        double level = mapLevel(r.maps(), 0.01);
        String source = String.format("%s: q%.2f of %d normal image scores",
                validation.isEmpty() ? "train (no validation held back; optimistic)" : "validation",
                config.thresholdQuantile(), scores.length);
        listener.onMessage(String.format("decision threshold %.5f (%s)", t, source));
        List<Path> files = java.util.stream.Stream.concat(data.train().stream(), validation.stream())
                .map(Sample::image).toList();
        return new ModelStore.ModelInfo(t, source, level, data.name(), data.category(), trainImages.size(),
                config.weights() == null ? null : Sha256.of(Path.of(config.weights())), Version.get(),
                Provenance.capture(files));
    }

    /** A low quantile of all map values, from a strided sample (exactness does not matter here). */
    public static double mapLevel(float[][] maps, double q) {
        int stride = 7;
        int n = 0;
        for (float[] m : maps) {
            n += (m.length + stride - 1) / stride;
        }
        double[] sample = new double[n];
        int k = 0;
        for (float[] m : maps) {
            for (int i = 0; i < m.length; i += stride) {
                sample[k++] = m[i];
            }
        }
        return quantile(sample, q);
    }

    /** Linear-interpolated quantile (numpy's default). */
    public static double quantile(double[] values, double q) {
        double[] v = values.clone();
        Arrays.sort(v);
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }
}
