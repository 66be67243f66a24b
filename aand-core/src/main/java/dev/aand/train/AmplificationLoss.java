package dev.aand.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The amplification loss (paper Eq. 7-8, up to a constant): advanced anomalous features must end
 * at least {@code margin} less similar to normal features than the raw teacher's anomalous
 * features are. Positions are pooled over the whole batch and subsampled at random.
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
     * @param teacher F_T of the corrupted images, [N, C, H, W]
     * @param advanced F_A of the same images, [N, C, H, W]
     * @param anomalous per position, whether it is anomalous (length N*H*W, row-major)
     * @param normal per position, whether it is normal and inside the foreground
     * @return a scalar, or null when either set is empty (then there is nothing to amplify and
     *     no gradient to follow)
     */
    public NDArray compute(NDArray teacher, NDArray advanced, boolean[] anomalous, boolean[] normal,
            SplittableRandom rng) {
        int[] a = sample(anomalous, maxAnomalous, rng);
        int[] n = sample(normal, maxNormal, rng);
        if (a.length == 0 || n.length == 0) {
            return null;
        }
        NDManager m = teacher.getManager();
        long c = teacher.getShape().get(1);
        NDArray ft = rows(teacher, c);
        NDArray fa = rows(advanced, c);
        NDArray ia = m.create(a).toType(DataType.INT64, false);
        NDArray in = m.create(n).toType(DataType.INT64, false);
        NDArray normalT = unit(ft.get(in));
        NDArray simTeacher = unit(ft.get(ia)).matMul(normalT.transpose()); // s_T, [Na, Nn]
        NDArray simAdvanced = unit(fa.get(ia)).matMul(normalT.transpose()); // s_A
        return simAdvanced.sub(simTeacher.sub(margin)).maximum(0f).mean();
    }

    /** [N, C, H, W] -> [N*H*W, C], position-major, matching the boolean masks' order. */
    private static NDArray rows(NDArray x, long c) {
        return x.transpose(0, 2, 3, 1).reshape(-1, c);
    }

    private static NDArray unit(NDArray x) {
        return x.div(x.norm(new int[] {1}, true).maximum(1e-8f));
    }

    /** Indices of the true entries, at most {@code max} of them chosen uniformly at random. */
    static int[] sample(boolean[] mask, int max, SplittableRandom rng) {
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
        java.util.Arrays.sort(out);
        return out;
    }
}
