package dev.aand.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.aand.train.DistillationLoss;

/**
 * Turns per-level discrepancies into one anomaly map (paper Sec. III-D): per level 1 - cos over
 * channels (or the gate weight for the gate-score ablation), bilinear upsampling to the image size
 * with align_corners=true, sum over levels, then a Gaussian blur with SciPy's semantics.
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
        NDList levels = new NDList(teacher.size());
        for (int i = 0; i < teacher.size(); i++) {
            levels.add(DistillationLoss.discrepancy(teacher.get(i), student.get(i)).expandDims(1));
        }
        return combine(levels);
    }

    /** Maps [N, S, S] from per-level maps [N, 1, h, w] (the gate-score ablation uses w). */
    public NDArray combine(NDList levels) {
        NDArray sum = null;
        for (NDArray level : levels) {
            NDArray up = upsampler.resize(level, size, size, true);
            sum = sum == null ? up : sum.add(up);
        }
        return blur.apply(sum).squeeze(1);
    }

    /** Image score: the map's maximum, [N]. */
    public static NDArray scores(NDArray maps) {
        return maps.reshape(maps.getShape().get(0), -1).max(new int[] {1});
    }
}
