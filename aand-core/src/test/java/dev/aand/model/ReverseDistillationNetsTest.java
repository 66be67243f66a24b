package dev.aand.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aand.engine.OfflineEngine;
import dev.aand.nn.InitContext;
import dev.aand.train.Adam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReverseDistillationNetsTest {
    private static final String[] DESIGNS = {"wide_resnet50_2", "resnet50", "resnet18", "resnet34", "mobilenet_v1"};
    private static NDManager manager;
    /** The largest design, built once: its construction dominates this class's run time. */
    private static ReverseDistillationNets wide;

    @BeforeAll
    static void start() {
        OfflineEngine.get();
        manager = NDManager.newBaseManager();
        wide = ReverseDistillationNets.forBackbone("wide_resnet50_2", new int[] {256, 512, 1024},
                new InitContext(manager, 3));
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** Random tensors shaped like the teacher's levels for a square image (strides 4, 8, 16). */
    private static NDList teacherLevels(NDManager m, int[] channels, int batch, int image) {
        NDList out = new NDList();
        for (int i = 0; i < 3; i++) {
            int side = image / (4 << i);
            out.add(m.randomNormal(new Shape(batch, channels[i], side, side)));
        }
        return out;
    }

    @Test
    void everyDesignReproducesTheTeacherShapesFinestFirst() {
        for (String name : DESIGNS) {
            ReverseDistillationSpec spec = ReverseDistillationSpec.forBackbone(name);
            try (NDManager m = manager.newSubManager()) {
                ReverseDistillationNets nets = name.equals("wide_resnet50_2") ? wide
                        : ReverseDistillationNets.forBackbone(name, spec.teacherChannels(), new InitContext(m, 1));
                nets.train(false);
                NDList levels = teacherLevels(m, spec.teacherChannels(), 2, 64);
                NDArray embedding = nets.bottleneck().forward(levels);
                assertEquals(new Shape(2, spec.embeddingChannels(), 2, 2), embedding.getShape(), name);
                NDList student = nets.decoder().forward(embedding);
                assertEquals(3, student.size(), name);
                for (int i = 0; i < 3; i++) {
                    assertEquals(levels.get(i).getShape(), student.get(i).getShape(), name + " level " + (i + 1));
                }
                assertArrayEquals(spec.teacherChannels(), nets.decoder().outChannels(), name);
            }
        }
    }

    @Test
    void wideResnetDesignHasRd4adNamesShapesAndParameterCount() {
        {
            ReverseDistillationNets nets = wide;
            Map<String, NDArray> bn = nets.bottleneck().stateDict();
            Map<String, NDArray> de = nets.decoder().stateDict();
            // Names and shapes read off RD4AD's BN_layer(AttnBottleneck, 3, width_per_group=128).
            assertShape(bn, "bn_layer.0.conv1.weight", 1024, 3072, 1, 1);
            assertShape(bn, "bn_layer.0.conv2.weight", 1024, 1024, 3, 3);
            assertShape(bn, "bn_layer.0.conv3.weight", 2048, 1024, 1, 1);
            assertShape(bn, "bn_layer.0.downsample.0.weight", 2048, 3072, 1, 1);
            assertShape(bn, "bn_layer.0.downsample.1.running_var", 2048);
            assertShape(bn, "bn_layer.2.conv1.weight", 1024, 2048, 1, 1);
            assertShape(bn, "conv1.weight", 512, 256, 3, 3);
            assertShape(bn, "conv2.weight", 1024, 512, 3, 3);
            assertShape(bn, "conv3.weight", 1024, 512, 3, 3);
            assertShape(bn, "bn3.num_batches_tracked");
            assertFalse(bn.containsKey("bn_layer.1.downsample.0.weight"));
            assertFalse(bn.containsKey("conv4.weight"), "RD4AD's unused conv4 is deliberately left out");
            assertTrue(bn.keySet().iterator().next().startsWith("bn_layer."), "RD4AD registers bn_layer first");
            // ... and off de_wide_resnet50_2 (ConvTranspose2d weights are [in, out, kH, kW]).
            assertShape(de, "layer1.0.conv1.weight", 512, 2048, 1, 1);
            assertShape(de, "layer1.0.conv2.weight", 512, 512, 2, 2);
            assertShape(de, "layer1.0.upsample.0.weight", 2048, 1024, 2, 2);
            assertShape(de, "layer1.0.upsample.1.weight", 1024);
            assertShape(de, "layer1.2.conv2.weight", 512, 512, 3, 3);
            assertShape(de, "layer2.3.conv3.weight", 512, 256, 1, 1);
            assertShape(de, "layer3.0.upsample.0.weight", 512, 256, 2, 2);
            assertShape(de, "layer3.5.bn3.running_mean", 256);
            assertFalse(de.containsKey("layer3.6.conv1.weight"));
            assertFalse(de.containsKey("layer1.0.conv2.bias"), "convs have no bias");

            long bottleneck = conv(3, 256, 512) + bnp(512) + conv(3, 512, 1024) + bnp(1024)
                    + conv(3, 512, 1024) + bnp(1024)
                    + wideBlock(3072, 1024, 2048, 3) + conv(1, 3072, 2048) + bnp(2048)
                    + 2 * wideBlock(2048, 1024, 2048, 3);
            long decoder = 0;
            int in = 2048;
            int[] planes = {256, 128, 64};
            int[] blocks = {3, 4, 6};
            for (int s = 0; s < 3; s++) {
                int width = 2 * planes[s];
                int out = 4 * planes[s];
                decoder += wideBlock(in, width, out, 2) + conv(2, in, out) + bnp(out);
                decoder += (blocks[s] - 1) * wideBlock(out, width, out, 3);
                in = out;
            }
            assertEquals(bottleneck, nets.bottleneck().parameterCount());
            assertEquals(decoder, nets.decoder().parameterCount());
            assertEquals(bottleneck + decoder, nets.parameterCount());
            assertEquals(nets.parameters().size(), bn.keySet().stream().filter(k -> isParam(k)).count()
                    + de.keySet().stream().filter(k -> isParam(k)).count());
        }
    }

    private static boolean isParam(String key) {
        return !key.endsWith("running_mean") && !key.endsWith("running_var") && !key.endsWith("num_batches_tracked");
    }

    /** Weights of a k x k bias-free conv. */
    private static long conv(int k, int in, int out) {
        return (long) k * k * in * out;
    }

    /** BatchNorm's weight and bias. */
    private static long bnp(int c) {
        return 2L * c;
    }

    /** 1x1 (in to width), k x k (width to width), 1x1 (width to out), each with BN. */
    private static long wideBlock(int in, int width, int out, int k) {
        return conv(1, in, width) + bnp(width) + conv(k, width, width) + bnp(width) + conv(1, width, out) + bnp(out);
    }

    private static void assertShape(Map<String, NDArray> dict, String key, long... shape) {
        NDArray a = dict.get(key);
        assertNotNull(a, "missing " + key);
        assertEquals(new Shape(shape), a.getShape(), key);
    }

    @Test
    void initialisationFollowsRd4adAndDependsOnlyOnTheSeed() {
        try (NDManager m = manager.newSubManager()) {
            ReverseDistillationNets a = ReverseDistillationNets.forBackbone("resnet18", new int[] {64, 128, 256},
                    new InitContext(m, 42));
            ReverseDistillationNets b = ReverseDistillationNets.forBackbone("resnet18", new int[] {64, 128, 256},
                    new InitContext(m, 42));
            ReverseDistillationNets c = ReverseDistillationNets.forBackbone("resnet18", new int[] {64, 128, 256},
                    new InitContext(m, 43));
            Map<String, NDArray> sa = a.stateDict();
            Map<String, NDArray> sb = b.stateDict();
            Map<String, NDArray> sc = c.stateDict();
            assertEquals(sa.keySet(), sb.keySet());
            for (String k : sa.keySet()) {
                assertTrue(sa.get(k).contentEquals(sb.get(k)), "same seed, different " + k);
            }
            assertFalse(sa.get("bn.conv1.weight").contentEquals(sc.get("bn.conv1.weight")));
            assertFalse(sa.get("decoder.layer3.1.conv2.weight").contentEquals(sc.get("decoder.layer3.1.conv2.weight")));

            // kaiming_normal fan_out for convs: std sqrt(2 / (out * k * k)).
            float[] w = sa.get("bn.bn_layer.0.conv2.weight").toFloatArray(); // 512x512x3x3
            assertEquals(Math.sqrt(2.0 / (512 * 9)), std(w), 0.02 * Math.sqrt(2.0 / (512 * 9)));
            // Transposed convs keep PyTorch's default: U(-b, b), b = 1/sqrt(out * k * k) for [in,out,k,k].
            float[] t = sa.get("decoder.layer1.0.conv1.weight").toFloatArray(); // 512x256x2x2
            double bound = 1 / Math.sqrt(256 * 4);
            double max = 0;
            for (float v : t) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= bound && max > 0.99 * bound, "uniform bound " + bound + " vs max " + max);
            assertEquals(bound / Math.sqrt(3), std(t), 0.02 * bound);
            // BN weight 1, bias 0.
            assertEquals(1f, sa.get("decoder.layer2.1.bn2.weight").min().getFloat());
            assertEquals(1f, sa.get("decoder.layer2.1.bn2.weight").max().getFloat());
            assertEquals(0f, sa.get("bn.bn1.bias").abs().max().getFloat());
        }
    }

    private static double std(float[] v) {
        double s = 0;
        double s2 = 0;
        for (float x : v) {
            s += x;
            s2 += (double) x * x;
        }
        double mean = s / v.length;
        return Math.sqrt(s2 / v.length - mean * mean);
    }

    @Test
    void gradientsReachEveryParameterAndAdamReducesReconstructionLoss() {
        var engine = OfflineEngine.get();
        try (NDManager m = manager.newSubManager()) {
            m.getEngine().setRandomSeed(5);
            ReverseDistillationSpec spec = ReverseDistillationSpec.forBackbone("mobilenet_v1");
            ReverseDistillationNets nets =
                    ReverseDistillationNets.forBackbone("mobilenet_v1", spec.teacherChannels(), new InitContext(m, 9));
            nets.train(true);
            // Batch 4: at 32x32 the embedding is 1x1, and BatchNorm over only two values would
            // normalise every input to +-1 and pass almost no gradient.
            NDList levels = teacherLevels(m, spec.teacherChannels(), 4, 32);
            NDList targets = teacherLevels(m, spec.teacherChannels(), 4, 32);
            Map<String, NDArray> params = nets.parameters();
            List<Float> losses = new ArrayList<>();
            try (Adam adam = new Adam(params, 0.005, 0.5, 0.999)) {
                for (int step = 0; step < 5; step++) {
                    try (NDScope scope = new NDScope()) {
                        NDArray loss;
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            loss = cosineLoss(nets.forward(levels), targets);
                            gc.backward(loss);
                        }
                        losses.add(loss.getFloat());
                        if (step == 0) {
                            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                                float g = e.getValue().getGradient().abs().sum().getFloat();
                                assertTrue(g > 0 && Float.isFinite(g), "no gradient reaches " + e.getKey());
                            }
                        }
                        adam.step();
                    }
                }
            }
            for (int i = 1; i < losses.size(); i++) {
                assertTrue(losses.get(i) < losses.get(i - 1), "loss did not fall at every step: " + losses);
            }
            // Training mode updated BatchNorm running statistics.
            assertNotEquals(0f, nets.stateDict().get("decoder.layer1.0.bn1.running_mean").abs().sum().getFloat());
        }
    }

    /** Sum over levels of the batch mean of 1 - cos(flatten(student), flatten(target)). */
    private static NDArray cosineLoss(NDList student, NDList targets) {
        NDArray total = null;
        for (int i = 0; i < 3; i++) {
            NDArray s = student.get(i).reshape(student.get(i).getShape().get(0), -1);
            NDArray t = targets.get(i).reshape(s.getShape());
            NDArray cos = s.mul(t).sum(new int[] {1})
                    .div(s.norm(new int[] {1}).mul(t.norm(new int[] {1})).add(1e-8f));
            NDArray level = cos.neg().add(1).mean();
            total = total == null ? level : total.add(level);
        }
        return total;
    }

    @Test
    void rejectsMismatchedTeachersClearly() {
        var e = assertThrows(IllegalArgumentException.class, () -> ReverseDistillationNets.forBackbone(
                "wide_resnet50_2", new int[] {256, 512, 512}, new InitContext(manager, 1)));
        assertTrue(e.getMessage().contains("wide_resnet50_2") && e.getMessage().contains("[256, 512, 1024]"),
                e.getMessage());
        var u = assertThrows(IllegalArgumentException.class, () -> ReverseDistillationSpec.forBackbone("vgg16"));
        assertTrue(u.getMessage().contains("vgg16") && u.getMessage().contains("mobilenet_v1"), u.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ReverseDistillationSpec("x", BlockKind.BASIC,
                new int[] {64, 128, 256}, 128, 512, 2, new int[] {256, 128, 64}, new int[] {2, 2, 2}));
        assertThrows(IllegalArgumentException.class, () -> new ReverseDistillationSpec("x", BlockKind.BOTTLENECK,
                new int[] {64, 128, 256}, 64, 512, 2, new int[] {256, 128, 64}, new int[] {2, 2, 2}));

        try (NDManager m = manager.newSubManager()) {
            ReverseDistillationNets nets = ReverseDistillationNets.forBackbone("resnet18", new int[] {64, 128, 256},
                    new InitContext(m, 1));
            NDList wrongChannels = teacherLevels(m, new int[] {64, 128, 512}, 1, 64);
            var c = assertThrows(IllegalArgumentException.class, () -> nets.bottleneck().forward(wrongChannels));
            assertTrue(c.getMessage().contains("level 3"), c.getMessage());
            NDList wrongGrid = new NDList(m.zeros(new Shape(1, 64, 16, 16)), m.zeros(new Shape(1, 128, 8, 8)),
                    m.zeros(new Shape(1, 256, 3, 3)));
            var g = assertThrows(IllegalArgumentException.class, () -> nets.bottleneck().forward(wrongGrid));
            assertTrue(g.getMessage().contains("level 1"), g.getMessage());
            var d = assertThrows(IllegalArgumentException.class,
                    () -> nets.decoder().forward(m.zeros(new Shape(1, 256, 2, 2))));
            assertTrue(d.getMessage().contains("512"), d.getMessage());
        }
    }
}
