package dev.aand.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.aand.engine.FusedConvolution.Activation;
import dev.aand.engine.Scalars;
import dev.aand.engine.TensorFormats;
import dev.aand.nn.Cosine;
import dev.aand.nn.InferenceFormat;
import dev.aand.nn.InitContext;
import dev.aand.nn.Module;
import dev.aand.nn.Precision;
import dev.aand.nn.Temporaries;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RAA for one feature level (paper Sec. III-B): a matching-guided residual gate decides where a
 * feature is anomalous (w, Eq. 2-4), an attribute-scaling generator proposes how to push it away
 * from normality (the residual, Eq. 5), and F_A = F + w * residual (Eq. 5). The residual sits
 * beside the teacher: the next backbone block still reads the raw feature.
 *
 * <p>State-dict names: {@code gate.{0,2,4}}, {@code generator.{0,2,4}}, {@code memory}; the
 * official {@code RAR_single}'s {@code projs.0}, {@code projs2.0}, {@code K_list.0} map onto them
 * through {@link OfficialNames}.
 */
public final class ResidualAnomalyAmplifier extends Module {
    private final Mlp1x1 gate;
    private final Mlp1x1 generator;
    private final NDArray memory;
    private final int channels;
    private final int memoryItems;
    private final float temperature;
    private final Method method;
    private final ConcurrentHashMap<String, NDArray> encodings = new ConcurrentHashMap<>();
    private final NDManager encodingManager;
    private NDArray inferenceMemory;

    /** With the official code's MLP width, {@link #hiddenFor(int)}. */
    public ResidualAnomalyAmplifier(InitContext ctx, int channels, int memoryItems, double temperature,
            Method method) {
        this(ctx, channels, hiddenFor(channels), memoryItems, temperature, method);
    }

    /**
     * @param hidden width of the gate and generator MLPs (a checkpoint's own width wins over
     *     {@link #hiddenFor(int)}: channel-reduced official networks do not follow the rule)
     * @param memoryItems L: the memory holds L normal and L anomaly items
     */
    public ResidualAnomalyAmplifier(InitContext ctx, int channels, int hidden, int memoryItems, double temperature,
            Method method) {
        if (hidden < 1) {
            throw new IllegalArgumentException("RAA hidden width must be positive, got " + hidden);
        }
        this.channels = channels;
        this.memoryItems = memoryItems;
        this.temperature = (float) temperature;
        this.method = method;
        this.gate = child("gate", new Mlp1x1(ctx, channels, hidden));
        this.generator = child("generator", new Mlp1x1(ctx, channels, hidden));
        // Rows [0, L) are normal prototypes, [L, 2L) anomaly prototypes; standard normal init.
        this.memory = parameter("memory", ctx.normal(new Shape(2L * memoryItems, channels), 1.0));
        this.encodingManager = ctx.manager().newSubManager();
    }

    /** The official MLP width for C channels: min(2C, 1024). */
    public static int hiddenFor(int channels) {
        return Math.min(2 * channels, 1024);
    }

    /**
     * @param feature the teacher's level output F, [N, C, H, W]
     * @param groundTruth the level's anomaly mask [N, 1, H, W] that replaces w during stage-1
     *     training (Eq. 6), or null to use the predicted w
     */
    public AmplifiedFeature forward(NDArray feature, NDArray groundTruth) {
        boolean gated = method.gating() == Method.Gating.MATCHING;
        // Only F_A and w outlive the call; the MLPs' activations are freed on return.
        NDList out = Temporaries.keepAll(() -> {
            NDArray w = gated ? anomalyWeight(feature) : null;
            NDArray residual = residual(feature);
            NDArray g = method.gating() == Method.Gating.ALWAYS ? null : groundTruth != null ? groundTruth : w;
            NDArray advanced;
            if (inferenceFormat() == null) {
                // Eq. 5: F_A = F + w * residual (Eq. 6: the ground truth in place of w in stage 1).
                advanced = g == null ? feature.add(residual) : feature.add(residual.mul(g));
            } else {
                // No gradient at inference: add in place into the fresh product, one allocation fewer.
                // (Not into a fused kernel's output: libtorch marks those read-only.)
                advanced = g == null ? residual.add(feature)
                        : residual.mul(inferenceFormat().precision().cast(g)).addi(feature);
            }
            return w == null ? new NDList(advanced) : new NDList(advanced, w);
        });
        return new AmplifiedFeature(out.get(0), gated ? out.get(1) : null);
    }

