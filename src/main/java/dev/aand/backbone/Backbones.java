package dev.aand.backbone;

import ai.djl.ndarray.NDManager;
import dev.aand.backbone.weights.HostTensor;
import dev.aand.backbone.weights.WeightFiles;
import dev.aand.backbone.weights.WeightFormatException;
import dev.aand.nn.InitContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        Supplier<ResNetSpec> spec = switch (name == null ? "" : name) {
            case "mobilenet_v1" -> null;
            case "resnet18" -> ResNetSpec::resnet18;
            case "resnet34" -> ResNetSpec::resnet34;
            case "resnet50" -> ResNetSpec::resnet50;
            case "wide_resnet50_2" -> ResNetSpec::wideResnet50_2;
            default -> throw new IllegalArgumentException(
                    "unknown backbone '" + name + "'; valid names: " + String.join(", ", NAMES));
        };
        Map<String, HostTensor> tensors = weightsOrNull == null ? null : readWeights(weightsOrNull);
        String source = weightsOrNull == null ? null : weightsOrNull.toString();
        if (spec == null) {
            if (tensors == null) {
                return MobileNetV1.pretrained(manager);
            }
            MobileNetV1 net = new MobileNetV1(new InitContext(manager, seed));
            // A Keras export also holds blocks 12-13 and the head; those are not built here.
            WeightLoading.bind(net, tensors, source, MobileNetV1::beyondTruncation);
            return net;
        }
        if (tensors == null) {
            return ResNet.random(manager, spec.get(), false, seed);
        }
        ResNetSpec adapted = spec.get().adaptedTo(WeightLoading.shapes(tensors));
        ResNet net = ResNet.random(manager, adapted, false, seed);
        WeightLoading.bind(net, tensors, source, k -> k.startsWith("layer4.") || k.startsWith("fc."));
        return net;
    }

    /** A full ResNet (layer4 and fc included), e.g. to compare with a torchvision state dict. */
    public static ResNet createFullResNet(ResNetSpec spec, Path weightsOrNull, NDManager manager, long seed) {
        Map<String, HostTensor> tensors = weightsOrNull == null ? null : readWeights(weightsOrNull);
        ResNetSpec s = tensors == null ? spec : spec.adaptedTo(WeightLoading.shapes(tensors));
        ResNet net = ResNet.random(manager, s, true, seed);
        if (tensors != null) {
            WeightLoading.bind(net, tensors, weightsOrNull.toString(), k -> false);
        }
        return net;
    }

    private static Map<String, HostTensor> readWeights(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new WeightFormatException(file.toAbsolutePath() + ": weights file not found"
                    + (Files.isDirectory(file) ? " (it is a directory)" : ""));
        }
        return WeightFiles.read(file);
    }
}
