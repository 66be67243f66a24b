package dev.aand.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aand.engine.TensorFormats;
import java.util.SplittableRandom;

/**
 * Where new parameters live and where their initial values come from. Values are drawn in Java
 * from a seeded generator, so the same seed gives bit-identical weights on any engine or device.
 */
public final class InitContext {
    private final NDManager manager;
    private final SplittableRandom rng;

    public InitContext(NDManager manager, long seed) {
        this.manager = manager;
        this.rng = new SplittableRandom(seed);
    }

    public NDManager manager() {
        return manager;
    }

    public NDArray zeros(Shape shape) {
        return manager.zeros(shape);
    }

    public NDArray ones(Shape shape) {
        return manager.ones(shape);
    }

    public NDArray normal(Shape shape, double std) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian() * std);
        }
        return TensorFormats.engineOwned(manager, v, shape);
    }

    public NDArray uniform(Shape shape, double bound) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return TensorFormats.engineOwned(manager, v, shape);
    }

    /** Kaiming-normal with fan_out and ReLU gain, as torchvision and RD4AD initialise convs. */
    public NDArray kaimingNormalFanOut(Shape weight) {
        long receptive = weight.size() / (weight.get(0) * weight.get(1));
        double fanOut = weight.get(0) * receptive;
        return normal(weight, Math.sqrt(2.0 / fanOut));
    }

    /** PyTorch's default conv init (kaiming_uniform with a = sqrt(5)): bound 1/sqrt(fan_in). */
    public NDArray torchDefault(Shape weight, long fanIn) {
        return uniform(weight, 1.0 / Math.sqrt(fanIn));
    }

    public NDArray longScalar(long value) {
        return manager.create(value).toType(DataType.INT64, false);
    }

    /** A standard normal sample (Box-Muller on the seeded generator). */
    private double gaussian() {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * StrictMath.log(1 - u1)) * StrictMath.cos(2 * Math.PI * u2);
    }
}
