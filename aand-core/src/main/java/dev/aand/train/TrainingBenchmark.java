package dev.aand.train;

import ai.djl.ndarray.NDManager;
import dev.aand.config.AandConfig;
import dev.aand.engine.ProcessMemory;
import dev.aand.engine.StageClock;
import dev.aand.engine.StageProfile;
import dev.aand.model.AandModel;
import dev.aand.synth.AnomalySynthesizer;
import dev.aand.synth.SyntheticBatchLoader;
import dev.aand.synth.TextureBank;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times training steps of both stages with the real trainers on {@code batchSize} random images
 * (one step per epoch): per phase (data, teacher, forward, backward, optimizer) the median wall
 * and CPU time, the step time, and the peak resident memory of each stage.
 */
public final class TrainingBenchmark {
    private TrainingBenchmark() {}

    /** The configuration to build the benchmarked model with: one step per epoch, warm-up + timed epochs. */
    public static AandConfig config(AandConfig base, int batchSize, int warmup, int iterations) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("batchSize", batchSize);
        o.put("stage1Epochs", warmup + iterations);
        o.put("stage2Epochs", warmup + iterations);
        return base.with(o);
    }

    /** Runs both stages on {@code model} (built from {@link #config}); returns JSON-friendly results. */
    public static Map<String, Object> run(AandModel model, int warmup, NDManager manager) {
        AandConfig c = model.config();
        int size = c.imageSize();
        int n = c.batchSize();
        List<float[]> images = new ArrayList<>(n);
        SplittableRandom r = new SplittableRandom(c.seed());
        for (int i = 0; i < n; i++) {
            float[] img = new float[3 * size * size];
            for (int k = 0; k < img.length; k++) {
                img[k] = (float) (r.nextDouble() * 255);
            }
            images.add(img);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (c.method().usesAmplification()) {
            Recorder rec = new Recorder(warmup);
            ProcessMemory.resetPeak();
            AnomalySynthesizer synthesizer = new AnomalySynthesizer(TextureBank.defaults(size), size,
                    TrainingRun.synthesis(c));
            try (SyntheticBatchLoader loader = new SyntheticBatchLoader(images, null, synthesizer, n, c.seed(),
                    c.synthesisThreads(), false)) {
                new Stage1Trainer(model, rec).train(loader, manager);
            }
            out.put(Stage1Trainer.STAGE, rec.result(n));
        }
        if (model.hasStudent()) {
            Recorder rec = new Recorder(warmup);
            ProcessMemory.resetPeak();
            new Stage2Trainer(model, rec).train(images, manager);
            out.put(Stage2Trainer.STAGE, rec.result(n));
        }
        return out;
    }

    /** Collects phase times of the epochs after the warm-up ones. */
    private static final class Recorder implements TrainingListener {
        private final StageProfile profile = new StageProfile();
        private final int warmup;

        Recorder(int warmup) {
            this.warmup = warmup;
            profile.recording(warmup == 0);
        }

        @Override
        public StageClock stageClock(String stage) {
            return profile;
        }

        @Override
        public void onEpoch(EpochLog log) {
            profile.recording(log.epoch() + 1 >= warmup);
        }

        Map<String, Object> result(int batch) {
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Map<String, Object>> phases = profile.summary();
            Map<String, Object> total = phases.get("total");
            double stepMs = total == null ? Double.NaN : (double) total.get("wall_ms");
            m.put("step_ms_median", stepMs);
            m.put("images_per_second", Math.round(batch * 1000.0 / stepMs * 100) / 100.0);
            m.put("phases", phases);
            m.put("peak_rss_mib", ProcessMemory.mib(ProcessMemory.peakRss()));
            m.put("memory_after", ProcessMemory.now().toMap());
            return m;
        }
    }
}
