package dev.aand.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.aand.nn.InitContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trainable half of reverse distillation: the one-class bottleneck and the student decoder,
 * built for one teacher backbone.
 */
public record ReverseDistillationNets(ReverseDistillationSpec spec, OneClassBottleneck bottleneck,
        StudentDecoder decoder) {

    /**
     * Builds the networks for a named teacher.
     *
     * @param teacherChannels channels the teacher actually produces at levels 1, 2, 3 (finest
     *                        first); must equal the design's, else IllegalArgumentException
     * @param ctx             where parameters live and the seed for their initial values
     */
    public static ReverseDistillationNets forBackbone(String backbone, int[] teacherChannels, InitContext ctx) {
        ReverseDistillationSpec spec = ReverseDistillationSpec.forBackbone(backbone);
        spec.requireTeacherChannels(teacherChannels);
        return build(spec, ctx);
    }

    /** Builds the networks of any design (bottleneck first, then decoder, from ctx's generator). */
    public static ReverseDistillationNets build(ReverseDistillationSpec spec, InitContext ctx) {
        OneClassBottleneck bn = new OneClassBottleneck(ctx, spec.block(), spec.teacherChannels(),
                spec.bottleneckPlanes(), spec.bottleneckBlocks(), spec.widthPerGroup());
        StudentDecoder de = new StudentDecoder(ctx, spec.block(), bn.outChannels(), spec.decoderPlanes(),
                spec.decoderBlocks(), spec.widthPerGroup());
        return new ReverseDistillationNets(spec, bn, de);
    }

    /** Teacher levels (finest first) to student features (finest first). */
    public NDList forward(NDList teacherLevels) {
        NDArray embedding = bottleneck.forward(teacherLevels);
        return decoder.forward(embedding);
    }

    /** Training mode (batch statistics in BatchNorm, as RD4AD trains) or evaluation mode. */
    public ReverseDistillationNets train(boolean on) {
        bottleneck.train(on);
        decoder.train(on);
        return this;
    }

    /** All trainable parameters, keyed "bn." / "decoder." + RD4AD's names (its checkpoint's two dicts). */
    public Map<String, NDArray> parameters() {
        return prefixed(bottleneck.parameters(), decoder.parameters());
    }

    /** Parameters and BatchNorm buffers, keyed as in {@link #parameters()}. */
    public Map<String, NDArray> stateDict() {
        return prefixed(bottleneck.stateDict(), decoder.stateDict());
    }

    public long parameterCount() {
        return bottleneck.parameterCount() + decoder.parameterCount();
    }

    private static Map<String, NDArray> prefixed(Map<String, NDArray> bn, Map<String, NDArray> de) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        bn.forEach((k, v) -> out.put("bn." + k, v));
        de.forEach((k, v) -> out.put("decoder." + k, v));
        return out;
    }
}
