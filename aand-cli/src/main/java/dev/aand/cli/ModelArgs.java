package dev.aand.cli;

import dev.aand.model.Method;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Options that choose the network: teacher, its weights, the method and the input size. */
final class ModelArgs {
    @ConfigDefaults.Key("backbone")
    @Option(names = "--backbone",
            description = "Teacher: mobilenet_v1 (embedded), resnet18, resnet34, resnet50, wide_resnet50_2 (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--weights", description = "Teacher checkpoint (.pth/.pt torchvision state_dict or .safetensors).")
    Path weights;

    @ConfigDefaults.Key("method")
    @Option(names = "--method",
            description = "aand, rd, rd+hkd, raa, gate-score, ungated, learnable, sigmoid (default: ${DEFAULT-VALUE}).")
    String method;

    @ConfigDefaults.Key("imageSize")
    @Option(names = "--image-size",
            description = "Input size in pixels, a multiple of 32 up to 1024 (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--allow-large", description = "Allow --image-size above 1024 (up to 8192; needs a lot of memory).")
    boolean allowLarge;

    /** Refuses out-of-range values with one line naming the option. */
    void check(CommandSpec spec) {
        OptionChecks.imageSize(spec, imageSize, allowLarge);
    }

    /** These choices as configuration overrides. */
    void putInto(Map<String, Object> o) {
        o.put("backbone", backbone);
        o.put("weights", weights == null ? null : weights.toAbsolutePath().toString());
        o.put("method", Method.parse(method));
        o.put("imageSize", imageSize);
    }
}
