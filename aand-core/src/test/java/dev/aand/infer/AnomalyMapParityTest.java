package dev.aand.infer;

import static dev.aand.testing.OfficialFixtures.assertClose;
import static dev.aand.testing.OfficialFixtures.npy;
import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.aand.config.AandConfig;
import dev.aand.testing.Engines;
import dev.aand.testing.OfficialFixtures;
import org.junit.jupiter.api.Test;

/**
 * The anomaly map against the official {@code cal_anomaly_map(..., amap_mode='a')} and
 * {@code gaussian_filter(sigma=4)} (fixtures README 7.6): each level's upsampled 1 - cos, their
 * sum, the blurred map and the image score, all within abs 1e-5. The official sums and blurs in
 * float64; ours stays in float32.
 */
class AnomalyMapParityTest {
    private static final String[] TEACHER = {"amap_teacher_l1_1x8x16x16.npy", "amap_teacher_l2_1x16x8x8.npy",
        "amap_teacher_l3_1x32x4x4.npy"};
    private static final String[] STUDENT = {"amap_student_l1_1x8x16x16.npy", "amap_student_l2_1x16x8x8.npy",
        "amap_student_l3_1x32x4x4.npy"};

    @Test
    void levelsSumBlurAndScore() {
        JsonObject expected = OfficialFixtures.json("amap.json");
        AnomalyMapGenerator maps = new AnomalyMapGenerator(64, AandConfig.defaults().blurSigma());
        try (NDManager m = Engines.manager()) {
            NDList teacher = new NDList();
            NDList student = new NDList();
            for (int i = 0; i < 3; i++) {
                teacher.add(OfficialFixtures.nd(m, TEACHER[i]));
                student.add(OfficialFixtures.nd(m, STUDENT[i]));
                assertClose("level " + (i + 1), npy("amap_level" + (i + 1) + "_64x64.npy"),
                        maps.levelMap(teacher.get(i), student.get(i)), 1e-5, 0);
            }
            NDArray raw = maps.rawMap(teacher, student);
            assertClose("sum", npy("amap_sum_64x64_f8.npy"), raw, 1e-5, 0);
            NDArray blurred = maps.fromDiscrepancy(teacher, student);
            assertClose("blurred", npy("amap_blur_64x64_f8.npy"), blurred, 1e-5, 0);
            assertClose("image score", new float[] {expected.get("image_score_max_of_blur").getAsFloat()},
                    AnomalyMapGenerator.scores(blurred).toFloatArray(), 1e-5, 0);
        }
    }
}
