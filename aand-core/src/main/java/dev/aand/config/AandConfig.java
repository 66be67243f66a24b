package dev.aand.config;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import dev.aand.model.Method;
import dev.aand.nn.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        Precision precision) {

    public static AandConfig defaults() {
        return new AandConfig("mobilenet_v1", null, Method.AAND, 256, 16, 100, 120, 0.005, 0.5,
                0.999, 0.2, 0.8, 0.9, 50, 0.2, 0.8, 2.0, 0.3, 0.1, 1000, 5000, 0.3, 10, 4.0, 0.2,
                0.8, "auto", null, 0.0, 0.99, 0L, 2, Precision.FP32);
    }

    /** Throws IllegalArgumentException naming the first invalid value. */
    public AandConfig validate() {
        require(imageSize >= 32 && imageSize % 32 == 0, "image size must be a multiple of 32 and >= 32: " + imageSize);
        require(batchSize >= 1, "batch size must be >= 1: " + batchSize);
        require(stage1Epochs >= 0 && stage2Epochs >= 0, "epochs must be >= 0");
        require(learningRate > 0, "learning rate must be > 0: " + learningRate);
        require(memoryItems >= 1, "memory items must be >= 1");
        require(temperature > 0, "temperature must be > 0");
        require(hardTopK >= 1, "HKD top-k must be >= 1");
        require(validationFraction >= 0 && validationFraction < 1, "validation fraction must be in [0,1)");
        require(thresholdQuantile > 0 && thresholdQuantile <= 1, "threshold quantile must be in (0,1]");
        require(normalProbability >= 0 && normalProbability <= 1, "normal probability must be in [0,1]");
        require(synthesisThreads >= 1, "synthesis threads must be >= 1");
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
            .registerTypeAdapter(Method.class, new TypeAdapter<Method>() {
                @Override
                public void write(JsonWriter out, Method m) throws IOException {
                    out.value(m.id());
                }

                @Override
                public Method read(JsonReader in) throws IOException {
                    return Method.parse(in.nextString());
                }
            })
            .registerTypeAdapter(Precision.class, new TypeAdapter<Precision>() {
                @Override
                public void write(JsonWriter out, Precision p) throws IOException {
                    out.value(p.id());
                }

                @Override
                public Precision read(JsonReader in) throws IOException {
                    return Precision.parse(in.nextString());
                }
            })
            .create();

    /**
     * A copy with some values replaced, by record component name (the CLI and tests use this so
     * that each override names exactly one hyper-parameter).
     */
    public AandConfig with(java.util.Map<String, ?> overrides) {
        var tree = GSON.toJsonTree(this).getAsJsonObject();
        overrides.forEach((k, v) -> {
            if (!tree.has(k)) {
                throw new IllegalArgumentException("unknown configuration key: " + k);
            }
            tree.add(k, v instanceof Method m ? new com.google.gson.JsonPrimitive(m.id())
                    : v instanceof Precision p ? new com.google.gson.JsonPrimitive(p.id()) : GSON.toJsonTree(v));
        });
        return GSON.fromJson(tree, AandConfig.class).validate();
    }

    public AandConfig with(String key, Object value) {
        return with(java.util.Map.of(key, value));
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    /** Reads a saved configuration; keys missing from an older file take today's defaults. */
    public static AandConfig fromJson(String json) {
        try {
            var tree = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
            var merged = GSON.toJsonTree(defaults()).getAsJsonObject();
            tree.entrySet().forEach(e -> merged.add(e.getKey(), e.getValue()));
            return GSON.fromJson(merged, AandConfig.class).validate();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("invalid configuration JSON: " + e.getMessage(), e);
        }
    }

    public static AandConfig read(Path file) throws IOException {
        return fromJson(Files.readString(file));
    }

    public static Gson gson() {
        return GSON;
    }
}
