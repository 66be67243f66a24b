package dev.aand.model;

import ai.djl.ndarray.NDManager;
import dev.aand.backbone.Backbone;
import dev.aand.backbone.Backbones;
import dev.aand.backbone.weights.HostTensor;
import dev.aand.backbone.weights.SafetensorsReader;
import dev.aand.backbone.weights.SafetensorsWriter;
import dev.aand.backbone.weights.StateDictBinder;
import dev.aand.config.AandConfig;
import dev.aand.io.OutputDir;
import dev.aand.io.OutputKind;
import dev.aand.io.Sha256;
import dev.aand.nn.InitContext;
import dev.aand.nn.StateDicts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A trained model on disk: {@code config.json} (every hyper-parameter), {@code model.json} (format
 * version, what scoring needs beyond the weights: the decision threshold and where it came from,
 * the teacher's identity, provenance, and the weights' SHA-256) and {@code weights.safetensors}
 * (RAA, bottleneck and decoder). Saving goes through {@link OutputDir}: the folder appears whole
 * or not at all, and only an earlier model is ever replaced. Loading verifies everything: keys and
 * types, the format version, and the digests of the weights and of an external teacher file.
 */
public final class ModelStore {
    public static final String CONFIG = "config.json";
    public static final String META = "model.json";
    public static final String WEIGHTS = "weights.safetensors";

    private ModelStore() {}

    /**
     * Scoring facts saved with the weights.
     *
     * @param threshold image-score decision threshold (anomalous when score >= threshold)
     * @param thresholdSource how it was chosen (e.g. "validation q0.99 of 6 normal images")
     * @param normalMapLevel 1st percentile of the anomaly-map values of those normal images: the
     *     bottom of the heatmap colour scale, so normal regions look calm in overlays
     * @param dataset dataset kind the model was trained on
     * @param category category trained on
     * @param trainImages number of training images
     * @param teacherWeightsSha256 digest of the teacher weights file (null for embedded/random)
     * @param version aand version that wrote the model
     * @param provenance when, where and from which files it was made
     */
    public record ModelInfo(double threshold, String thresholdSource, double normalMapLevel, String dataset,
            String category, int trainImages, String teacherWeightsSha256, String version, Provenance provenance) {

        /** Heatmap colour range for a decision threshold: normal level at the bottom, the threshold at two thirds. */
        public float[] heatmapRange(double decisionThreshold) {
            double low = Math.min(normalMapLevel, decisionThreshold);
            return new float[] {(float) low, (float) (decisionThreshold + 0.5 * (decisionThreshold - low))};
        }
    }

    /** A loaded model with its facts. */
    public record Loaded(AandModel model, ModelInfo info) {}

    /**
     * How strictly {@link #load} treats a teacher weights file whose digest differs from the one
     * recorded at training.
     *
     * @param allowChangedTeacher load anyway (the CLI's {@code --allow-changed-teacher}); the
     *     difference is reported to {@code warnings}
     * @param warnings receives one line per accepted irregularity
     */
    public record LoadOptions(boolean allowChangedTeacher, Consumer<String> warnings) {
        /** Every check is an error. */
        public static final LoadOptions STRICT = new LoadOptions(false, w -> {});
    }

    /** Writes a model folder, replacing an earlier model there but nothing else. */
    public static void save(AandModel model, ModelInfo info, Path dir) {
        save(model, info, dir, Map.of());
    }

