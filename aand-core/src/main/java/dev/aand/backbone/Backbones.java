package dev.aand.backbone;

import ai.djl.ndarray.NDManager;
import dev.aand.backbone.weights.HostTensor;
import dev.aand.backbone.weights.StateDictBinder;
import dev.aand.backbone.weights.WeightFiles;
import dev.aand.backbone.weights.WeightFormatException;
import dev.aand.nn.InitContext;
import dev.aand.nn.Module;
import dev.aand.nn.StateDicts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Builds a teacher backbone by name. */
public final class Backbones {
    /** The names {@link #create} accepts; the first is the default teacher. */
    public static final List<String> NAMES =
            List.of("mobilenet_v1", "resnet18", "resnet34", "resnet50", "wide_resnet50_2");

    private Backbones() {}

    /**
     * Creates a frozen backbone in inference mode whose parameters live in {@code manager}.
     *
     * @param name one of {@link #NAMES}
     * @param weightsOrNull a torch checkpoint or safetensors state dict; null means the embedded
     *     ImageNet weights for mobilenet_v1 and seeded random (torchvision) init for the ResNets
     * @param seed seed for random initialisation (ignored for values a checkpoint overwrites)
     * @throws IllegalArgumentException for an unknown name
     * @throws WeightFormatException for a missing, unreadable or mismatching weights file
     */
    public static Backbone create(String name, Path weightsOrNull, NDManager manager, long seed) {
        requireKnown(name);
        return create(name, weightsOrNull == null ? null : readWeights(weightsOrNull),
                weightsOrNull == null ? null : weightsOrNull.toString(), manager, seed);
    }

    /**
     * As {@link #create(String, Path, NDManager, long)} from tensors already in memory;
     * {@code source} names them in error messages.
     */
    public static Backbone create(String name, Map<String, HostTensor> tensorsOrNull, String source,
            NDManager manager, long seed) {
        Supplier<ResNetSpec> spec = switch (name == null ? "" : name) {
            case "mobilenet_v1" -> null;
            case "resnet18" -> ResNetSpec::resnet18;
            case "resnet34" -> ResNetSpec::resnet34;
            case "resnet50" -> ResNetSpec::resnet50;
            case "wide_resnet50_2" -> ResNetSpec::wideResnet50_2;
            default -> throw unknown(name);
        };
        Map<String, HostTensor> tensors = tensorsOrNull;
        if (spec == null) {
            if (tensors == null) {
                return MobileNetV1.pretrained(manager);
            }
            MobileNetV1 net = new MobileNetV1(new InitContext(manager, seed));
            // A Keras export also holds blocks 12-13 and the head; those are not built here.
            load(net, tensors, source, MobileNetV1::beyondTruncation);
            return net;
        }
        if (tensors == null) {
            return ResNet.random(manager, spec.get(), false, seed);
        }
        ResNetSpec adapted = adapted(spec.get(), tensors);
        ResNet net = ResNet.random(manager, adapted, false, seed);
        load(net, tensors, source, k -> k.startsWith("layer4.") || k.startsWith("fc."));
        return net;
    }

    /** Rejects an unknown name before any weights file is read. */
    private static void requireKnown(String name) {
        if (name == null || !NAMES.contains(name)) {
            throw unknown(name);
        }
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown backbone '" + name + "'; valid names: " + String.join(", ", NAMES));
    }

    /** A full ResNet (layer4 and fc included), e.g. to compare with a torchvision state dict. */
    public static ResNet createFullResNet(ResNetSpec spec, Path weightsOrNull, NDManager manager, long seed) {
        Map<String, HostTensor> tensors = weightsOrNull == null ? null : readWeights(weightsOrNull);
        ResNetSpec s = tensors == null ? spec : adapted(spec, tensors);
        ResNet net = ResNet.random(manager, s, true, seed);
        if (tensors != null) {
            load(net, tensors, weightsOrNull.toString(), k -> false);
        }
        return net;
    }

    /**
     * Copies a checkpoint into {@code net} after a strict name and shape check. BatchNorm counters
     * (never used at inference) are skipped, and so are file keys for which {@code notBuilt} holds
     * (layers the backbone leaves out); a key the network does have is always loaded. Throws
     * {@link WeightFormatException} naming {@code source}, the keys and both shapes.
     */
    static void load(Module net, Map<String, HostTensor> tensors, String source, Predicate<String> notBuilt) {
        Set<String> own = net.stateDict().keySet();
        StateDicts.load(net, tensors, source, StateDictBinder.strict()
                .ignoringGlobs("num_batches_tracked", "*.num_batches_tracked")
                .ignoring(k -> !own.contains(k) && notBuilt.test(k)));
    }

    /** {@code spec} with the channel counts and block counts the checkpoint's tensor shapes give. */
    private static ResNetSpec adapted(ResNetSpec spec, Map<String, HostTensor> tensors) {
        return spec.adaptedTo(StateDicts.shapes(tensors));
    }

    private static Map<String, HostTensor> readWeights(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new WeightFormatException(file.toAbsolutePath() + ": weights file not found"
                    + (Files.isDirectory(file) ? " (it is a directory)" : ""));
        }
        return WeightFiles.read(file);
    }
}
