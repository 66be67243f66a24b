package dev.aand.backbone;

import dev.aand.backbone.weights.HostTensor;
import dev.aand.backbone.weights.SafetensorsReader;
import dev.aand.backbone.weights.WeightFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;

/** Weights packaged inside the jar. */
final class EmbeddedWeights {
    /** Classpath location of the trimmed MobileNet v1 ImageNet weights (conv1 .. conv_pw_11). */
    static final String MOBILENET_RESOURCE = "/dev/aand/backbone/mobilenet_v1_imagenet.safetensors";

    private EmbeddedWeights() {}

    static LinkedHashMap<String, HostTensor> mobileNetV1() {
        return read(MOBILENET_RESOURCE);
    }

    /**
     * The safetensors reader works on files; inside a jar the resource is not one, so it is copied
     * to a temporary file first (a few MB, once per model construction).
     */
    static LinkedHashMap<String, HostTensor> read(String resource) {
        Path tmp = null;
        try (InputStream in = EmbeddedWeights.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new WeightFormatException("classpath:" + resource
                        + ": embedded weights missing from the jar (broken build?)");
            }
            tmp = Files.createTempFile("aand-weights-", ".safetensors");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return SafetensorsReader.read(tmp);
        } catch (IOException e) {
            throw new WeightFormatException("classpath:" + resource + ": cannot read: " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }
}