    /**
     * Saves the model with further files copied into its folder under the given names (e.g. an
     * imported model's teacher weights, which its config then names by a relative path).
     */
    public static void save(AandModel model, ModelInfo info, Path dir, Map<String, Path> extraFiles) {
        try (OutputDir out = OutputDir.open(dir, OutputKind.MODEL, true)) {
            Path tmp = out.staging();
            Files.writeString(tmp.resolve(CONFIG), model.config().toJson() + "\n", StandardCharsets.UTF_8);
            SafetensorsWriter.write(tmp.resolve(WEIGHTS), StateDicts.toHost(model.stateDict()),
                    Map.of("format", "pt", "producer", "aand", "method", model.method().id()));
            for (Map.Entry<String, Path> f : new java.util.TreeMap<>(extraFiles).entrySet()) {
                Files.copy(f.getValue(), tmp.resolve(f.getKey()));
            }
            Files.writeString(tmp.resolve(META), ModelJson.write(info, Sha256.of(tmp.resolve(WEIGHTS))),
                    StandardCharsets.UTF_8);
            out.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The scoring facts of a model folder ({@code model.json}, verified) without loading its weights. */
    public static ModelInfo info(Path dir) {
        return meta(dir).info();
    }

    /** The SHA-256 of the model's weights as recorded in {@code model.json}: the model's version. */
    public static String weightsSha256(Path dir) {
        return meta(dir).weightsSha256();
    }

    private static ModelJson.Contents meta(Path dir) {
        Path f = dir.resolve(META);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("not a model directory: " + dir + " (missing " + META + ")");
        }
        try {
            return ModelJson.read(Files.readString(f), f);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + f + ": " + e.getMessage(), e);
        }
    }

    /** Loads and verifies a model folder with every check an error. */
    public static Loaded load(Path dir, NDManager manager) {
        return load(dir, manager, LoadOptions.STRICT);
    }

    /** Loads a model folder; the teacher is rebuilt from its name and weights file. */
    public static Loaded load(Path dir, NDManager manager, LoadOptions options) {
        for (String f : new String[] {CONFIG, META, WEIGHTS}) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IllegalArgumentException("not a model directory: " + dir + " (missing " + f + ")");
            }
        }
        try {
            ModelJson.Contents meta = ModelJson.read(Files.readString(dir.resolve(META)), dir.resolve(META));
            AandConfig config = AandConfig.read(dir.resolve(CONFIG));
            ModelInfo info = meta.info();
            Path weights = dir.resolve(WEIGHTS);
            String actual = Sha256.of(weights);
            if (!actual.equals(meta.weightsSha256())) {
                throw new IllegalArgumentException(weights + " does not match the SHA-256 recorded in " + META
                        + " (" + meta.weightsSha256() + ", file has " + actual + "): the file was changed or damaged");
            }
            // A relative teacher path (an imported model's own copy) is relative to the model folder.
            Path teacherWeights = config.weights() == null ? null : dir.resolve(config.weights());
            verifyTeacher(dir, teacherWeights, info.teacherWeightsSha256(), options);
            Backbone teacher = Backbones.create(config.backbone(), teacherWeights, manager, config.seed());
            Map<String, HostTensor> tensors = SafetensorsReader.read(weights);
            // Widths follow the saved tensors' shapes (an imported model's need not be ours).
            AandModel model = new AandModel(teacher, config, new InitContext(manager, config.seed()),
                    StateDicts.shapes(tensors));
            StateDicts.load(model, tensors, weights.toString(), StateDictBinder.strict());
            model.train(false);
            return new Loaded(model, info);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read model " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The teacher's features define every score, so a replaced teacher file silently changes
     * verdicts; its digest must match the one recorded at training.
     */
    private static void verifyTeacher(Path dir, Path file, String recorded, LoadOptions options) {
        if (file == null) {
            if (recorded != null) {
                throw new IllegalArgumentException(dir.resolve(META) + " records teacher weights (SHA-256 " + recorded
                        + ") but " + dir.resolve(CONFIG) + " names no weights file");
            }
            return;
        }
        if (recorded == null) {
            throw new IllegalArgumentException(dir.resolve(META) + ": key 'teacherWeightsSha256' is null but "
                    + dir.resolve(CONFIG) + " names the teacher weights " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("teacher weights " + file + " named in " + dir.resolve(CONFIG)
                    + " not found; the model needs the file it was trained with");
        }
        String actual = Sha256.of(file);
        if (actual.equals(recorded)) {
            return;
        }
        String what = "teacher weights " + file + " changed since training (SHA-256 " + recorded + " recorded in "
                + dir.resolve(META) + ", file has " + actual + ")";
        if (!options.allowChangedTeacher()) {
            throw new IllegalArgumentException(what + "; scores and the threshold would no longer agree. Restore"
                    + " the file, or pass --allow-changed-teacher to use it anyway");
        }
        options.warnings().accept(what + "; used anyway (--allow-changed-teacher)");
    }
}
