package dev.aand.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.aand.backbone.weights.HostTensor;
import dev.aand.backbone.weights.SafetensorsWriter;
import dev.aand.backbone.weights.WeightFiles;
import dev.aand.backbone.weights.WeightFormatException;
import dev.aand.engine.OfflineEngine;
import dev.aand.testing.Fixtures;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict binding: every mismatch between a checkpoint and the architecture is named. */
class BackboneBindingTest {
    private static final Path PARITY = Fixtures.fixture("06_forward_parity/parity_state_dict.pt");

    @BeforeAll
    static void engine() {
        OfflineEngine.get();
    }

    private static LinkedHashMap<String, HostTensor> parity() {
        return WeightFiles.read(PARITY);
    }

    @Test
    void missingKeyIsNamed(@TempDir Path dir) {
        LinkedHashMap<String, HostTensor> sd = parity();
        sd.remove("layer2.0.bn1.running_var");
        Path f = dir.resolve("missing.safetensors");
        SafetensorsWriter.write(f, sd);
        String msg = failure("resnet18", f);
        assertTrue(msg.contains(f.toString()), msg);
        assertTrue(msg.contains("missing") && msg.contains("layer2.0.bn1.running_var"), msg);
    }

    @Test
    void wrongShapeNamesKeyAndBothShapes(@TempDir Path dir) {
        LinkedHashMap<String, HostTensor> sd = parity();
        // Same element count, different shape: only a shape check can catch it.
        HostTensor w = sd.get("layer3.0.conv2.weight");
        long[] s = w.shape();
        sd.put("layer3.0.conv2.weight", new HostTensor(w.dtype(), new long[] {s[0], s[1] * 9, 1, 1}, w.data()));
        Path f = dir.resolve("shape.safetensors");
        SafetensorsWriter.write(f, sd);
        String msg = failure("resnet18", f);
        assertTrue(msg.contains("layer3.0.conv2.weight"), msg);
        assertTrue(msg.contains("[64, 64, 3, 3]") && msg.contains("[64, 576, 1, 1]"), msg);
    }

    @Test
    void unexpectedKeyIsNamedButLayer4AndCountersAreTolerated(@TempDir Path dir) {
        LinkedHashMap<String, HostTensor> sd = parity();
        sd.put("layer4.0.conv1.weight", HostTensor.ofFloats(new long[] {2}, new float[2]));
        sd.put("fc.bias", HostTensor.ofFloats(new long[] {2}, new float[2]));
        sd.remove("bn1.num_batches_tracked");
        Path ok = dir.resolve("ok.safetensors");
        SafetensorsWriter.write(ok, sd);
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals("resnet18", Backbones.create("resnet18", ok, m, 0).name());
        }
        sd.put("layer2.0.extra.weight", HostTensor.ofFloats(new long[] {2}, new float[2]));
        Path bad = dir.resolve("bad.safetensors");
        SafetensorsWriter.write(bad, sd);
        String msg = failure("resnet18", bad);
        assertTrue(msg.contains("unexpected") && msg.contains("layer2.0.extra.weight"), msg);
    }

    @Test
    void wrongArchitectureFamilyFails() {
        // A BasicBlock checkpoint offered as a Bottleneck network lacks conv3 everywhere.
        String msg = failure("resnet50", PARITY);
        assertTrue(msg.contains("layer1.0.conv3.weight"), msg);
    }

    @Test
    void unknownNameListsValidNames() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Backbones.create("resnet101", null, m, 0));
            for (String n : Backbones.NAMES) {
                assertTrue(e.getMessage().contains(n), e.getMessage());
            }
            assertTrue(e.getMessage().contains("resnet101"));
        }
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path f = dir.resolve("nope.pt");
        String msg = failure("mobilenet_v1", f);
        assertTrue(msg.contains("nope.pt") && msg.contains("not found"), msg);
    }

    @Test
    void kerasFileWithExtraBlocksLoadsWithThemIgnored(@TempDir Path dir) {
        // The shared Keras export goes on to conv_pw_12 (and a classifier); the teacher stops at
        // conv_pw_11, so a file with more blocks than the taps need must still bind.
        LinkedHashMap<String, HostTensor> sd = new LinkedHashMap<>(EmbeddedWeights.mobileNetV1());
        sd.put("conv_pw_12.weight", HostTensor.ofFloats(new long[] {4, 4, 1, 1}, new float[16]));
        sd.put("conv_pw_12_bn.running_var", HostTensor.ofFloats(new long[] {4}, new float[] {1, 1, 1, 1}));
        Path f = dir.resolve("keras_mobilenet_v1.safetensors");
        SafetensorsWriter.write(f, sd);
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone fromFile = Backbones.create("mobilenet_v1", f, m, 0);
            Backbone embedded = Backbones.create("mobilenet_v1", null, m, 0);
            for (String k : new String[] {"conv1.weight", "conv_pw_11.weight", "conv_pw_11_bn.running_var"}) {
                assertArrayEquals(embedded.module().stateDict().get(k).toFloatArray(),
                        fromFile.module().stateDict().get(k).toFloatArray(), k);
            }
        }
    }

    @Test
    void randomInitIsSeeded() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] a = Backbones.create("resnet18", null, m, 7).module().stateDict().get("layer2.0.conv1.weight")
                    .toFloatArray();
            float[] b = Backbones.create("resnet18", null, m, 7).module().stateDict().get("layer2.0.conv1.weight")
                    .toFloatArray();
            float[] c = Backbones.create("resnet18", null, m, 8).module().stateDict().get("layer2.0.conv1.weight")
                    .toFloatArray();
            assertArrayEquals(a, b);
            assertFalse(java.util.Arrays.equals(a, c));
            // Kaiming fan_out: std sqrt(2 / (128 * 9)).
            double ss = 0;
            for (float v : a) {
                ss += v * v;
            }
            assertEquals(Math.sqrt(2.0 / (128 * 9)), Math.sqrt(ss / a.length), 0.002);
        }
    }

    @Test
    void resnetNormalizesWithImageNetStatistics() {
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone net = Backbones.create("resnet18", null, m, 0);
            float[] y = net.normalize(m.create(new float[] {255, 0, 127.5f}, new ai.djl.ndarray.types.Shape(1, 3, 1, 1)))
                    .toFloatArray();
            assertEquals((1 - 0.485) / 0.229, y[0], 1e-5);
            assertEquals((0 - 0.456) / 0.224, y[1], 1e-5);
            assertEquals((0.5 - 0.406) / 0.225, y[2], 1e-5);
        }
    }

    private static String failure(String name, Path file) {
        try (NDManager m = NDManager.newBaseManager()) {
            return assertThrows(WeightFormatException.class, () -> Backbones.create(name, file, m, 0))
                    .getMessage();
        }
    }
}
