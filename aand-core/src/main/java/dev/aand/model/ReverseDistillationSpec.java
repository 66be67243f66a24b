package dev.aand.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The shape of the reverse-distillation networks for one teacher backbone: which residual block,
 * how wide, how many, and the teacher channels (levels 1, 2, 3, finest first) they must match.
 *
 * @param backbone          teacher name, e.g. {@code wide_resnet50_2}
 * @param block             residual block family of bottleneck and decoder
 * @param teacherChannels   teacher channels of levels 1, 2, 3
 * @param widthPerGroup     torchvision's width_per_group (64 plain, 128 wide)
 * @param bottleneckPlanes  planes of the bottleneck's residual stage
 * @param bottleneckBlocks  blocks in the bottleneck's residual stage
 * @param decoderPlanes     planes of decoder layer1..layer3 (coarsest first)
 * @param decoderBlocks     blocks of decoder layer1..layer3
 */
public record ReverseDistillationSpec(String backbone, BlockKind block, int[] teacherChannels,
        int widthPerGroup, int bottleneckPlanes, int bottleneckBlocks, int[] decoderPlanes,
        int[] decoderBlocks) {

    private static final Map<String, ReverseDistillationSpec> KNOWN = new LinkedHashMap<>();

    static {
        int[] wideLevels = {256, 512, 1024};
        int[] wideDecoder = {256, 128, 64};
        int[] deep = {3, 4, 6};
        // RD4AD: BN_layer(AttnBottleneck, 3, width_per_group=128) + de_wide_resnet50_2.
        register(new ReverseDistillationSpec("wide_resnet50_2", BlockKind.BOTTLENECK, wideLevels, 128,
                512, 3, wideDecoder, deep));
        register(new ReverseDistillationSpec("resnet50", BlockKind.BOTTLENECK, wideLevels, 64,
                512, 3, wideDecoder, deep));
        // RD4AD: BN_layer(AttnBasicBlock, 2) + de_resnet18; resnet34 uses 3 blocks and de_resnet34.
        register(new ReverseDistillationSpec("resnet18", BlockKind.BASIC, new int[] {64, 128, 256}, 64,
                512, 2, new int[] {256, 128, 64}, new int[] {2, 2, 2}));
        register(new ReverseDistillationSpec("resnet34", BlockKind.BASIC, new int[] {64, 128, 256}, 64,
                512, 3, new int[] {256, 128, 64}, deep));
        // Not in RD4AD: the wide design with every width halved, for MobileNet-v1's 128/256/512 levels.
        register(new ReverseDistillationSpec("mobilenet_v1", BlockKind.BOTTLENECK, new int[] {128, 256, 512},
                128, 256, 3, new int[] {128, 64, 32}, deep));
    }

    public ReverseDistillationSpec {
        if (backbone == null || block == null) {
            throw new IllegalArgumentException("backbone and block kind are required");
        }
        teacherChannels = copy3("teacherChannels", teacherChannels);
        decoderPlanes = copy3("decoderPlanes", decoderPlanes);
        decoderBlocks = copy3("decoderBlocks", decoderBlocks);
        if (block == BlockKind.BASIC && widthPerGroup != 64) {
            throw new IllegalArgumentException(backbone + ": basic blocks only support width_per_group 64, got "
                    + widthPerGroup);
        }
        int[] decoderOut = new int[3];
        for (int i = 0; i < 3; i++) {
            decoderOut[2 - i] = decoderPlanes[i] * block.expansion();
        }
        if (!Arrays.equals(decoderOut, teacherChannels)) {
            throw new IllegalArgumentException(backbone + ": decoder outputs " + Arrays.toString(decoderOut)
                    + " (finest first) do not match teacher channels " + Arrays.toString(teacherChannels));
        }
    }

    private static void register(ReverseDistillationSpec spec) {
        KNOWN.put(spec.backbone(), spec);
    }

    private static int[] copy3(String what, int[] v) {
        if (v == null || v.length != 3) {
            throw new IllegalArgumentException(what + " needs 3 values, got " + Arrays.toString(v));
        }
        for (int x : v) {
            if (x <= 0) {
                throw new IllegalArgumentException(what + " must be positive, got " + Arrays.toString(v));
            }
        }
        return v.clone();
    }

    /** The design for a named teacher backbone (case-insensitive). */
    public static ReverseDistillationSpec forBackbone(String backbone) {
        String key = backbone == null ? "" : backbone.trim().toLowerCase(Locale.ROOT);
        ReverseDistillationSpec spec = KNOWN.get(key);
        if (spec == null) {
            throw new IllegalArgumentException("no reverse-distillation design for backbone '" + backbone
                    + "'; known: " + String.join(", ", KNOWN.keySet()));
        }
        return spec;
    }

    /**
     * This design with the widths and depths a saved state dict's shapes give (RD4AD's names,
     * after {@code bnPrefix} for the bottleneck and {@code decoderPrefix} for the decoder), as
     * {@link dev.aand.backbone.ResNetSpec#adaptedTo} does for the teacher; values the dict lacks
     * keep the design's. The block family stays this design's: a dict of the other family then
     * fails binding with a named key.
     */
    public ReverseDistillationSpec adaptedTo(Map<String, long[]> shapes, String bnPrefix, String decoderPrefix) {
        String expand = block == BlockKind.BOTTLENECK ? "conv3" : "conv2";
        int e = block.expansion();
        // bn.conv1: level 1 -> level 2 channels; bn.conv2: level 2 -> level 3 channels.
        int[] teacher = {
            dim(shapes, bnPrefix + "conv1.weight", 1, teacherChannels[0]),
            dim(shapes, bnPrefix + "conv1.weight", 0, teacherChannels[1]),
            dim(shapes, bnPrefix + "conv2.weight", 0, teacherChannels[2])};
        String stage = bnPrefix + "bn_layer.";
        int planes = dim(shapes, stage + "0." + expand + ".weight", 0, bottleneckPlanes * e) / e;
        int blocks = count(shapes, stage, bottleneckBlocks);
        int wpg = block == BlockKind.BOTTLENECK
                ? perGroup(dim(shapes, stage + "0.conv1.weight", 0, -1), planes, widthPerGroup) : widthPerGroup;
        int[] dPlanes = new int[3];
        int[] dBlocks = new int[3];
        for (int i = 0; i < 3; i++) {
            String layer = decoderPrefix + "layer" + (i + 1) + ".";
            dPlanes[i] = dim(shapes, layer + "0." + expand + ".weight", 0, decoderPlanes[i] * e) / e;
            dBlocks[i] = count(shapes, layer, decoderBlocks[i]);
        }
        return new ReverseDistillationSpec(backbone, block, teacher, wpg, planes, blocks, dPlanes, dBlocks);
    }

    private static int dim(Map<String, long[]> shapes, String key, int axis, int fallback) {
        long[] s = shapes.get(key);
        return s != null && s.length > axis ? Math.toIntExact(s[axis]) : fallback;
    }

    /** Blocks "0", "1", ... under {@code stage}, or the fallback when the dict has none. */
    private static int count(Map<String, long[]> shapes, String stage, int fallback) {
        int n = 0;
        while (shapes.containsKey(stage + n + ".conv1.weight")) {
            n++;
        }
        return n == 0 ? fallback : n;
    }

    /** torchvision's width = int(planes * width_per_group / 64), solved for width_per_group. */
    private int perGroup(int width, int planes, int fallback) {
        if (width < 0) {
            return fallback;
        }
        int wpg = planes > 0 ? width * 64 / planes : 0;
        if (wpg <= 0 || (int) (planes * (wpg / 64.0)) != width) {
            throw new IllegalArgumentException(backbone + ": bottleneck block width " + width + " is not "
                    + planes + " planes x width_per_group / 64 for any integer width_per_group");
        }
        return wpg;
    }

    /** Backbone names with a built-in design. */
    public static java.util.Set<String> knownBackbones() {
        return java.util.Collections.unmodifiableSet(KNOWN.keySet());
    }

    /** Throws unless the given teacher channels (levels 1, 2, 3) are the ones this design expects. */
    public void requireTeacherChannels(int[] given) {
        if (!Arrays.equals(given, teacherChannels)) {
            throw new IllegalArgumentException("teacher '" + backbone + "' gives level channels "
                    + Arrays.toString(given) + " but its reverse-distillation design expects "
                    + Arrays.toString(teacherChannels) + " (levels 1, 2, 3, finest first)");
        }
    }

    /** Channels of the bottleneck embedding, which the decoder consumes. */
    public int embeddingChannels() {
        return bottleneckPlanes * block.expansion();
    }

    @Override
    public int[] teacherChannels() {
        return teacherChannels.clone();
    }

    @Override
    public int[] decoderPlanes() {
        return decoderPlanes.clone();
    }

    @Override
    public int[] decoderBlocks() {
        return decoderBlocks.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReverseDistillationSpec s && backbone.equals(s.backbone) && block == s.block
                && Arrays.equals(teacherChannels, s.teacherChannels) && widthPerGroup == s.widthPerGroup
                && bottleneckPlanes == s.bottleneckPlanes && bottleneckBlocks == s.bottleneckBlocks
                && Arrays.equals(decoderPlanes, s.decoderPlanes) && Arrays.equals(decoderBlocks, s.decoderBlocks);
    }

    @Override
    public int hashCode() {
        return 31 * backbone.hashCode() + Arrays.hashCode(teacherChannels);
    }

    @Override
    public String toString() {
        return "ReverseDistillationSpec[" + backbone + ", " + block + ", teacher "
                + Arrays.toString(teacherChannels) + ", width_per_group " + widthPerGroup + ", bottleneck "
                + bottleneckBlocks + "x" + bottleneckPlanes + ", decoder " + Arrays.toString(decoderBlocks)
                + "x" + Arrays.toString(decoderPlanes) + "]";
    }
}
