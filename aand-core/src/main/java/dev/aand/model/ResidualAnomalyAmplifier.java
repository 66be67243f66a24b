package dev.aand.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.aand.engine.FusedConvolution.Activation;
import dev.aand.engine.TensorFormats;
import dev.aand.nn.InferenceFormat;
import dev.aand.nn.InitContext;
import dev.aand.nn.Module;
import dev.aand.nn.Precision;
import dev.aand.nn.Temporaries;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RAA for one feature level (paper Sec. III-B): a matching-guided residual gate decides where a
 * feature is anomalous (w), an attribute-scaling generator proposes how to push it away from
 * normality (the residual), and F_A = F + w * residual (Eq. 5). The residual sits beside the
 * teacher: the next backbone block still reads the raw feature.
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

    public ResidualAnomalyAmplifier(InitContext ctx, int channels, int memoryItems, double temperature,
            Method method) {
        int hidden = Math.min(2 * channels, 1024);
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

    /**
     * The gate (Eq. 3-4): cosine match of the query against memory, softmax / T, anomaly half.
     * Returns float32 whatever the inference precision: the softmax runs in float32 and w may be
     * the anomaly map itself (gate-score ablation).
     */
    public NDArray anomalyWeight(NDArray feature) {
        Shape s = feature.getShape();
        long n = s.get(0);
        long h = s.get(2);
        long wd = s.get(3);
        return Temporaries.keep(() -> {
            // feature first: the sum keeps feature's (channels-last) layout, not the encoding's.
            NDArray query = gate.forward(feature.add(encoding((int) h, (int) wd)), Activation.NONE);
            // [N, C, H, W] -> [N, HW, C]; a view without copying when query is channels-last.
            NDArray q = query.reshape(n, channels, h * wd).transpose(0, 2, 1);
            InferenceFormat f = inferenceFormat();
            NDArray logits;
            if (f == null) {
                logits = unitChannels(q, 2).matMul(unitChannels(memory, 1).transpose()).div(temperature);
            } else {
                // cos / T = (q . m/(|m| T)) / |q|: the scaled memory is cached, and dividing the
                // [N, HW, 2L] product spares two passes over the [N, HW, C] query.
                NDArray norm = q.norm(new int[] {2}, true).maximum(1e-8f);
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
            NDArray scaled = unitChannels(memory.stopGradient(), 1).transpose().div(temperature);
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

    /** The residual generator (Eq. 5): how the feature is scaled away from normality. */
    public NDArray residual(NDArray feature) {
        return switch (method.residual()) {
            case ATTRIBUTE_SCALING -> generator.forward(feature, Activation.TANH).mul(feature);
            case SIGMOID_SCALING -> generator.forward(feature, Activation.SIGMOID).mul(feature);
            case LEARNABLE -> generator.forward(feature, Activation.NONE);
        };
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

    /** L2-normalises along an axis, guarding zero vectors as torch's cosine_similarity does. */
    static NDArray unitChannels(NDArray x, int axis) {
        NDArray norm = x.norm(new int[] {axis}, true).maximum(1e-8f);
        return x.div(norm);
    }
}
