package dev.aand.model.official;

import dev.aand.model.AandModel;
import dev.aand.model.OneClassBottleneck;
import dev.aand.model.ResidualAnomalyAmplifier;
import dev.aand.model.ReverseDistillationSpec;
import dev.aand.backbone.weights.HostTensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one mapping from the official AAND code's state-dict names (github.com/Hui-design/AAND,
 * checkpoints as its {@code train.py} saves them) to this project's. An official model is three
 * dictionaries: {@code stage1.pth['encoder_AT']} (teacher + the RAA modules
 * {@code feat_recons_a/b/c}), {@code stage2.pth['bn']} ({@code BN_layer}) and
 * {@code stage2.pth['decoder_ss']} (the decoder).
 *
 * <table>
 * <caption>official name (dictionary) -&gt; ours</caption>
 * <tr><td>{@code conv1.*}, {@code bn1.*}, {@code layer1..3.*} (encoder_AT)</td>
 *     <td>the teacher backbone's own (torchvision) names, unchanged</td></tr>
 * <tr><td>{@code layer4.*}, {@code fc.*} (encoder_AT)</td><td>unused: never called</td></tr>
 * <tr><td>{@code feat_recons_a|b|c.projs.0.{0,2,4}.{weight,bias}} (encoder_AT)</td>
 *     <td>{@code raa.0|1|2.gate.{0,2,4}.*}</td></tr>
 * <tr><td>{@code feat_recons_a|b|c.projs2.0.{0,2,4}.{weight,bias}} (encoder_AT)</td>
 *     <td>{@code raa.0|1|2.generator.{0,2,4}.*}</td></tr>
 * <tr><td>{@code feat_recons_a|b|c.K_list.0} [1, 2L, C] (encoder_AT)</td>
 *     <td>{@code raa.0|1|2.memory} [2L, C]: the same values without the leading 1</td></tr>
 * <tr><td>{@code X} (bn)</td><td>{@code bottleneck.X}, except {@code conv4.*}, {@code bn4.*}:
 *     built by BN_layer but never called, so ours has no such tensors</td></tr>
 * <tr><td>{@code X} (decoder_ss)</td><td>{@code decoder.X}</td></tr>
 * </table>
 *
 * <p>BatchNorm {@code num_batches_tracked} counters keep their names (ours has them too; eval
 * mode never reads them). Levels a, b, c are the teacher's layer1, layer2, layer3 outputs, our
 * levels 1, 2, 3. Channel counts must come from the tensors' shapes ({@link #amplifierShape},
 * {@link ReverseDistillationSpec#adaptedTo}): reduced-width networks break the official width
 * rules.
 */
public final class OfficialNames {
    /** Stage-1 checkpoint dictionary: teacher + RAA modules. */
    public static final String ENCODER = "encoder_AT";
    /** Stage-2 checkpoint dictionary: the one-class bottleneck. */
    public static final String BOTTLENECK = "bn";
    /** Stage-2 checkpoint dictionary: the student decoder. */
    public static final String DECODER = "decoder_ss";
    /** Official attribute names of the RAA modules of levels 1, 2, 3. */
    public static final List<String> AMPLIFIERS = List.of("feat_recons_a", "feat_recons_b", "feat_recons_c");

    private static final Pattern RAA = Pattern.compile("(projs2?)\\.0\\.(\\d+)\\.(weight|bias)");
    private static final String MEMORY = "K_list.0";

    private OfficialNames() {}

    /** Which part of ours an official tensor belongs to. */
    public enum Owner {
        /** The frozen teacher backbone (not saved with our models; same names as torchvision's). */
        TEACHER,
        /** {@link AandModel}'s own state dict. */
        MODEL,
        /** Nothing: the official code builds it but never uses it. */
        UNUSED
    }

    /**
     * Where an official tensor goes.
     *
     * @param owner what holds it on our side
     * @param name our name in the owner's state dict (null when unused)
     */
    public record Target(Owner owner, String name) {}

    /**
     * Maps one entry of an official checkpoint dictionary.
     *
     * @param dictionary {@link #ENCODER}, {@link #BOTTLENECK} or {@link #DECODER}
     * @throws IllegalArgumentException for a dictionary or a key the official code does not have
     */
    public static Target map(String dictionary, String key) {
        switch (dictionary) {
            case ENCODER -> {
                int dot = key.indexOf('.');
                int level = dot < 0 ? -1 : AMPLIFIERS.indexOf(key.substring(0, dot));
                if (level >= 0) {
                    return new Target(Owner.MODEL, "raa." + level + "." + amplifierKey(key.substring(dot + 1)));
                }
                if (key.startsWith("layer4.") || key.startsWith("fc.")) {
                    return new Target(Owner.UNUSED, null);
                }
                return new Target(Owner.TEACHER, key);
            }
            case BOTTLENECK -> {
                String ours = bottleneckKey(key);
                return ours == null ? new Target(Owner.UNUSED, null) : new Target(Owner.MODEL, "bottleneck." + ours);
            }
            case DECODER -> {
                return new Target(Owner.MODEL, "decoder." + key);
            }
            default -> throw new IllegalArgumentException("'" + dictionary + "' is not an official AAND checkpoint"
                    + " dictionary (" + ENCODER + ", " + BOTTLENECK + ", " + DECODER + ")");
        }
    }

    /**
     * One {@code RAR_single}'s key to a {@link ResidualAnomalyAmplifier}'s: {@code projs.0.*} is
     * the gate MLP, {@code projs2.0.*} the generator MLP, {@code K_list.0} the memory.
     */
    public static String amplifierKey(String key) {
        if (key.equals(MEMORY)) {
            return "memory";
        }
        Matcher m = RAA.matcher(key);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + key + "' is not a key of the official RAA module (RAR_single"
                    + " with one level: projs.0.*, projs2.0.*, K_list.0)");
        }
        return (m.group(1).equals("projs") ? "gate." : "generator.") + m.group(2) + "." + m.group(3);
    }

    /** A {@code BN_layer} key to a {@link OneClassBottleneck}'s, or null for the unused conv4 / bn4. */
    public static String bottleneckKey(String key) {
        return key.startsWith("conv4.") || key.startsWith("bn4.") ? null : key;
    }

    /**
     * The {@link ResidualAnomalyAmplifier} a {@code RAR_single} state dict was built as, from its
     * shapes: channels C and MLP width from {@code projs.0.0.weight} [hidden, C, 1, 1], memory
     * items L from {@code K_list.0} [1, 2L, C].
     */
    public record AmplifierShape(int channels, int hidden, int memoryItems) {}

    public static AmplifierShape amplifierShape(Map<String, long[]> rarSingle) {
        long[] first = rarSingle.get("projs.0.0.weight");
        long[] memory = rarSingle.get(MEMORY);
        if (first == null || memory == null || first.length != 4 || memory.length != 3 || memory[1] % 2 != 0) {
            throw new IllegalArgumentException("not an official RAA state dict: need projs.0.0.weight [h, C, 1, 1]"
                    + " and K_list.0 [1, 2L, C]");
        }
        return new AmplifierShape((int) first[1], (int) first[0], (int) (memory[1] / 2));
    }

    /**
     * A {@code RAR_single} state dict under a {@link ResidualAnomalyAmplifier}'s names and shapes
     * (the memory loses its leading 1), ready for a strict name and shape check.
     */
    public static LinkedHashMap<String, HostTensor> amplifier(Map<String, HostTensor> rarSingle) {
        LinkedHashMap<String, HostTensor> out = new LinkedHashMap<>();
        rarSingle.forEach((k, t) -> {
            String ours = amplifierKey(k);
            out.put(ours, k.equals(MEMORY) ? squeezeLeading(k, t) : t);
        });
        return out;
    }

    /** A {@code BN_layer} state dict under {@link OneClassBottleneck}'s names, conv4 / bn4 dropped. */
    public static LinkedHashMap<String, HostTensor> bottleneck(Map<String, HostTensor> bn) {
        LinkedHashMap<String, HostTensor> out = new LinkedHashMap<>();
        bn.forEach((k, t) -> {
            String ours = bottleneckKey(k);
            if (ours != null) {
                out.put(ours, t);
            }
        });
        return out;
    }

    /** A decoder state dict under {@link StudentDecoder}'s names (identical). */
    public static LinkedHashMap<String, HostTensor> decoder(Map<String, HostTensor> decoder) {
        return new LinkedHashMap<>(decoder);
    }

    private static HostTensor squeezeLeading(String key, HostTensor t) {
        long[] s = t.shape();
        if (s.length != 3 || s[0] != 1) {
            throw new IllegalArgumentException(key + " has shape " + HostTensor.formatShape(s) + "; expected [1, 2L, C]");
        }
        return new HostTensor(t.dtype(), new long[] {s[1], s[2]}, t.data());
    }
}
