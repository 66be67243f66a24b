package dev.aand.train;

import ai.djl.ndarray.NDArray;
import dev.aand.engine.Scalars;

/**
 * Binary focal loss on the gate's anomaly weight, the gate's term of Eq. 9 (official code: alpha
 * 0.8, gamma 2): -a (1-w)^g y log w - (1-a) w^g (1-y) log(1-w), averaged over batch and positions.
 */
public final class FocalLoss {
    /**
     * Keeps log() finite when the gate saturates; far below any weight that matters. The official
     * code has no guard: with temperature 0.2, w stays within [4.5e-5, 1 - 4.5e-5], where this
     * clip is inactive; a lower temperature could reach log(0).
     */
    static final float EPS = 1e-6f;

    private final float alpha;
    private final float gamma;

    public FocalLoss(double alpha, double gamma) {
        this.alpha = (float) alpha;
        this.gamma = (float) gamma;
    }

    /**
     * @param w predicted anomaly weight in [0,1], any shape
     * @param y binary labels of the same shape
     */
    public NDArray compute(NDArray w, NDArray y) {
        NDArray p = w.clip(EPS, 1 - EPS);
        NDArray one = p.onesLike();
        // y log w as xlogy: libtorch computes it with the C library's log, while its log() calls
        // MKL's vector math, whose first call in a process now and then returns a less accurate
        // result (docs/method.md, "Reproducibility"). y is 0 or 1, so the products are the same.
        // Constants as engine tensors: autograd keeps them for the backward pass (Scalars).
        NDArray g = Scalars.of(p, gamma);
        NDArray pos = one.sub(p).pow(g).mul(y.xlogy(p)).mul(Scalars.of(p, alpha));
        NDArray neg = p.pow(g).mul(one.sub(y).xlogy(one.sub(p))).mul(Scalars.of(p, 1 - alpha));
        return pos.add(neg).neg().mean();
    }
}
