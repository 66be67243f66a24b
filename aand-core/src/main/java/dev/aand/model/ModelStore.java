package dev.aand.model;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.aand.backbone.Backbone;
import dev.aand.backbone.Backbones;
import dev.aand.backbone.weights.HostTensor;
import dev.aand.backbone.weights.SafetensorsReader;
import dev.aand.backbone.weights.SafetensorsWriter;
import dev.aand.backbone.weights.StateDictBinder;
import dev.aand.config.AandConfig;
import dev.aand.nn.InitContext;
import dev.aand.nn.StateDicts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A trained model on disk: {@code config.json} (every hyper-parameter), {@code model.json} (what
 * scoring needs beyond the weights: the decision threshold and where it came from, the teacher's
 * identity, the training data's description) and {@code weights.safetensors} (RAA, bottleneck and
 * decoder). The directory is written next to its target and renamed into place, so a crash never
 * leaves half a model.
 */
public final class ModelStore {
    public static final String CONFIG = "config.json";
    public static final String META = "model.json";
    public static final String WEIGHTS = "weights.safetensors";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

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
     */
    public record ModelInfo(double threshold, String thresholdSource, double normalMapLevel, String dataset,
            String category, int trainImages, String teacherWeightsSha256, String version) {

        /** Heatmap colour range for a decision threshold: normal level at the bottom, the threshold at two thirds. */
        public float[] heatmapRange(double decisionThreshold) {
            double low = Math.min(normalMapLevel, decisionThreshold);
            return new float[] {(float) low, (float) (decisionThreshold + 0.5 * (decisionThreshold - low))};
        }
    }

    /** A loaded model with its facts. */
    public record Loaded(AandModel model, ModelInfo info) {}

    public static void save(AandModel model, ModelInfo info, Path dir) {
        save(model, info, dir, Map.of());
    }

    /**
     * Saves the model with further files copied into its directory under the given names (e.g. an
     * imported model's teacher weights, which its config then names by a relative path).
     */
    public static void save(AandModel model, ModelInfo info, Path dir, Map<String, Path> extraFiles) {
        Path parent = dir.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".tmp-");
            try {
                Files.writeString(tmp.resolve(CONFIG), model.config().toJson());
                Files.writeString(tmp.resolve(META), GSON.toJson(info));
                SafetensorsWriter.write(tmp.resolve(WEIGHTS), StateDicts.toHost(model.stateDict()),
                        Map.of("format", "pt", "producer", "aand", "method", model.method().id()));
                for (Map.Entry<String, Path> f : extraFiles.entrySet()) {
                    Files.copy(f.getValue(), tmp.resolve(f.getKey()));
                }
                replace(tmp, dir);
            } finally {
                deleteTree(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The scoring facts of a model directory ({@code model.json}) without loading its weights. */
    public static ModelInfo info(Path dir) {
        Path f = dir.resolve(META);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("not a model directory: " + dir + " (missing " + META + ")");
        }
        try {
            return GSON.fromJson(Files.readString(f), ModelInfo.class);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + f + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("corrupt " + META + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a model directory; the teacher is rebuilt from its name and weights file (a relative
     * weights path is relative to the model directory). Widths follow the saved tensors' shapes.
     */
    public static Loaded load(Path dir, NDManager manager) {
        for (String f : new String[] {CONFIG, META, WEIGHTS}) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IllegalArgumentException("not a model directory: " + dir + " (missing " + f + ")");
            }
        }
        try {
            AandConfig config = AandConfig.read(dir.resolve(CONFIG));
            ModelInfo info = GSON.fromJson(Files.readString(dir.resolve(META)), ModelInfo.class);
            Backbone teacher = Backbones.create(config.backbone(),
                    config.weights() == null ? null : dir.resolve(config.weights()), manager, config.seed());
            Map<String, HostTensor> weights = SafetensorsReader.read(dir.resolve(WEIGHTS));
            AandModel model = new AandModel(teacher, config, new InitContext(manager, config.seed()),
                    StateDicts.shapes(weights));
            StateDicts.load(model, weights, dir.resolve(WEIGHTS).toString(), StateDictBinder.strict());
            model.train(false);
            return new Loaded(model, info);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read model " + dir + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("corrupt " + META + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Moves {@code tmp} to {@code dir}, replacing an older model only once the new one is complete. */
    private static void replace(Path tmp, Path dir) throws IOException {
        Path old = null;
        if (Files.exists(dir)) {
            old = dir.resolveSibling("." + dir.getFileName() + ".old-" + System.nanoTime());
            Files.move(dir, old);
        }
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir);
        }
        if (old != null) {
            deleteTree(old);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
