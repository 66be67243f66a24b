package dev.aand.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.aand.nn.InitContext;
import dev.aand.testing.Engines;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A design read back from its own saved shapes is the design; other widths are taken as found. */
class ReverseDistillationSpecTest {
    @Test
    void adaptingToOwnShapesChangesNothing() {
        try (NDManager m = Engines.manager()) {
            for (String name : new String[] {"resnet18", "mobilenet_v1"}) {
                ReverseDistillationSpec spec = ReverseDistillationSpec.forBackbone(name);
                ReverseDistillationNets nets = ReverseDistillationNets.build(spec, new InitContext(m, 0));
                assertEquals(spec, spec.adaptedTo(shapes(nets), "bn.", "decoder."), name);
                assertEquals(spec, spec.adaptedTo(Map.of(), "bn.", "decoder."), name + ": no shapes, no change");
            }
        }
    }

    @Test
    void narrowWidthsAndDepthsAreReadFromTheShapes() {
        ReverseDistillationSpec wide = ReverseDistillationSpec.forBackbone("wide_resnet50_2");
        // The same design at 1/32 width and with 2 bottleneck blocks, built from scratch.
        ReverseDistillationSpec narrow = new ReverseDistillationSpec("wide_resnet50_2", BlockKind.BOTTLENECK,
                new int[] {8, 16, 32}, 128, 16, 2, new int[] {8, 4, 2}, new int[] {3, 4, 6});
        try (NDManager m = Engines.manager()) {
            ReverseDistillationNets nets = ReverseDistillationNets.build(narrow, new InitContext(m, 0));
            assertEquals(narrow, wide.adaptedTo(shapes(nets), "bn.", "decoder."));
        }
        // 48 planes: no integer width_per_group gives int(48 * wpg / 64) = 31.
        Map<String, long[]> odd = Map.of("bn.bn_layer.0.conv3.weight", new long[] {192, 31, 1, 1},
                "bn.bn_layer.0.conv1.weight", new long[] {31, 96, 1, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> wide.adaptedTo(odd, "bn.", "decoder."));
        assertTrue(e.getMessage().contains("bottleneck block width 31"), e.getMessage());
    }

    private static Map<String, long[]> shapes(ReverseDistillationNets nets) {
        Map<String, long[]> out = new LinkedHashMap<>();
        nets.stateDict().forEach((k, v) -> out.put(k, v.getShape().getShape()));
        return out;
    }
}
