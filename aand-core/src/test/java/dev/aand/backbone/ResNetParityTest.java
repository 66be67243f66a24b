package dev.aand.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aand.data.Npy;
import dev.aand.engine.OfflineEngine;
import dev.aand.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The narrow torchvision ResNet checkpoint reproduces PyTorch's layer1..3 outputs. */
class ResNetParityTest {
    @BeforeAll
    static void engine() {
        OfflineEngine.get();
    }

    @Test
    void layerOutputsMatchPyTorch() {
        Npy.Array input = Fixtures.npy("06_forward_parity/input_1x3x64x64.npy");
        String[] refs = {"layer1_out_1x16x16x16.npy", "layer2_out_1x32x8x8.npy", "layer3_out_1x64x4x4.npy"};
        try (NDManager m = NDManager.newBaseManager()) {
            ResNet net = (ResNet) Backbones.create("resnet18",
                    Fixtures.fixture("06_forward_parity/parity_state_dict.pt"), m, 0);
            // layer4 is absent from the truncated checkpoint, so only stages 1-3 come from it.
            assertArrayEquals(new int[] {1, 1, 1}, java.util.Arrays.copyOf(net.spec().blocks(), 3));
            assertArrayEquals(new int[] {16, 32, 64}, java.util.Arrays.copyOf(net.spec().outs(), 3));
            assertEquals(16, net.spec().stem());
            assertEquals(new FeatureLevel(32, 8), net.levels().get(1));
            NDArray x = m.create(input.data(), new Shape(input.shape()));
            // The fixture input is already normalised: it goes straight into the network.
            NDList taps = net.features(x);
            assertEquals(3, taps.size());
            for (int i = 0; i < 3; i++) {
                Npy.Array ref = Fixtures.npy("06_forward_parity/" + refs[i]);
                assertArrayEquals(ref.shape(), taps.get(i).getShape().getShape(), refs[i]);
                float[] got = taps.get(i).toFloatArray();
                for (int j = 0; j < got.length; j++) {
                    double r = ref.data()[j];
                    double excess = Math.abs(got[j] - r) - (1e-4 + 1e-4 * Math.abs(r));
                    assertTrue(excess <= 0, refs[i] + "[" + j + "]: java " + got[j] + " ref " + r);
                }
                assertTrue(!taps.get(i).hasGradient(), "teacher outputs carry no gradient");
            }
        }
    }
}
