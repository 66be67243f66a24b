package dev.aand.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.aand.backbone.weights.HostTensor;
import dev.aand.engine.OfflineEngine;
import dev.aand.testing.Fixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded MobileNet weights, their layout, and the network's geometry. */
class MobileNetV1WeightsTest {
    @BeforeAll
    static void engine() {
        OfflineEngine.get();
    }

    /**
     * Every embedded tensor equals the original TF.js kernel re-laid out: HWIO -> OIHW for full
     * convs, [3,3,C,1] -> [C,1,3,3] for depthwise, gamma/beta/moving_* -> weight/bias/running_*.
     */
    @Test
    void embeddedTensorsAreTheTfjsKernelsInTorchLayout() throws Exception {
        Map<String, HostTensor> embedded = EmbeddedWeights.mobileNetV1();
        assertEquals(115, embedded.size(), "conv1 + 22 convs, 5 tensors per conv+BN");
        assertFalse(embedded.containsKey("conv_pw_12.weight"), "trimmed after conv_pw_11");
        // A subset of the original shards is in the test resources (see its README): one of each kind.
        Map<String, float[]> tf = readTfjs(Fixtures.resource("mobilenet_v1_tfjs"));
        Map<String, Integer> shapes = new HashMap<>();
        for (Map.Entry<String, HostTensor> e : embedded.entrySet()) {
            String key = e.getKey();
            long[] s = e.getValue().shape();
            float[] got = e.getValue().toFloatArray();
            String layer = key.substring(0, key.indexOf('.'));
            String field = key.substring(key.indexOf('.') + 1);
            float[] expected;
            if (layer.endsWith("_bn")) {
                String tfName = switch (field) {
                    case "weight" -> "gamma";
                    case "bias" -> "beta";
                    case "running_mean" -> "moving_mean";
                    default -> "moving_variance";
                };
                expected = tf.get(layer + "/" + tfName);
            } else if (layer.startsWith("conv_dw_")) {
                // TF [kh,kw,C,1] -> torch [C,1,kh,kw]
                expected = hwioToOihw(tf.get(layer + "/depthwise_kernel"), 3, 3, (int) s[0], 1, true);
            } else {
                int k = (int) s[2];
                expected = hwioToOihw(tf.get(layer + "/kernel"), k, k, (int) s[1], (int) s[0], false);
            }
            if (expected == null) {
                continue; // shard not in the test subset
            }
            assertArrayEquals(expected, got, key);
            shapes.merge(layer, 1, Integer::sum);
        }
        // conv1, depthwise and pointwise kernels and their BatchNorms are each covered.
        assertTrue(shapes.containsKey("conv1") && shapes.containsKey("conv1_bn"), shapes.toString());
        assertTrue(shapes.keySet().stream().filter(k -> k.startsWith("conv_dw_") && !k.endsWith("_bn")).count() >= 10);
        assertTrue(shapes.keySet().stream().filter(k -> k.startsWith("conv_pw_") && !k.endsWith("_bn")).count() >= 5);
        assertTrue(shapes.values().stream().mapToInt(Integer::intValue).sum() >= 90, shapes.toString());
    }

