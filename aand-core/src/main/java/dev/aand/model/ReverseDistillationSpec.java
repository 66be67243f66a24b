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
     * The design a bottleneck / decoder state-dict pair was built with, read from the tensor
     * shapes alone (RD4AD's and the official AAND code's names, which are also ours), so that a
     * checkpoint at any width binds: nothing is taken from the built-in table. The shapes of
     * every tensor are still checked when the weights are loaded.
     *
     * @param name       what to call the design in messages
     * @param bottleneck {@code BN_layer} tensor shapes by name (its unused conv4/bn4 may be there)
     * @param decoder    decoder tensor shapes by name
     */
    public static ReverseDistillationSpec fromShapes(String name, Map<String, long[]> bottleneck,
            Map<String, long[]> decoder) {
        long[] conv1 = shape(bottleneck, "conv1.weight", name);
        long[] conv2 = shape(bottleneck, "conv2.weight", name);
        int c1 = (int) conv1[1];
        int c2 = (int) conv1[0];
        int c3 = (int) conv2[0];
        BlockKind kind = bottleneck.containsKey("bn_layer.0.conv3.weight") ? BlockKind.BOTTLENECK : BlockKind.BASIC;
        int blocks = count(bottleneck, "bn_layer.", name);
        int out = (int) shape(bottleneck, "bn_layer.0.downsample.0.weight", name)[0];
        int planes = out / kind.expansion();
        int widthPerGroup = 64;
        if (kind == BlockKind.BOTTLENECK) {
            long width = shape(bottleneck, "bn_layer.0.conv1.weight", name)[0];
            widthPerGroup = (int) (width * 64 / planes);
            if (width * 64 % planes != 0) {
                throw new IllegalArgumentException(name + ": bottleneck width " + width + " is not planes " + planes
                        + " x width_per_group / 64 for any integer width_per_group");
            }
        }
        int[] decoderPlanes = new int[3];
        int[] decoderBlocks = new int[3];
        for (int i = 0; i < 3; i++) {
            String layer = "layer" + (i + 1) + ".";
            // The upsampling shortcut is a transposed conv, weight [in, out, 2, 2].
            decoderPlanes[i] = (int) shape(decoder, layer + "0.upsample.0.weight", name)[1] / kind.expansion();
            decoderBlocks[i] = count(decoder, layer, name);
        }
        return new ReverseDistillationSpec(name, kind, new int[] {c1, c2, c3}, widthPerGroup, planes, blocks,
                decoderPlanes, decoderBlocks);
    }

    private static long[] shape(Map<String, long[]> shapes, String key, String name) {
        long[] s = shapes.get(key);
        if (s == null) {
            throw new IllegalArgumentException(name + ": no tensor " + key + "; not a reverse-distillation state dict");
        }
        return s;
    }

    /** Number of blocks {@code prefix0.}, {@code prefix1.}, ... present. */
    private static int count(Map<String, long[]> shapes, String prefix, String name) {
        int n = 0;
        while (true) {
            String block = prefix + n + ".";
            if (shapes.keySet().stream().noneMatch(k -> k.startsWith(block))) {
                break;
            }
            n++;
        }
        if (n == 0) {
            throw new IllegalArgumentException(name + ": no blocks " + prefix + "0.*; not a reverse-distillation"
                    + " state dict");
        }
        return n;
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
