package dev.aand.model;

import dev.aand.model.official.OfficialNames;
import static dev.aand.testing.OfficialFixtures.assertClose;
import static dev.aand.testing.OfficialFixtures.npy;
import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.aand.backbone.weights.HostTensor;
import dev.aand.nn.InitContext;
import dev.aand.testing.Engines;
import dev.aand.testing.OfficialFixtures;
import dev.aand.train.DistillationLoss;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The one-class bottleneck and student decoder against the official {@code BN_layer} and
 * {@code de_wide_resnet50_2} at 1/64 of the widths (fixtures README 7.4): the design is read from
 * the checkpoint's shapes, the weights are loaded by their official names, and the branches,
 * embedding, decoder outputs (eval mode) and the end-to-end stage-2 loss must match within
 * abs 1e-4 + rel 1e-4.
 */
class ReverseDistillationParityTest {
    private static final double TOL = 1e-4;

    @Test
    void designFromShapesNamesForwardAndLoss() {
        LinkedHashMap<String, HostTensor> bn = OfficialFixtures.stateDict("rd_bn_state_dict.safetensors");
        LinkedHashMap<String, HostTensor> de = OfficialFixtures.stateDict("rd_decoder_state_dict.safetensors");
        java.util.Map<String, long[]> shapes = new java.util.HashMap<>();
        OfficialFixtures.shapes(bn).forEach((k, v) -> shapes.put("bn." + k, v));
        OfficialFixtures.shapes(de).forEach((k, v) -> shapes.put("decoder." + k, v));
        ReverseDistillationSpec spec = ReverseDistillationSpec.forBackbone("wide_resnet50_2")
                .adaptedTo(shapes, "bn.", "decoder.");
        assertEquals(BlockKind.BOTTLENECK, spec.block());
        assertArrayEquals(new int[] {4, 8, 16}, spec.teacherChannels());
        assertEquals(128, spec.widthPerGroup());
        assertEquals(8, spec.bottleneckPlanes());
        assertEquals(3, spec.bottleneckBlocks());
        assertArrayEquals(new int[] {4, 2, 1}, spec.decoderPlanes());
        assertArrayEquals(new int[] {3, 4, 6}, spec.decoderBlocks());

        try (NDManager m = Engines.manager()) {
            ReverseDistillationNets nets = ReverseDistillationNets.build(spec, new InitContext(m, 0));
            // Every official key but the never-called conv4 / bn4 has a tensor of ours, and back.
            Set<String> mapped = new TreeSet<>();
            bn.keySet().forEach(k -> {
                OfficialNames.Target t = OfficialNames.map(OfficialNames.BOTTLENECK, k);
                if (t.owner() == OfficialNames.Owner.MODEL) {
                    mapped.add(t.name());
                } else {
                    assertTrue(k.startsWith("conv4.") || k.startsWith("bn4."), k);
                }
            });
            de.keySet().forEach(k -> mapped.add(OfficialNames.map(OfficialNames.DECODER, k).name()));
            Set<String> ours = new TreeSet<>();
            nets.bottleneck().stateDict().keySet().forEach(k -> ours.add("bottleneck." + k));
            nets.decoder().stateDict().keySet().forEach(k -> ours.add("decoder." + k));
            assertEquals(ours, mapped);

            OfficialFixtures.load(nets.bottleneck(), OfficialNames.bottleneck(bn), "rd_bn_state_dict.safetensors");
            OfficialFixtures.load(nets.decoder(), OfficialNames.decoder(de), "rd_decoder_state_dict.safetensors");
            nets.train(false);

            NDList inputs = new NDList(OfficialFixtures.nd(m, "rd_input_l1_2x4x16x16.npy"),
                    OfficialFixtures.nd(m, "rd_input_l2_2x8x8x8.npy"), OfficialFixtures.nd(m, "rd_input_l3_2x16x4x4.npy"));
            NDArray fused = nets.bottleneck().fuse(inputs);
            assertClose("branch 1", npy("rd_bn_branch1_2x16x4x4.npy"), fused.get(":, 0:16"), TOL, TOL);
            assertClose("branch 2", npy("rd_bn_branch2_2x16x4x4.npy"), fused.get(":, 16:32"), TOL, TOL);
            assertClose("level 3 passes through", npy("rd_input_l3_2x16x4x4.npy"), fused.get(":, 32:48"), 0, 0);
            NDArray embedding = nets.bottleneck().forward(inputs);
            assertClose("bottleneck", npy("rd_bottleneck_2x32x2x2.npy"), embedding, TOL, TOL);
            NDList outs = nets.decoder().forward(embedding);
            assertClose("decoder out 1 (level 1)", npy("rd_decoder_out1_2x4x16x16.npy"), outs.get(0), TOL, TOL);
            assertClose("decoder out 2 (level 2)", npy("rd_decoder_out2_2x8x8x8.npy"), outs.get(1), TOL, TOL);
            assertClose("decoder out 3 (level 3)", npy("rd_decoder_out3_2x16x4x4.npy"), outs.get(2), TOL, TOL);

            double loss = OfficialFixtures.json("rd.json").get("kd_loss_teacher_vs_decoder").getAsDouble();
            OfficialFixtures.assertRelative("stage-2 loss end to end", loss,
                    new DistillationLoss(true, 10).compute(inputs, outs).total().getFloat(), 1e-5);
        }
    }

    @Test
    void namesOfTheOfficialCheckpointsAllMap() throws Exception {
        // keys.txt of the official-format checkpoint pair (README section 8) says which entries the
        // official inference never calls; exactly those map to nothing of ours.
        int checked = 0;
        for (String line : java.nio.file.Files.readAllLines(
                dev.aand.testing.Fixtures.fixture("08_official_import/keys.txt"))) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            OfficialNames.Target t = OfficialNames.map(f[1], f[2]);
            boolean neverCalled = f[5].equals("unused:never-called");
            assertEquals(neverCalled, t.owner() == OfficialNames.Owner.UNUSED, line);
            if (f[2].startsWith("feat_recons_c.projs2.0.4.")) {
                assertEquals("raa.2.generator.4." + f[2].substring(f[2].lastIndexOf('.') + 1), t.name());
            }
            checked++;
        }
        assertTrue(checked > 600, "entries checked: " + checked);
        assertEquals(new OfficialNames.Target(OfficialNames.Owner.MODEL, "raa.0.memory"),
                OfficialNames.map(OfficialNames.ENCODER, "feat_recons_a.K_list.0"));
        assertEquals(new OfficialNames.Target(OfficialNames.Owner.MODEL, "raa.1.gate.2.bias"),
                OfficialNames.map(OfficialNames.ENCODER, "feat_recons_b.projs.0.2.bias"));
        assertEquals(new OfficialNames.Target(OfficialNames.Owner.TEACHER, "layer2.0.downsample.1.running_var"),
                OfficialNames.map(OfficialNames.ENCODER, "layer2.0.downsample.1.running_var"));
        assertThrows(IllegalArgumentException.class, () -> OfficialNames.map("model", "x"));
        assertThrows(IllegalArgumentException.class, () -> OfficialNames.map(OfficialNames.ENCODER,
                "feat_recons_a.projs.1.0.weight"));
    }
}
