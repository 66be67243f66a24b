package dev.aand.api;

import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.Criteria;
import dev.aand.model.ModelStore;
import dev.aand.nn.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The library's entry point for inference, in DJL's own terms:
 *
 * <pre>{@code
 * Criteria<Image, AnomalyResult> criteria = Aand.criteria(Path.of("models/bottle"));
 * try (ZooModel<Image, AnomalyResult> model = criteria.loadModel();
 *      Predictor<Image, AnomalyResult> predictor = model.newPredictor()) {
 *     AnomalyResult r = predictor.predict(ImageFactory.getInstance().fromFile(Path.of("part.png")));
 *     if (r.anomalous()) { ... r.mask() ... }
 * }
 * }</pre>
 *
 * <p>{@code batchPredict} scores its list as one engine batch. A {@code Predictor} is not
 * thread-safe: use one per thread (they share the model's weights). Options go through
 * {@link #builder(Path)} as DJL arguments: {@code optArgument("threshold", 0.8)} overrides the
 * model's decision threshold; {@code optArgument("precision", "bf16")} runs the networks in
 * bfloat16 (CPUs with bfloat16 instructions) instead of the model's stored precision;
 * {@code optDevice(Device.gpu())} selects a GPU.
 */
public final class Aand {
    /** DJL group id of aand models. */
    public static final String GROUP_ID = "dev.aand";
    /** Criteria argument: a decision threshold replacing the model's own (a finite number). */
    public static final String THRESHOLD = "threshold";
    /**
     * Criteria argument: {@code true} to load a model whose external teacher weights file changed
     * since training (a warning instead of an error; verdicts may differ from the validated ones).
     */
    public static final String ALLOW_CHANGED_TEACHER = "allowChangedTeacher";
    /** Criteria argument: a {@code Consumer<String>} for load warnings (default: the SLF4J log). */
    public static final String WARNINGS = "warnings";
    /** ZooModel property: the model's {@link dev.aand.data.Preprocessing} id. */
    public static final String PREPROCESSING = "preprocessing";

    private static final Logger LOG = LoggerFactory.getLogger(Aand.class);
    /** Criteria argument: "fp32" or "bf16", replacing the model's stored inference precision. */
    public static final String PRECISION = "precision";

    private Aand() {}

    /** A criteria that loads the trained model folder {@code modelDir}. */
    public static Criteria<Image, AnomalyResult> criteria(Path modelDir) {
        return builder(modelDir).build();
    }

    /** The same criteria as a builder, for DJL options ({@code optDevice}, {@code optArgument}). */
    public static Criteria.Builder<Image, AnomalyResult> builder(Path modelDir) {
        return builder(modelDir, Image.class);
    }

    /**
     * A builder for predictors of {@code input}: {@link Image}, or {@link PreparedImage} for
     * callers that pre-process on their own threads ({@link PreparedImage#of}).
     */
    public static <I> Criteria.Builder<I, AnomalyResult> builder(Path modelDir, Class<I> input) {
        if (!Files.isDirectory(modelDir)) {
            throw new IllegalArgumentException("not a model directory: " + modelDir + " (no such folder)");
        }
        return Criteria.builder()
                .setTypes(input, AnomalyResult.class)
                .optEngine("PyTorch")
                .optModelZoo(new AandModelZoo(modelDir.toAbsolutePath().normalize()));
    }

    @SuppressWarnings("unchecked")
    static ModelStore.LoadOptions loadOptions(Map<String, Object> args) {
        Object allow = args == null ? null : args.get(ALLOW_CHANGED_TEACHER);
        Object warnings = args == null ? null : args.get(WARNINGS);
        Consumer<String> sink = warnings instanceof Consumer<?> c ? (Consumer<String>) c : LOG::warn;
        boolean allowed = allow instanceof Boolean b ? b : allow != null && Boolean.parseBoolean(allow.toString());
        return new ModelStore.LoadOptions(allowed, sink);
    }

    static Precision precision(Map<String, Object> args, Precision stored) {
        Object v = args == null ? null : args.get(PRECISION);
        if (v == null) {
            return stored;
        }
        try {
            return v instanceof Precision p ? p : Precision.parse(v.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("argument " + PRECISION + ": " + e.getMessage(), e);
        }
    }

    static double threshold(Map<String, Object> args, double stored) {
        Object v = args == null ? null : args.get(THRESHOLD);
        if (v == null) {
            return stored;
        }
        double t;
        try {
            t = v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument " + THRESHOLD + " must be a number, got " + v);
        }
        if (!Double.isFinite(t)) {
            throw new IllegalArgumentException("argument " + THRESHOLD + " must be finite, got " + v);
        }
        return t;
    }
}
