package dev.aand.config;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import dev.aand.data.Preprocessing;
import dev.aand.model.Method;
import dev.aand.nn.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Every hyper-parameter of training and inference, with the paper's defaults (and the official
 * code's where they differ; see shared/reference/aand-spec.md). Saved with every trained model
 * as {@code config.json}, so a model always says how it was made.
 *
 * @param backbone teacher name (mobilenet_v1 is embedded; the paper uses wide_resnet50_2)
 * @param weights teacher checkpoint path, or null for the embedded / random weights
 * @param method AAND or one of the ablations
 * @param imageSize square input size in pixels
 * @param batchSize images per step, both stages
 * @param stage1Epochs epochs of anomaly amplification
 * @param stage2Epochs epochs of normality distillation
 * @param learningRate Adam learning rate, both stages
 * @param beta1 Adam beta1 (0.5 in the official code)
 * @param beta2 Adam beta2
 * @param lrDecay factor applied at each milestone
 * @param lrMilestone1 first decay point as a fraction of the epochs
 * @param lrMilestone2 second decay point as a fraction of the epochs
 * @param memoryItems L: normal memory items per level (as many anomaly items)
 * @param temperature softmax temperature of the matching (code: 0.2)
 * @param focalAlpha focal loss alpha
 * @param focalGamma focal loss gamma
 * @param amplificationMargin margin in Eq. 8
 * @param amplificationWeight weight of the amplification loss (code: 0.1)
 * @param maxAnomalousPositions positions sampled for the amplification loss
 * @param maxNormalPositions positions sampled for the amplification loss
 * @param gateLabelThreshold a level position is anomalous when its pooled mask exceeds this
 * @param hardTopK positions per image in the HKD loss
 * @param blurSigma Gaussian blur of the anomaly map
 * @param normalProbability fraction of synthetic samples left normal
 * @param blendBetaMax upper bound of the blend factor beta
 * @param foreground foreground rule ("auto" = built-in table for the category)
 * @param textures texture folder, or null for the shipped CC0 textures
 * @param validationFraction share of train/good held back for the decision threshold
 * @param thresholdQuantile quantile of held-back normal scores used as the decision threshold
 * @param seed seed of every random choice
 * @param synthesisThreads CPU threads that synthesise anomalies beside the engine
 * @param preprocessing how test and predict images become network input ("aand", or "official"
 *     for models imported from the official code)
 * @param precision number format of the networks at inference (fp32, or bf16 on CPUs with
 *     bfloat16 instructions); training is always fp32, maps and metrics always float32
 */
