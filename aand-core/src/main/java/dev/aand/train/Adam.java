package dev.aand.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aand.backbone.weights.HostTensor;
import dev.aand.engine.TensorFormats;
import dev.aand.nn.StateDicts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with bias correction (PyTorch's update rule, no weight decay; the official code trains both
 * stages with lr 0.005 and betas (0.5, 0.999)). Moments live in the
 * optimizer's own manager; weights are updated in place through detached views, so the
 * tensors that layers hold keep their identity and gradient flag.
 */
public final class Adam implements AutoCloseable {
    private final List<String> names;
    private final List<NDArray> params;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final NDManager manager;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private double lr;
    private int step;

    public Adam(Map<String, NDArray> parameters, double lr, double beta1, double beta2) {
        this.names = List.copyOf(parameters.keySet());
        this.params = List.copyOf(parameters.values());
        this.manager = params.isEmpty() ? NDManager.newBaseManager() : params.get(0).getManager().newSubManager();
        for (NDArray p : params) {
            m.add(manager.zeros(p.getShape()));
            v.add(manager.zeros(p.getShape()));
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = 1e-8;
    }

    public void setLearningRate(double lr) {
        this.lr = lr;
    }

    /**
     * Applies one update from the gradients the last backward pass left, then clears them. The
     * arithmetic is torch 1.13's single-tensor Adam step, in the same order: m = b1 m + (1-b1) g;
     * v = b2 v + (1-b2) g^2; p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps), with the
     * bias corrections in double and eps added after the correction.
     */
    public void step() {
        step++;
        double bc1 = 1 - StrictMath.pow(beta1, step);
        double bc2Sqrt = Math.sqrt(1 - StrictMath.pow(beta2, step));
        double stepSize = lr / bc1;
        try (NDManager tmp = manager.newSubManager()) {
            // sqrt(v) as v^0.5 with a tensor exponent: libtorch's sqrt() calls MKL's vector math,
            // whose first call in a process now and then returns a less accurate result, and the
            // first parameter's update then differs between two runs of the same seed
            // (docs/method.md, "Reproducibility"). Its own pow is within an ulp of the square root.
            NDArray half = tmp.create(0.5f);
            for (int i = 0; i < params.size(); i++) {
                NDArray p = params.get(i);
                NDArray g = p.getGradient();
                g.attach(tmp);
                // Scalars as float: a Java double would promote the tensors to float64.
                m.get(i).muli((float) beta1).addi(g.mul((float) (1 - beta1)));
                // (1-b2) * g * g in torch's addcmul order, so the moments match it bit for bit.
                v.get(i).muli((float) beta2).addi(g.mul((float) (1 - beta2)).muli(g));
                NDArray denom = v.get(i).pow(half).divi((float) bc2Sqrt).addi((float) eps);
                NDArray update = m.get(i).div(denom).muli((float) stepSize);
                NDArray view = p.stopGradient();
                view.attach(tmp);
                view.subi(update);
                g.subi(g); // PyTorch accumulates gradients: clear them for the next step
            }
        }
    }

    /** The first moment (exp_avg) of the i-th parameter, in the order the map listed them. */
    NDArray firstMoment(int i) {
        return m.get(i);
    }

    /** The second moment (exp_avg_sq) of the i-th parameter. */
    NDArray secondMoment(int i) {
        return v.get(i);
    }

    /**
     * What a checkpoint needs to continue exactly where this optimizer stands.
     *
     * @param steps updates applied so far (the bias corrections depend on it)
     * @param moments "m." and "v." + parameter name -> first and second moment, host copies
     */
    public record State(int steps, Map<String, HostTensor> moments) {}

    /** A host copy of the step count and both moments of every parameter. */
    public State state() {
        Map<String, NDArray> live = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            live.put("m." + names.get(i), m.get(i));
            live.put("v." + names.get(i), v.get(i));
        }
        return new State(step, StateDicts.toHost(live));
    }

    /** Continues from a saved state of an optimizer over the same parameters. */
    public void restore(State state) {
        for (int i = 0; i < names.size(); i++) {
            replace(m, i, state.moments().get("m." + names.get(i)));
            replace(v, i, state.moments().get("v." + names.get(i)));
        }
        this.step = state.steps();
    }

    private void replace(List<NDArray> moments, int i, HostTensor saved) {
        NDArray old = moments.get(i);
        long[] shape = old.getShape().getShape();
        if (saved == null || !Arrays.equals(saved.shape(), shape)) {
            throw new IllegalArgumentException("optimizer state for " + names.get(i) + " is "
                    + (saved == null ? "missing" : "of shape " + HostTensor.formatShape(saved.shape()))
                    + ", the parameter has shape " + HostTensor.formatShape(shape));
        }
        // In libtorch's own (aligned) memory, as the moments of an uninterrupted run are.
        moments.set(i, TensorFormats.engineOwned(manager, saved.toFloatArray(), old.getShape()));
        old.close();
    }

    @Override
    public void close() {
        manager.close();
    }
}
