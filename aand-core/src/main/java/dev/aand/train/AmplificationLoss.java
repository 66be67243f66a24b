package dev.aand.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aand.engine.Scalars;
import dev.aand.nn.Cosine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The amplification loss (paper Eq. 7-8, up to a constant): advanced anomalous features must end
 * at least {@code margin} less similar to normal features than the raw teacher's anomalous
 * features are. Per level, positions are pooled over the whole batch: anomalous = the level's
 * label; normal = not anomalous and inside the foreground; at most {@code maxNormal} /
 * {@code maxAnomalous} of them are drawn at random. The normal side is always the TEACHER's
 * feature, as in the official code.
 */
public final class AmplificationLoss {
    private final float margin;
    private final int maxAnomalous;
    private final int maxNormal;

    public AmplificationLoss(double margin, int maxAnomalous, int maxNormal) {
        this.margin = (float) margin;
        this.maxAnomalous = maxAnomalous;
        this.maxNormal = maxNormal;
    }

    /**
     * The positions the loss compares, as flattened level indices {@code b*H*W + y*W + x}; their
     * order is the order of the rows / columns of {@link Similarities}.
     */
    public record Positions(int[] normal, int[] anomalous) {
        /** True when either side is empty: nothing to amplify, no term. */
        public boolean isEmpty() {
            return normal.length == 0 || anomalous.length == 0;
        }
    }

    /** s_T = cos(F_T normal, F_T anomalous) and s_A = cos(F_T normal, F_A anomalous), [Nn, Na]. */
    public record Similarities(NDArray teacher, NDArray advanced) {}

    /**
     * Chooses the positions (official code: {@code np.random.permutation(n)[:5000]} normal and
     * {@code [:1000]} anomalous ones). Ours draws a uniform subset too, from {@code rng}, and
     * keeps it in index order: the loss is a mean, so only the subset matters.
     *
     * @param anomalous per position, the level's anomaly label (length N*H*W, row-major)
     * @param foreground per position, whether it lies inside the object
     */
    public Positions sample(boolean[] anomalous, boolean[] foreground, SplittableRandom rng) {
        if (anomalous.length != foreground.length) {
            throw new IllegalArgumentException("anomaly labels (" + anomalous.length + ") and foreground ("
                    + foreground.length + ") cover different positions");
        }
        boolean[] normal = new boolean[anomalous.length];
        for (int i = 0; i < normal.length; i++) {
            normal[i] = !anomalous[i] && foreground[i];
        }
        // Anomalous first: the order in which the stream is consumed is part of a seeded run.
        int[] a = choose(anomalous, maxAnomalous, rng);
        int[] n = choose(normal, maxNormal, rng);
        return new Positions(n, a);
    }

    /** Draws the positions, then the loss; null when there is no term (see {@link #compute(NDArray, NDArray, Positions)}). */
    public NDArray compute(NDArray teacher, NDArray advanced, boolean[] anomalous, boolean[] foreground,
            SplittableRandom rng) {
        return compute(teacher, advanced, sample(anomalous, foreground, rng));
    }

    /**
     * Eq. 7-8: mean over all (normal, anomalous) pairs of relu(s_A - (s_T - margin)).
     *
     * @param teacher F_T of the corrupted images, [N, C, H, W]
     * @param advanced F_A of the same images, [N, C, H, W]
     * @return a scalar, or null when either side is empty (the official code adds 0 without
     *     anomalous positions and would average an empty matrix, NaN, without normal ones)
     */
    public NDArray compute(NDArray teacher, NDArray advanced, Positions positions) {
        if (positions.isEmpty()) {
            return null;
        }
        Similarities s = similarities(teacher, advanced, positions);
        NDArray hinge = s.advanced().sub(s.teacher().sub(margin));
        return hinge.maximum(Scalars.of(hinge, 0f)).mean();
    }

    /** The two similarity matrices of Eq. 7, rows = normal positions, columns = anomalous ones. */
    public Similarities similarities(NDArray teacher, NDArray advanced, Positions positions) {
        NDManager m = teacher.getManager();
        long c = teacher.getShape().get(1);
        NDArray ft = rows(teacher, c);
        NDArray fa = rows(advanced, c);
        NDArray ia = m.create(positions.anomalous()).toType(DataType.INT64, false);
        NDArray in = m.create(positions.normal()).toType(DataType.INT64, false);
        NDArray normalT = ft.get(in);
        NDArray simTeacher = Cosine.pairwise(normalT, ft.get(ia));
        NDArray simAdvanced = Cosine.pairwise(normalT, fa.get(ia));
        return new Similarities(simTeacher, simAdvanced);
    }

    /** [N, C, H, W] -> [N*H*W, C], position-major, matching the flattened position indices. */
    private static NDArray rows(NDArray x, long c) {
        return x.transpose(0, 2, 3, 1).reshape(-1, c);
    }

    /** Indices of the true entries, at most {@code max} of them chosen uniformly, in index order. */
    static int[] choose(boolean[] mask, int max, SplittableRandom rng) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                idx.add(i);
            }
        }
        int k = Math.min(max, idx.size());
        // Partial Fisher-Yates: the first k entries become a uniform sample without replacement.
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(idx.size() - i);
            Integer t = idx.get(i);
            idx.set(i, idx.get(j));
            idx.set(j, t);
        }
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = idx.get(i);
        }
        Arrays.sort(out);
        return out;
    }
}
