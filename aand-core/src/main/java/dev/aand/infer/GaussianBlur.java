package dev.aand.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code scipy.ndimage.gaussian_filter(x, sigma)} (mode 'reflect', i.e. half-sample symmetric;
 * truncate 4.0) over the last two axes, as {@code By · x · Bxᵀ} with the boundary reflection
 * folded into dense [n, n] matrices. The anomaly-map smoothing of the reference method is this
 * exact filter, and a dense product runs on the engine (CPU or GPU) with no per-pixel Java loop.
 */
public final class GaussianBlur {
    /** scipy's default: the kernel extends to 4 sigma. */
    public static final double DEFAULT_TRUNCATE = 4.0;

    private final double sigma;
    private final double truncate;
    private final double[] kernel;
    private final Map<Integer, float[]> cache = new ConcurrentHashMap<>();

    public GaussianBlur(double sigma) {
        this(sigma, DEFAULT_TRUNCATE);
    }

    public GaussianBlur(double sigma, double truncate) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a positive number, got " + sigma);
        }
        if (!(truncate > 0) || Double.isInfinite(truncate)) {
            throw new IllegalArgumentException("truncate must be a positive number, got " + truncate);
        }
        this.sigma = sigma;
        this.truncate = truncate;
        this.kernel = kernel(sigma, truncate);
    }

    public double sigma() {
        return sigma;
    }

    public double truncate() {
        return truncate;
    }

    /** Kernel radius as scipy computes it: {@code int(truncate * sigma + 0.5)}. */
    public int radius() {
        return (kernel.length - 1) / 2;
    }

    /** The normalised 1-D weights ({@code 2*radius+1} taps), a copy. */
    public double[] kernel() {
        return kernel.clone();
    }

    /**
     * Blurs the last two axes of {@code x} ({@code [N,1,H,W]}, {@code [N,H,W]} or {@code [H,W]}).
     * The result lives in {@code x}'s manager; temporaries are freed.
     */
    public NDArray apply(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() < 2) {
            throw new IllegalArgumentException("gaussian blur needs at least 2 axes, got " + s);
        }
        int h = (int) s.get(s.dimension() - 2);
        int w = (int) s.get(s.dimension() - 1);
        NDManager parent = x.getManager();
        try (NDManager scope = parent.newSubManager()) {
            NDArray by = toNd(scope, h, x.getDataType(), false);
            NDArray bxT = toNd(scope, w, x.getDataType(), true);
            // Rows (axis 0 of each image) first, then columns, like scipy's axis order.
            NDArray out = by.matMul(x).matMul(bxT);
            out.attach(parent);
            return out;
        }
    }

    /** The row-major [n, n] blur matrix with the boundary reflection folded in. */
    float[] matrix(int n) {
        return cache.computeIfAbsent(n, this::build);
    }

    private NDArray toNd(NDManager m, int n, DataType type, boolean transpose) {
        NDArray a = m.create(matrix(n), new Shape(n, n));
        if (transpose) {
            a = a.transpose();
        }
        return type == DataType.FLOAT32 ? a : a.toType(type, false);
    }

    private float[] build(int n) {
        int r = radius();
        // Accumulate in double so taps folded onto the same pixel are summed before rounding.
        double[] acc = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = -r; k <= r; k++) {
                acc[i * n + reflect(i + k, n)] += kernel[k + r];
            }
        }
        float[] out = new float[n * n];
        for (int i = 0; i < acc.length; i++) {
            out[i] = (float) acc[i];
        }
        return out;
    }

    /** Half-sample symmetric index (d c b a | a b c d | d c b a), valid for any overshoot. */
    static int reflect(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }

    private static double[] kernel(double sigma, double truncate) {
        int radius = (int) (truncate * sigma + 0.5);
        double[] k = new double[2 * radius + 1];
        double c = -0.5 / (sigma * sigma); // same operation order as scipy, for bitwise weights
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            double v = StrictMath.exp(c * ((double) i * i));
            k[i + radius] = v;
            sum += v;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }
}