    /** Eq. 2: the gate's query, its MLP applied to F plus the position encoding, [N, C, H, W]. */
    public NDArray query(NDArray feature) {
        Shape s = feature.getShape();
        // feature first: the sum keeps feature's (channels-last) layout, not the encoding's.
        return gate.forward(feature.add(encoding((int) s.get(2), (int) s.get(3))), Activation.NONE);
    }

    /** Eq. 3: cosine of each position's query with each memory item, [N, H*W, 2L] (n = y*W + x). */
    public NDArray matching(NDArray feature) {
        NDArray q = query(feature);
        long n = q.getShape().get(0);
        NDArray patches = q.reshape(n, channels, -1).transpose(0, 2, 1); // [N, H*W, C]
        return Cosine.pairwise(patches, memory);
    }

    /**
     * Eq. 4: w = the softmax(cos / T) mass on the anomaly half of the memory, [N, 1, H, W]. Float32
     * whatever the inference precision: the softmax runs in float32 and w may be the anomaly map
     * itself (gate-score ablation).
     */
    public NDArray anomalyWeight(NDArray feature) {
        Shape s = feature.getShape();
        long n = s.get(0);
        long h = s.get(2);
        long wd = s.get(3);
        return Temporaries.keep(() -> {
            InferenceFormat f = inferenceFormat();
            NDArray logits;
            if (f == null) {
                logits = matching(feature).div(Scalars.of(feature, temperature));
            } else {
                // cos / T = (q . m/(|m| T)) / |q|: the scaled memory is cached, and dividing the
                // [N, HW, 2L] product spares two passes over the [N, HW, C] query.
                // [N, C, H, W] -> [N, HW, C]: a view without copying when the query is channels-last.
                NDArray q = query(feature).reshape(n, channels, h * wd).transpose(0, 2, 1);
                NDArray norm = q.norm(new int[] {2}, true).maximum(Cosine.EPS);
                logits = f.toFloat32(q.matMul(inferenceMemory).divi(norm));
            }
            NDArray p = logits.softmax(2); // [N, HW, 2L]
            NDArray anomalyHalf = p.get(":, :, " + memoryItems + ":");
            return anomalyHalf.sum(new int[] {2}).reshape(n, 1, h, wd);
        });
    }

    @Override
    protected void prepareOwnInference(InferenceFormat format) {
        try (NDScope scope = new NDScope()) {
            NDArray scaled = Cosine.unit(memory.stopGradient(), 1).transpose().div(temperature);
            inferenceMemory = TensorFormats.contiguousCopy(format.precision().cast(scaled));
            NDScope.unregister(inferenceMemory);
        }
    }

    @Override
    protected void dropOwnInference() {
        if (inferenceMemory != null) {
            inferenceMemory.close();
            inferenceMemory = null;
        }
    }

    /** Eq. 5: the residual generator, how the feature is scaled away from normality. */
    public NDArray residual(NDArray feature) {
        // The official code clamps tanh to [-1, 1] as well, which tanh already is.
        return switch (method.residual()) {
            case ATTRIBUTE_SCALING -> generator.forward(feature, Activation.TANH).mul(feature);
            case SIGMOID_SCALING -> generator.forward(feature, Activation.SIGMOID).mul(feature);
            case LEARNABLE -> generator.forward(feature, Activation.NONE);
        };
    }

    /** The generator MLP's output before tanh (the attribute scale's pre-activation). */
    public NDArray generatorOutput(NDArray feature) {
        return generator.forward(feature, Activation.NONE);
    }

    public int channels() {
        return channels;
    }

    private NDArray encoding(int h, int w) {
        InferenceFormat f = inferenceFormat();
        Precision p = f == null ? Precision.FP32 : f.precision();
        return encodings.computeIfAbsent(h + "x" + w + p.id(), k -> {
            NDArray pe = PositionEncoding.create(encodingManager, channels, h, w);
            NDArray cast = p.cast(pe);
            if (cast != pe) {
                pe.close();
            }
            // Cached across steps: keep it out of the per-step scope that frees temporaries.
            NDScope.unregister(cast);
            return cast;
        });
    }
}
