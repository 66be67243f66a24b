package dev.aand.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bilinear resizing with exact {@code torch.nn.functional.interpolate(mode='bilinear')} semantics,
 * done as two dense matrix products {@code Ry · x · Rxᵀ} on the engine. DJL's own resize ignores
 * {@code align_corners} and antialiases when shrinking, so feature maps and anomaly maps would not
 * match the reference implementation.
 */
public final class BilinearUpsampler {
    private record Key(int in, int out, boolean alignCorners) {}

    // Row-major [out, in] weights; shared by all instances because they depend only on the key.
    private static final Map<Key, float[]> CACHE = new ConcurrentHashMap<>();

    /**
     * Resizes the last two axes of {@code x} ({@code [N,C,h,w]}; any rank >= 2 works) to
     * {@code outH x outW}. The result lives in {@code x}'s manager; temporaries are freed.
     */
    public NDArray resize(NDArray x, int outH, int outW, boolean alignCorners) {
        Shape s = x.getShape();
        if (s.dimension() < 2) {
            throw new IllegalArgumentException("bilinear resize needs at least 2 axes, got " + s);
        }
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("output size must be positive, got " + outH + "x" + outW);
        }
        int h = (int) s.get(s.dimension() - 2);
        int w = (int) s.get(s.dimension() - 1);
        if (h == outH && w == outW) {
            // Both conventions map every output pixel onto its own input pixel: identity.
            return x.duplicate();
        }
        NDManager parent = x.getManager();
        try (NDManager scope = parent.newSubManager()) {
            NDArray ry = matrix(scope, h, outH, alignCorners, x.getDataType(), false);
            NDArray rxT = matrix(scope, w, outW, alignCorners, x.getDataType(), true);
            NDArray out = ry.matMul(x).matMul(rxT);
            out.attach(parent);
            return out;
        }
    }

    /** The [out, in] interpolation matrix (row i holds the two weights of output pixel i). */
    static float[] weights(int in, int out, boolean alignCorners) {
        return CACHE.computeIfAbsent(new Key(in, out, alignCorners), BilinearUpsampler::build);
    }

    private static NDArray matrix(NDManager m, int in, int out, boolean align, DataType type,
            boolean transpose) {
        float[] wts = weights(in, out, align);
        NDArray a = m.create(wts, new Shape(out, in));
        if (transpose) {
            a = a.transpose();
        }
        return type == DataType.FLOAT32 ? a : a.toType(type, false);
    }

    private static float[] build(Key k) {
        int in = k.in();
        int out = k.out();
        float[] r = new float[out * in];
        double scale;
        if (k.alignCorners()) {
            scale = out > 1 ? (double) (in - 1) / (out - 1) : 0.0;
        } else {
            scale = (double) in / out;
        }
        for (int i = 0; i < out; i++) {
            double src = k.alignCorners() ? i * scale : Math.max((i + 0.5) * scale - 0.5, 0.0);
            int i0 = Math.min((int) Math.floor(src), in - 1);
            int i1 = Math.min(i0 + 1, in - 1); // torch clamps the upper neighbour at the edge
            double l1 = src - i0;
            r[i * in + i0] += (float) (1.0 - l1);
            r[i * in + i1] += (float) l1;
        }
        return r;
    }
}
