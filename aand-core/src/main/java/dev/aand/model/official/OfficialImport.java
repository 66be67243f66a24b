package dev.aand.model.official;

import ai.djl.ndarray.NDManager;
import dev.aand.backbone.Backbone;
import dev.aand.backbone.Backbones;
import dev.aand.backbone.weights.HostTensor;
import dev.aand.backbone.weights.SafetensorsWriter;
import dev.aand.backbone.weights.StateDictBinder;
import dev.aand.backbone.weights.WeightFormatException;
import dev.aand.config.AandConfig;
import dev.aand.data.ImageFiles;
import dev.aand.data.Preprocessing;
import dev.aand.infer.Inferencer;
import dev.aand.io.Sha256;
import dev.aand.model.AandModel;
import dev.aand.model.ModelStore;
import dev.aand.model.Provenance;
import dev.aand.nn.InitContext;
import dev.aand.nn.StateDicts;
import dev.aand.train.TrainingRun;
import dev.aand.train.Version;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns an official AAND checkpoint pair into an ordinary aand model directory that testing,
 * prediction and the Java API use like a trained one: {@code config.json} (wide_resnet50_2 teacher,
 * the checkpoint's memory size, the official test preprocessing), {@code model.json} (decision
 * threshold), {@code weights.safetensors} (RAA, bottleneck, decoder) and the teacher's own weights
 * as {@code teacher.safetensors} beside them, so the folder is self-contained.
 */
public final class OfficialImport {
    /** The teacher weights file inside an imported model directory. */
    public static final String TEACHER_FILE = "teacher.safetensors";
    /** The official train.py trains wide_resnet50_2_rar only. */
    public static final String BACKBONE = "wide_resnet50_2";

    private OfficialImport() {}

    /**
     * Where the decision threshold comes from: held-out good images (their scores' configured
     * quantile, as training's validation threshold) or a given value.
     */
    public record Threshold(Path normalDir, double value) {
        public Threshold {
            if (normalDir == null && !Double.isFinite(value)) {
                throw new IllegalArgumentException("threshold must be a finite number, got " + value);
            }
        }

        public static Threshold fromNormalImages(Path dir) {
            return new Threshold(dir, Double.NaN);
        }

        public static Threshold of(double value) {
            return new Threshold(null, value);
        }
    }

    /**
     * Imports {@code stage1} + {@code stage2} into {@code out}, which must not exist or be an
     * aand model directory (replaced once the new one is complete).
     *
     * @param batchSize images per forward pass when scoring the normal images
     * @return the saved scoring facts
     */
    public static ModelStore.ModelInfo run(Path stage1, Path stage2, Path out, Threshold threshold, int batchSize,
            NDManager manager) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        OfficialCheckpoint ck = OfficialCheckpoint.read(stage1, stage2);
        AandConfig config = AandConfig.defaults().with(Map.of("backbone", BACKBONE, "weights", TEACHER_FILE,
                "memoryItems", ck.memoryItems(), "preprocessing", Preprocessing.OFFICIAL));
        try (NDManager m = manager.newSubManager()) {
            Backbone teacher = Backbones.create(BACKBONE, ck.teacher(), ck.source(OfficialCheckpoint.ENCODER), m,
                    config.seed());
            AandModel model = new AandModel(teacher, config, new InitContext(m, config.seed()),
                    StateDicts.shapes(ck.model()));
            bind(model, ck);
            model.train(false);
            Path parent = Files.createDirectories(out.toAbsolutePath().getParent());
            Path work = Files.createTempDirectory(parent, "." + out.getFileName() + ".import-");
            try {
                Path teacherFile = work.resolve(TEACHER_FILE);
                SafetensorsWriter.write(teacherFile, ck.teacher(), Map.of("format", "pt", "producer", "aand",
                        "source", stage1.getFileName() + " " + OfficialCheckpoint.ENCODER));
                ModelStore.ModelInfo info = info(model, threshold, batchSize, m, stage1, stage2,
                        Sha256.of(teacherFile));
                ModelStore.save(model, info, out, Map.of(TEACHER_FILE, teacherFile));
                return info;
            } finally {
                Files.deleteIfExists(work.resolve(TEACHER_FILE));
                Files.deleteIfExists(work);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write model to " + out + ": " + e.getMessage(), e);
        }
    }

    /** Loads the renamed tensors; a missing, extra or mis-shaped tensor is named as in its file. */
    private static void bind(AandModel model, OfficialCheckpoint ck) {
        StateDictBinder.Report r = StateDictBinder.strict().check(StateDicts.shapes(model), ck.model());
        List<String> problems = new ArrayList<>();
        r.missing().forEach(k -> problems.add(ck.origin(k) + " is missing"));
        r.mismatches().forEach(s -> problems.add(ck.origin(s.key()) + " has shape " + HostTensor.formatShape(s.actual())
                + " but the network its other shapes describe needs " + HostTensor.formatShape(s.expected())));
        r.unexpected().forEach(k -> problems.add(ck.origin(k) + " is not part of the official AAND network"));
        if (!problems.isEmpty()) {
            throw new WeightFormatException(problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
        }
        StateDicts.load(model, ck.model(), "official checkpoints", StateDictBinder.strict());
    }

    private static ModelStore.ModelInfo info(AandModel model, Threshold threshold, int batchSize, NDManager m,
            Path stage1, Path stage2, String teacherSha) {
        String from = "imported from " + stage1.getFileName() + " + " + stage2.getFileName();
        if (threshold.normalDir() == null) {
            // No normal maps to set the heatmap's calm level from: the colour scale starts at 0.
            return new ModelStore.ModelInfo(threshold.value(), "given (" + from + ")", 0.0, "official-import", "",
                    0, teacherSha, Version.get(), Provenance.capture(List.of(stage1, stage2)));
        }
        AandConfig c = model.config();
        List<Path> files = ImageFiles.listNonEmpty(threshold.normalDir(), "normal image folder");
        Inferencer inferencer = new Inferencer(model, m, batchSize);
        double[] scores = new double[files.size()];
        float[][] maps = new float[files.size()][];
        for (int start = 0; start < files.size(); start += batchSize) {
            List<Path> part = files.subList(start, Math.min(files.size(), start + batchSize));
            List<float[]> images = part.stream().map(p -> c.preprocessing().load(p, c.imageSize())).toList();
            Inferencer.Result r = inferencer.score(images);
            for (int i = 0; i < part.size(); i++) {
                scores[start + i] = r.scores()[i];
                maps[start + i] = r.maps()[i];
            }
        }
        double t = TrainingRun.quantile(scores, c.thresholdQuantile());
        String source = String.format(Locale.ROOT, "normal images %s: q%.2f of %d scores (%s)",
                threshold.normalDir(), c.thresholdQuantile(), scores.length, from);
        return new ModelStore.ModelInfo(t, source, TrainingRun.mapLevel(maps, 0.01), "official-import", "", 0,
                teacherSha, Version.get(), Provenance.capture(List.of(stage1, stage2)));
    }
}