public record AandConfig(
        String backbone,
        String weights,
        Method method,
        int imageSize,
        int batchSize,
        int stage1Epochs,
        int stage2Epochs,
        double learningRate,
        double beta1,
        double beta2,
        double lrDecay,
        double lrMilestone1,
        double lrMilestone2,
        int memoryItems,
        double temperature,
        double focalAlpha,
        double focalGamma,
        double amplificationMargin,
        double amplificationWeight,
        int maxAnomalousPositions,
        int maxNormalPositions,
        double gateLabelThreshold,
        int hardTopK,
        double blurSigma,
        double normalProbability,
        double blendBetaMax,
        String foreground,
        String textures,
        double validationFraction,
        double thresholdQuantile,
        long seed,
        int synthesisThreads,
        Preprocessing preprocessing,
        Precision precision) {

    public static AandConfig defaults() {
        return new AandConfig("mobilenet_v1", null, Method.AAND, 256, 16, 100, 120, 0.005, 0.5,
                0.999, 0.2, 0.8, 0.9, 50, 0.2, 0.8, 2.0, 0.3, 0.1, 1000, 5000, 0.3, 10, 4.0, 0.2,
                0.8, "auto", null, 0.0, 0.99, 0L, 2, Preprocessing.AAND, Precision.FP32);
    }

    /** Largest image size any configuration accepts (the CLI stops at 1024 without --allow-large). */
    public static final int MAX_IMAGE_SIZE = 8192;

    /** Throws IllegalArgumentException naming the first invalid value. */
    public AandConfig validate() {
        require(backbone != null && !backbone.isBlank(), "backbone must be set");
        require(method != null, "method must be set");
        require(foreground != null, "foreground must be set (\"auto\" for the built-in table)");
        require(imageSize >= 32 && imageSize <= MAX_IMAGE_SIZE && imageSize % 32 == 0,
                "image size must be a multiple of 32 in [32, " + MAX_IMAGE_SIZE + "]: " + imageSize);
        require(batchSize >= 1, "batch size must be >= 1: " + batchSize);
        long batchValues = 3L * batchSize * imageSize * imageSize;
        require(batchValues <= Integer.MAX_VALUE - 8, "a batch of " + batchSize + " images of " + imageSize + "x"
                + imageSize + " holds " + batchValues + " values, more than one array can hold; lower the batch size");
        require(stage1Epochs >= 0 && stage2Epochs >= 0, "epochs must be >= 0");
        require(!method.usesStudent() || stage2Epochs >= 1,
                "method " + method.id() + " needs at least one stage-2 epoch: " + stage2Epochs);
        require(method.usesStudent() || stage1Epochs >= 1,
                "method " + method.id() + " trains only in stage 1 and needs at least one stage-1 epoch");
        require(Double.isFinite(learningRate) && learningRate > 0, "learning rate must be > 0: " + learningRate);
        require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "Adam betas must be in [0,1)");
        require(lrDecay > 0 && lrDecay <= 1, "learning-rate decay must be in (0,1]: " + lrDecay);
        require(lrMilestone1 >= 0 && lrMilestone1 <= 1 && lrMilestone2 >= 0 && lrMilestone2 <= 1,
                "learning-rate milestones must be in [0,1]");
        require(memoryItems >= 1, "memory items must be >= 1");
        require(Double.isFinite(temperature) && temperature > 0, "temperature must be > 0");
        require(focalAlpha >= 0 && focalAlpha <= 1 && focalGamma >= 0 && Double.isFinite(focalGamma),
                "focal alpha must be in [0,1] and gamma >= 0");
        require(Double.isFinite(amplificationMargin), "amplification margin must be finite");
        require(amplificationWeight >= 0 && Double.isFinite(amplificationWeight), "amplification weight must be >= 0");
        require(maxAnomalousPositions >= 1 && maxNormalPositions >= 1, "sampled positions must be >= 1");
        require(gateLabelThreshold >= 0 && gateLabelThreshold <= 1, "gate label threshold must be in [0,1]");
        require(hardTopK >= 1, "HKD top-k must be >= 1");
        require(blurSigma >= 0 && Double.isFinite(blurSigma), "blur sigma must be >= 0: " + blurSigma);
        require(normalProbability >= 0 && normalProbability <= 1, "normal probability must be in [0,1]");
        require(blendBetaMax >= 0 && blendBetaMax <= 1, "blend beta max must be in [0,1]");
        require(validationFraction >= 0 && validationFraction < 1, "validation fraction must be in [0,1)");
        require(thresholdQuantile > 0 && thresholdQuantile <= 1, "threshold quantile must be in (0,1]");
        require(synthesisThreads >= 1, "synthesis threads must be >= 1");
        require(preprocessing != null, "preprocessing must be one of: aand, official");
        require(precision != null, "precision must be fp32 or bf16");
        require(precision != null, "precision must be fp32 or bf16");
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * The learning rate of a 0-based epoch: decayed once from epoch ceil(m1 * epochs), twice from
     * ceil(m2 * epochs) (80 and 90 of 100; 96 and 108 of 120). Rounding up keeps a very short run
     * from starting already decayed.
     */
    public double learningRateAt(int epoch, int epochs) {
        double lr = learningRate;
        if (epoch >= Math.ceil(lrMilestone1 * epochs)) {
            lr *= lrDecay;
        }
        if (epoch >= Math.ceil(lrMilestone2 * epochs)) {
            lr *= lrDecay;
        }
        return lr;
    }

    private static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .serializeNulls()
            .serializeSpecialFloatingPointValues()
            .registerTypeAdapter(Method.class, byId(Method::id, Method::parse))
            .registerTypeAdapter(Preprocessing.class, byId(Preprocessing::id, Preprocessing::parse))
            .registerTypeAdapter(Precision.class, byId(Precision::id, Precision::parse))
            .create();

    /** Saves an enum-like value by its id string, as users write it. */
    private static <T> TypeAdapter<T> byId(java.util.function.Function<T, String> id,
            java.util.function.Function<String, T> parse) {
        return new TypeAdapter<T>() {
            @Override
            public void write(JsonWriter out, T value) throws IOException {
                out.value(id.apply(value));
            }

            @Override
            public T read(JsonReader in) throws IOException {
                return parse.apply(in.nextString());
            }
        };
    }

    /**
     * A copy with some values replaced, by record component name (the CLI and tests use this so
     * that each override names exactly one hyper-parameter).
     */
    public AandConfig with(java.util.Map<String, ?> overrides) {
        JsonObject tree = GSON.toJsonTree(this).getAsJsonObject();
        overrides.forEach((k, v) -> {
            if (!tree.has(k)) {
                throw new IllegalArgumentException("unknown configuration key: " + k);
            }
            tree.add(k, v instanceof Method m ? new JsonPrimitive(m.id())
                    : v instanceof Precision p ? new JsonPrimitive(p.id()) : GSON.toJsonTree(v));
        });
        return fromTree(tree, null);
    }

    public AandConfig with(String key, Object value) {
        return with(java.util.Map.of(key, value));
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    /**
     * Reads a configuration: every key must be present with a value of its type, and no other key
     * may appear, so that nothing silently takes a default that the model was not trained with.
     */
    public static AandConfig fromJson(String json) {
        return fromJson(json, "configuration");
    }

    /** Reads {@code config.json}; a problem names the file and the key. */
    public static AandConfig read(Path file) throws IOException {
        return fromJson(Files.readString(file), file.toString());
    }

    private static AandConfig fromJson(String json, String source) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException(source + ": expected a JSON object of hyper-parameters");
        }
        return fromTree(root.getAsJsonObject(), source);
    }

    /** Checks every key's presence and type, then the values; {@code source} prefixes messages. */
    private static AandConfig fromTree(JsonObject tree, String source) {
        String where = source == null ? "" : source + ": ";
        RecordJson.check(tree, AandConfig.class, NULLABLE, where);
        try {
            Method.parse(tree.get("method").getAsString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "key 'method': " + e.getMessage(), e);
        }
        try {
            return GSON.fromJson(tree, AandConfig.class).validate();
        } catch (IllegalArgumentException | JsonParseException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
    }

    /** Components whose null means something (the embedded teacher, the shipped textures). */
    private static final Set<String> NULLABLE = Set.of("weights", "textures");

    public static Gson gson() {
        return GSON;
    }
}
