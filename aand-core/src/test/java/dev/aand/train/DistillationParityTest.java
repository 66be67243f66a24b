package dev.aand.train;

import static dev.aand.testing.OfficialFixtures.assertClose;
import static dev.aand.testing.OfficialFixtures.assertRelative;
import static dev.aand.testing.OfficialFixtures.npy;
import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.aand.config.AandConfig;
import dev.aand.testing.Engines;
import dev.aand.testing.OfficialFixtures;
import org.junit.jupiter.api.Test;

/**
 * KD + HKD against the official {@code loss_fucntion} (fixtures README 7.3): the value, each
 * level's terms and position-loss map, and the gradient at the student. Image 1's student is
 * noisier than image 0's, so a top-k over the whole batch instead of per image is caught.
 */
class DistillationParityTest {
    private static final String[] TEACHER = {"kd_teacher_l1_2x16x8x8.npy", "kd_teacher_l2_2x32x4x4.npy",
        "kd_teacher_l3_2x64x4x4.npy"};
    private static final String[] STUDENT = {"kd_student_l1_2x16x8x8.npy", "kd_student_l2_2x32x4x4.npy",
        "kd_student_l3_2x64x4x4.npy"};
    private static final String[] LOSS_MAP = {"kd_lossmap_l1_2x64.npy", "kd_lossmap_l2_2x16.npy",
        "kd_lossmap_l3_2x16.npy"};
    private static final String[] GRAD = {"kd_grad_student_l1_2x16x8x8.npy", "kd_grad_student_l2_2x32x4x4.npy",
        "kd_grad_student_l3_2x64x4x4.npy"};

    /** The student's gradients keep the cosine's constant through a garbage collection (engine/Scalars). */
    /** The official fixture levels; the student's need gradients. */
    private static NDList levels(NDManager m, String[] files, boolean student) {
        NDList out = new NDList();
        for (String f : files) {
            NDArray x = OfficialFixtures.nd(m, f);
            x.setRequiresGradient(student);
            out.add(x);
        }
        return out;
    }

    @Test
    void studentGradientsDoNotDependOnWhenJavaCollectsGarbage() {
        FreedMemory.assertSameGradients(DistillationParityTest::studentGradients, "student level");
    }

    private static float[][] studentGradients(boolean collectBeforeBackward) {
        try (NDManager m = Engines.manager()) {
            NDList teacher = levels(m, TEACHER, false);
            NDList student = levels(m, STUDENT, true);
            Object reused = null;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray total = new DistillationLoss(true, AandConfig.defaults().hardTopK()).compute(teacher, student)
                        .total();
                if (collectBeforeBackward) {
                    reused = FreedMemory.collectAndReuse();
                }
                gc.backward(total);
            }
            java.lang.ref.Reference.reachabilityFence(reused);
            return student.stream().map(s -> s.getGradient().toFloatArray()).toArray(float[][]::new);
        }
    }

    @Test
    void valueTermsMapsAndStudentGradients() {
        JsonObject expected = OfficialFixtures.json("kd.json");
        int topK = AandConfig.defaults().hardTopK();
        assertEquals(10, topK);
        try (NDManager m = Engines.manager()) {
            NDList teacher = levels(m, TEACHER, false);
            NDList student = levels(m, STUDENT, true);
            DistillationLoss.Terms terms;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                terms = new DistillationLoss(true, topK).compute(teacher, student);
                gc.backward(terms.total());
            }
            double official = expected.get("loss").getAsDouble();
            assertRelative("KD + HKD", official, terms.total().getFloat(), 1e-5);
            // The per-batch top-k variant is far outside the tolerance, so the test tells them apart.
            double wrong = expected.get("wrong_variant_top_10B_over_whole_batch").getAsDouble();
            assertTrue(Math.abs(wrong - official) > 1000 * 1e-5 * official);

            JsonArray levels = expected.getAsJsonArray("levels");
            for (int i = 0; i < 3; i++) {
                JsonObject level = levels.get(i).getAsJsonObject();
                NDArray t = teacher.get(i);
                NDArray s = student.get(i);
                assertRelative("KD level " + (i + 1), level.get("kd").getAsDouble(),
                        DistillationLoss.knowledge(t, s).getFloat(), 1e-5);
                assertRelative("HKD level " + (i + 1), level.get("hkd").getAsDouble(),
                        DistillationLoss.hardKnowledge(t, s, topK).getFloat(), 1e-5);
                assertClose("loss map level " + (i + 1), npy(LOSS_MAP[i]), DistillationLoss.positionLoss(t, s), 1e-6,
                        1e-5);
                assertClose("dL/d student level " + (i + 1), npy(GRAD[i]), s.getGradient(), 1e-6, 0);
            }
        }
    }
}
