package dev.aand.model.official;

import dev.aand.backbone.weights.HostTensor;
import dev.aand.backbone.weights.TorchCheckpointReader;
import dev.aand.backbone.weights.WeightFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model trained by the official AAND code (github.com/Hui-design/AAND), read from the two files
 * its {@code train.py} saves, and renamed to this project's layout:
 * <ul>
 *   <li>stage 1: {@code {'encoder_AT': state_dict}}: torchvision's wide_resnet50_2 (the frozen
 *       teacher; {@code layer4.*} and {@code fc.*} are never called) plus the RAA modules
 *       {@code feat_recons_a/b/c} ({@code projs.0} = gate, {@code projs2.0} = generator,
 *       {@code K_list.0} = memory {@code [1, 2L, C]}, the anomaly half second);</li>
 *   <li>stage 2: {@code {'bn': state_dict, 'decoder_ss': state_dict}}: RD4AD's one-class
 *       bottleneck ({@code conv4}/{@code bn4} are built but never called) and student decoder,
 *       whose names equal ours after the {@code bottleneck.} / {@code decoder.} prefix.</li>
 * </ul>
 * Shapes are kept as found: the network is later sized from them.
 */
public final class OfficialCheckpoint {
    public static final String ENCODER = OfficialNames.ENCODER;
    public static final String BOTTLENECK = OfficialNames.BOTTLENECK;
    public static final String DECODER = OfficialNames.DECODER;

    private final Path stage1;
    private final Path stage2;
    private final LinkedHashMap<String, HostTensor> teacher = new LinkedHashMap<>();
    private final LinkedHashMap<String, HostTensor> model = new LinkedHashMap<>();
    /** Our model key -> the official file, dict and key it came from, for messages. */
    private final Map<String, String> origins = new LinkedHashMap<>();
    private int memoryItems = -1;

    private OfficialCheckpoint(Path stage1, Path stage2) {
        this.stage1 = stage1;
        this.stage2 = stage2;
    }

    /**
     * Reads both files; throws {@link WeightFormatException} naming the file and the dict or key
     * when one is not what the official {@code train.py} writes.
     */
    public static OfficialCheckpoint read(Path stage1, Path stage2) {
        OfficialCheckpoint c = new OfficialCheckpoint(stage1, stage2);
        var s1 = groups(stage1, 1, ENCODER);
        var s2 = groups(stage2, 2, BOTTLENECK, DECODER);
        s1.get(ENCODER).forEach((k, t) -> c.add(ENCODER, k, t));
        s2.get(BOTTLENECK).forEach((k, t) -> {
            // test.py drops 'memory' keys from bn (train.py's files have none).
            if (!k.contains("memory")) {
                c.add(BOTTLENECK, k, t);
            }
        });
        s2.get(DECODER).forEach((k, t) -> c.add(DECODER, k, t));
        if (c.memoryItems < 0) {
            throw new WeightFormatException(stage1 + ": '" + ENCODER + "' has no RAA modules (feat_recons_a/b/c);"
                    + " is it a plain wide_resnet50_2 rather than the official stage-1 checkpoint?");
        }
        return c;
    }

    /** Teacher tensors under torchvision's names (layer4 and fc left out). */
    public Map<String, HostTensor> teacher() {
        return teacher;
    }

    /** RAA, bottleneck and decoder tensors under {@link dev.aand.model.AandModel}'s state-dict names. */
    public Map<String, HostTensor> model() {
        return model;
    }

    /** L: normal memory items per level (as many anomaly items follow them). */
    public int memoryItems() {
        return memoryItems;
    }

    /** Names a file and its dict for error messages, e.g. {@code stage1.pth ('encoder_AT')}. */
    public String source(String dict) {
        return (dict.equals(ENCODER) ? stage1 : stage2) + " ('" + dict + "')";
    }

    /** Where one of {@link #model()}'s keys comes from, e.g. {@code stage2.pth ('bn') key 'conv1.weight'}. */
    public String origin(String modelKey) {
        return origins.getOrDefault(modelKey, "key '" + modelKey + "'");
    }

    /** Files one official entry under {@link OfficialNames}' mapping: teacher, model or dropped. */
    private void add(String dict, String key, HostTensor t) {
        OfficialNames.Target target;
        try {
            target = OfficialNames.map(dict, key);
        } catch (IllegalArgumentException e) {
            throw new WeightFormatException(source(dict) + " has unexpected key '" + key
                    + "', not part of the official AAND network");
        }
        switch (target.owner()) {
            case UNUSED -> { }
            case TEACHER -> teacher.put(target.name(), t);
            case MODEL -> {
                HostTensor value = target.name().endsWith(".memory") ? memory(key, t) : t;
                model.put(target.name(), value);
                origins.put(target.name(), source(dict) + " key '" + key + "'");
            }
        }
    }

    /** Official {@code [1, 2L, C]} to our {@code [2L, C]}; every level must have the same L. */
    private HostTensor memory(String key, HostTensor t) {
        long[] s = t.shape();
        if (s.length != 3 || s[0] != 1 || s[1] < 2 || s[1] % 2 != 0) {
            throw new WeightFormatException(source(ENCODER) + " key '" + key + "' has shape "
                    + HostTensor.formatShape(s) + "; expected [1, 2L, C] (L normal, then L anomaly items)");
        }
        int items = Math.toIntExact(s[1] / 2);
        if (memoryItems >= 0 && memoryItems != items) {
            throw new WeightFormatException(source(ENCODER) + " key '" + key + "' has " + s[1]
                    + " memory items but an earlier level has " + 2 * memoryItems);
        }
        memoryItems = items;
        return new HostTensor(t.dtype(), new long[] {s[1], s[2]}, t.data());
    }

    private static Map<String, LinkedHashMap<String, HostTensor>> groups(Path file, int stage, String... wanted) {
        var groups = TorchCheckpointReader.readGroups(file);
        for (String w : wanted) {
            if (!groups.containsKey(w)) {
                throw new WeightFormatException(file + ": no '" + w + "' state dict (found "
                        + (groups.isEmpty() ? "none" : groups.keySet()) + "); expected the official AAND train.py's"
                        + " stage-" + stage + " checkpoint, {" + String.join(", ", quoted(wanted)) + "}");
            }
        }
        return groups;
    }

    private static List<String> quoted(String[] names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            out.add("'" + n + "': state_dict");
        }
        return out;
    }
}
