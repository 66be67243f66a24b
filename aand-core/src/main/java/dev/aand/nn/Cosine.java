package dev.aand.nn;

import ai.djl.ndarray.NDArray;
import dev.aand.engine.Scalars;

/**
 * Cosine similarity, the one measure AAND compares features with: the RAA gate matches queries
 * against its memory items (Eq. 3), the amplification loss compares normal and anomalous features
 * (Eq. 7-8), and the distillation losses and the anomaly map compare teacher and student.
 *
 * <p>Each vector is divided by {@code max(|x|, 1e-8)} before the dot product, as
 * {@code torch.nn.functional.cosine_similarity} does (the official KD loss and anomaly map use
 * it). The official RAA and amplification loss use their own {@code pair_cosine}, which divides
 * the dot product by {@code |a|·|b|} with no guard: the same value up to float rounding (checked
 * against the official fixtures), but a zero vector gives 0 here instead of NaN.
 */
public final class Cosine {
    /** Smallest norm a vector is divided by (torch's default eps). */
    public static final float EPS = 1e-8f;

    private Cosine() {}

    /** {@code x / max(|x|, eps)} along {@code axis}; the shape is kept. */
    public static NDArray unit(NDArray x, int axis) {
        int a = axis < 0 ? x.getShape().dimension() + axis : axis;
        return x.div(x.norm(new int[] {a}, true).maximum(Scalars.of(x, EPS)));
    }

    /** cos(a, b) along {@code axis}, which is removed: [N, C, H, W] over axis 1 gives [N, H, W]. */
    public static NDArray similarity(NDArray a, NDArray b, int axis) {
        return unit(a, axis).mul(unit(b, axis)).sum(new int[] {axis});
    }

    /** 1 - cos(a, b) along {@code axis}: the discrepancy the KD losses and the anomaly map use. */
    public static NDArray distance(NDArray a, NDArray b, int axis) {
        return similarity(a, b, axis).neg().add(1f);
    }

    /**
     * Every row of {@code a} against every row of {@code b} (vectors along the last axis):
     * a [..., N, C] and b [..., M, C] (or b [M, C], shared by the batch) give [..., N, M].
     */
    public static NDArray pairwise(NDArray a, NDArray b) {
        int last = b.getShape().dimension() - 1;
        int[] axes = new int[last + 1];
        for (int i = 0; i <= last; i++) {
            axes[i] = i;
        }
        axes[last] = last - 1;
        axes[last - 1] = last;
        return unit(a, -1).matMul(unit(b, -1).transpose(axes));
    }
}
