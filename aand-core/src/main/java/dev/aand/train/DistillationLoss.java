package dev.aand.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.aand.nn.Cosine;

/**
 * Stage-2 loss (paper Sec. III-C), summed over the levels: KD = batch mean of 1 - cos between the
 * flattened C*H*W maps of the advanced teacher and the student, and HKD = for EACH image the
 * mean of its {@code topK} largest per-position (1 - cos over channels) values, averaged over the
 * batch (the official {@code loss_fucntion}).
 */
public final class DistillationLoss {
    private final boolean hard;
    private final int topK;

    public DistillationLoss(boolean hard, int topK) {
        this.hard = hard;
        this.topK = topK;
    }

    /** Loss terms of one step. */
    public record Terms(NDArray total, NDArray kd, NDArray hkd) {}

    public Terms compute(NDList teacher, NDList student) {
        NDArray kd = null;
        NDArray hkd = null;
        for (int i = 0; i < teacher.size(); i++) {
            NDArray t = teacher.get(i);
            NDArray s = student.get(i);
            NDArray k = knowledge(t, s);
            kd = kd == null ? k : kd.add(k);
            if (hard) {
                NDArray h = hardKnowledge(t, s, topK);
                hkd = hkd == null ? h : hkd.add(h);
            }
        }
        NDArray total = hkd == null ? kd : kd.add(hkd);
        return new Terms(total, kd, hkd);
    }

    /** KD: mean over the batch of 1 - cos(flatten(t_i), flatten(s_i)). */
    public static NDArray knowledge(NDArray t, NDArray s) {
        long n = t.getShape().get(0);
        return Cosine.distance(t.reshape(n, -1), s.reshape(n, -1), 1).mean();
    }

    /**
     * HKD: per image the mean of the k largest per-position discrepancies, then the batch mean.
     * The official code raises when a level has fewer than k positions; ours then takes them all.
     */
    public static NDArray hardKnowledge(NDArray t, NDArray s, int k) {
        long n = t.getShape().get(0);
        NDArray d = positionLoss(t, s).reshape(n, -1); // [N, H*W]
        int kk = (int) Math.min(k, d.getShape().get(1));
        return d.topK(kk, 1, true, false).get(0).mean();
    }

    /** 1 - cos over channels at every position, [N, H, W]: what HKD ranks. */
    public static NDArray positionLoss(NDArray t, NDArray s) {
        return Cosine.distance(t, s, 1);
    }
}
