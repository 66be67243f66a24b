package dev.aand.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.aand.nn.Cosine;

/**
 * Turns per-level discrepancies into one anomaly map (paper Sec. III-D, the official
 * {@code cal_anomaly_map(..., amap_mode='a')} + {@code gaussian_filter}): per level 1 - cos over
 * channels (or the gate weight for the gate-score ablation), bilinear upsampling to the image size
 * with align_corners=true, sum over levels, then a Gaussian blur with SciPy's semantics. The image
 * score is the blurred map's maximum.
 */
public final class AnomalyMapGenerator {
    private final int size;
    private final BilinearUpsampler upsampler = new BilinearUpsampler();
    private final GaussianBlur blur;

    public AnomalyMapGenerator(int imageSize, double sigma) {
        this.size = imageSize;
        this.blur = new GaussianBlur(sigma);
    }

    /** Maps [N, S, S] from teacher/student level pairs (finest first). */
    public NDArray fromDiscrepancy(NDList teacher, NDList student) {
        return smooth(rawMap(teacher, student));
    }

    /** The unblurred map [N, 1, S, S]: the sum of {@link #levelMap} over the levels. */
    public NDArray rawMap(NDList teacher, NDList student) {
        NDArray sum = null;
        for (int i = 0; i < teacher.size(); i++) {
            NDArray level = levelMap(teacher.get(i), student.get(i));
            sum = sum == null ? level : sum.add(level);
        }
        return sum;
    }

    /** One level's map: 1 - cos over channels, upsampled to the image size, [N, 1, S, S]. */
    public NDArray levelMap(NDArray teacher, NDArray student) {
        return upsample(Cosine.distance(teacher, student, 1).expandDims(1));
    }

    /** Maps [N, S, S] from per-level maps [N, 1, h, w] (the gate-score ablation uses w). */
    public NDArray combine(NDList levels) {
        NDArray sum = null;
        for (NDArray level : levels) {
            NDArray up = upsample(level);
            sum = sum == null ? up : sum.add(up);
        }
        return smooth(sum);
    }

    /** The Gaussian blur of a raw map [N, 1, S, S], as [N, S, S]. */
    public NDArray smooth(NDArray raw) {
        return blur.apply(raw).squeeze(1);
    }

    private NDArray upsample(NDArray level) {
        return upsampler.resize(level, size, size, true);
    }

    /** Image score: the map's maximum, [N]. */
    public static NDArray scores(NDArray maps) {
        return maps.reshape(maps.getShape().get(0), -1).max(new int[] {1});
    }
}
