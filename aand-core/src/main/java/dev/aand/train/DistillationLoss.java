package dev.aand.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Stage-2 loss (paper Sec. III-C): per level, KD = batch mean of 1 - cos between the flattened
 * C*H*W maps of the advanced teacher and the student, and HKD = per image the mean of the
 * {@code topK} largest per-position (1 - cos over channels) values, averaged over the batch.
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

    /** Mean over the batch of 1 - cos(flatten(t_i), flatten(s_i)). */
    public static NDArray knowledge(NDArray t, NDArray s) {
        long n = t.getShape().get(0);
        return one(cosine(t.reshape(n, -1), s.reshape(n, -1), 1)).mean();
    }

    /** Per image the mean of the k largest per-position discrepancies, then batch mean. */
    public static NDArray hardKnowledge(NDArray t, NDArray s, int k) {
        long n = t.getShape().get(0);
        NDArray d = one(cosine(t, s, 1)).reshape(n, -1); // [N, H*W]
        int kk = (int) Math.min(k, d.getShape().get(1));
        return d.topK(kk, 1, true, false).get(0).mean();
    }

    /** 1 - cos over channels per position: the anomaly map of one level, [N, H, W]. */
    public static NDArray discrepancy(NDArray t, NDArray s) {
        return one(cosine(t, s, 1));
    }

    /** Cosine similarity along an axis, torch semantics (eps 1e-8 on each norm). */
    public static NDArray cosine(NDArray a, NDArray b, int axis) {
        NDArray dot = a.mul(b).sum(new int[] {axis});
        NDArray na = a.norm(new int[] {axis}).maximum(1e-8f);
        NDArray nb = b.norm(new int[] {axis}).maximum(1e-8f);
        return dot.div(na.mul(nb));
    }

    private static NDArray one(NDArray cos) {
        return cos.neg().add(1f);
    }
}