    @Test
    void tapsHaveTheDeclaredChannelsAndStrides() {
        try (NDManager m = NDManager.newBaseManager()) {
            MobileNetV1 net = MobileNetV1.pretrained(m);
            assertEquals(List.of(new FeatureLevel(128, 4), new FeatureLevel(256, 8), new FeatureLevel(512, 16)),
                    net.levels());
            NDArray img = TestImages.cookies(m, 1, 224);
            NDList taps = net.features(net.normalize(img));
            for (int i = 0; i < 3; i++) {
                FeatureLevel l = net.levels().get(i);
                assertEquals(new Shape(1, l.channels(), 224 / l.stride(), 224 / l.stride()), taps.get(i).getShape());
                assertFalse(taps.get(i).hasGradient());
                // ReLU6 range, and a real (not dead) response.
                assertTrue(taps.get(i).min().getFloat() >= 0 && taps.get(i).max().getFloat() <= 6);
                assertTrue(taps.get(i).mean().getFloat() > 0.01);
            }
            // Odd sizes follow TF SAME: ceil(n / 2) at each stride-2 layer.
            NDList odd = net.features(net.normalize(TestImages.cookies(m, 1, 100)));
            assertEquals(new Shape(1, 128, 25, 25), odd.get(0).getShape());
            assertEquals(new Shape(1, 256, 13, 13), odd.get(1).getShape());
            assertEquals(new Shape(1, 512, 7, 7), odd.get(2).getShape());
            long trainable = EmbeddedWeights.mobileNetV1().entrySet().stream()
                    .filter(e -> !e.getKey().contains(".running_")).mapToLong(e -> e.getValue().numel()).sum();
            assertEquals(trainable, net.parameterCount());
        }
    }

    @Test
    void samePaddingPadsBottomRightForStride2() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(1, 1, 4, 6));
            NDArray p = MobileNetV1.samePad(x, 3, 2);
            assertEquals(new Shape(1, 1, 5, 7), p.getShape());
            assertEquals(1f, p.getFloat(0, 0, 0, 0), "no pad at top/left");
            assertEquals(0f, p.getFloat(0, 0, 4, 0), "pad row at the bottom");
            assertEquals(0f, p.getFloat(0, 0, 0, 6), "pad column at the right");
            // An odd size needs 2 in total, split evenly.
            NDArray q = MobileNetV1.samePad(m.ones(new Shape(1, 1, 5, 5)), 3, 2);
            assertEquals(new Shape(1, 1, 7, 7), q.getShape());
            assertEquals(0f, q.getFloat(0, 0, 0, 0));
        }
    }

    @Test
    void normalizeMapsToMinusOneOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            MobileNetV1 net = MobileNetV1.random(m, 1);
            NDArray y = net.normalize(m.create(new float[] {0, 127.5f, 255}, new Shape(1, 3, 1, 1)));
            assertArrayEquals(new float[] {-1, 0, 1}, y.toFloatArray(), 1e-6f);
        }
    }

    private static float[] hwioToOihw(float[] tf, int kh, int kw, int in, int out, boolean depthwise) {
        if (tf == null) {
            return null;
        }
        float[] r = new float[tf.length];
        if (depthwise) {
            // TF [kh,kw,C,1]; torch [C,1,kh,kw]
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    for (int c = 0; c < in; c++) {
                        r[(c * kh + i) * kw + j] = tf[(i * kw + j) * in + c];
                    }
                }
            }
            return r;
        }
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                for (int c = 0; c < in; c++) {
                    for (int o = 0; o < out; o++) {
                        r[((o * in + c) * kh + i) * kw + j] = tf[((i * kw + j) * in + c) * out + o];
                    }
                }
            }
        }
        return r;
    }

    /** The TF.js layers-model shards as name -> float32 values (row-major TF layout). */
    private static Map<String, float[]> readTfjs(Path dir) throws Exception {
        JsonObject model = JsonParser.parseString(Files.readString(dir.resolve("model.json"))).getAsJsonObject();
        Map<String, float[]> out = new HashMap<>();
        for (JsonElement g : model.getAsJsonArray("weightsManifest")) {
            JsonObject group = g.getAsJsonObject();
            Path shard = dir.resolve(group.getAsJsonArray("paths").get(0).getAsString());
            if (!Files.exists(shard)) {
                continue;
            }
            ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(shard)).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonElement w : group.getAsJsonArray("weights")) {
                JsonObject spec = w.getAsJsonObject();
                int n = 1;
                for (JsonElement d : spec.getAsJsonArray("shape")) {
                    n *= d.getAsInt();
                }
                float[] v = new float[n];
                buf.asFloatBuffer().get(v);
                buf.position(buf.position() + 4 * n);
                out.put(spec.get("name").getAsString(), v);
            }
        }
        return out;
    }
}
