package dev.aand.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.aand.nn.InitContext;
import dev.aand.nn.Module;
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

    public ResidualAnomalyAmplifier(InitContext ctx, int channels, int memoryItems, double temperature,
            Method method) {
        this(ctx, channels, defaultHidden(channels), memoryItems, temperature, method);
    }

    /** @param hidden width of the gate's and generator's hidden 1x1 layers */
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

    /**
     * @param feature the teacher's level output F, [N, C, H, W]
     * @param groundTruth the level's anomaly mask [N, 1, H, W] that replaces w during stage-1
     *     training (Eq. 6), or null to use the predicted w
     */
    public AmplifiedFeature forward(NDArray feature, NDArray groundTruth) {
        NDArray w = method.gating() == Method.Gating.MATCHING ? anomalyWeight(feature) : null;
        NDArray residual = residual(feature);
        NDArray g;
        if (method.gating() == Method.Gating.ALWAYS) {
            g = null;
        } else {
            g = groundTruth != null ? groundTruth : w;
        }
        NDArray advanced = g == null ? feature.add(residual) : feature.add(residual.mul(g));
        return new AmplifiedFeature(advanced, w);
    }

    /** The gate (Eq. 3-4): cosine match of the query against memory, softmax / T, anomaly half. */
    public NDArray anomalyWeight(NDArray feature) {
        Shape s = feature.getShape();
        long n = s.get(0);
        long h = s.get(2);
        long wd = s.get(3);
        NDArray query = gate.forward(feature.add(encoding((int) h, (int) wd)));
        NDArray q = unitChannels(query.reshape(n, channels, h * wd).transpose(0, 2, 1), 2);
        NDArray m = unitChannels(memory, 1);
        NDArray similarity = q.matMul(m.transpose()); // [N, HW, 2L]
        NDArray p = similarity.div(temperature).softmax(2);
        NDArray anomalyHalf = p.get(":, :, " + memoryItems + ":");
        return anomalyHalf.sum(new int[] {2}).reshape(n, 1, h, wd);
    }

    /** The residual generator (Eq. 5): how the feature is scaled away from normality. */
    public NDArray residual(NDArray feature) {
        NDArray out = generator.forward(feature);
        return switch (method.residual()) {
            case ATTRIBUTE_SCALING -> out.tanh().mul(feature);
            case SIGMOID_SCALING -> Activation.sigmoid(out).mul(feature);
            case LEARNABLE -> out;
        };
    }

    /** The official code's hidden width: min(2C, 1024). */
    public static int defaultHidden(int channels) {
        return Math.min(2 * channels, 1024);
    }

    public int channels() {
        return channels;
    }

    private NDArray encoding(int h, int w) {
        return encodings.computeIfAbsent(h + "x" + w, k -> {
            NDArray pe = PositionEncoding.create(encodingManager, channels, h, w);
            // Cached across steps: keep it out of the per-step scope that frees temporaries.
            NDScope.unregister(pe);
            return pe;
        });
    }

    /** L2-normalises along an axis, guarding zero vectors as torch's cosine_similarity does. */
    static NDArray unitChannels(NDArray x, int axis) {
        NDArray norm = x.norm(new int[] {axis}, true).maximum(1e-8f);
        return x.div(norm);
    }
}
