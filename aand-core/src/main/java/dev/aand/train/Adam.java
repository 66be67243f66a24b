package dev.aand.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adam with bias correction (PyTorch's update rule, no weight decay). Moments live in the
 * optimizer's own manager; weights are updated in place through detached views, so the
 * tensors that layers hold keep their identity and gradient flag.
 */
public final class Adam implements AutoCloseable {
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

    /** Applies one update from the gradients the last backward pass left, then clears them. */
    public void step() {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / bc1;
        try (NDManager tmp = manager.newSubManager()) {
            for (int i = 0; i < params.size(); i++) {
                NDArray p = params.get(i);
                NDArray g = p.getGradient();
                g.attach(tmp);
                // Scalars as float: a Java double would promote the tensors to float64.
                m.get(i).muli((float) beta1).addi(g.mul((float) (1 - beta1)));
                v.get(i).muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
                NDArray denom = v.get(i).div((float) bc2).sqrt().addi((float) eps);
                NDArray update = m.get(i).div(denom).muli((float) stepSize);
                NDArray view = p.stopGradient();
                view.attach(tmp);
                view.subi(update);
                g.subi(g); // PyTorch accumulates gradients: clear them for the next step
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
