package dev.aand.testing;

import ai.djl.ndarray.NDManager;
import dev.aand.backbone.Backbones;
import dev.aand.backbone.MobileNetV1;
import dev.aand.backbone.weights.HostTensor;
import dev.aand.backbone.weights.SafetensorsWriter;
import dev.aand.backbone.weights.WeightFiles;
import dev.aand.config.AandConfig;
import dev.aand.io.Sha256;
import dev.aand.model.AandModel;
import dev.aand.model.ModelStore;
import dev.aand.model.Provenance;
import dev.aand.nn.InitContext;
import dev.aand.nn.StateDicts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Untrained but complete model folders for store and CLI tests: the MobileNet v1 teacher read from
 * an external weights file (the embedded weights exported as safetensors), 32 px, saved by
 * ModelStore.
 */
public final class TinyModels {
    private TinyModels() {}

    /** Writes the teacher to {@code dir/teacher.pt} and saves a model using it to {@code dir/model}. */
    public static Path withExternalTeacher(Path dir) {
        try {
            Files.createDirectories(dir);
            Path teacher = dir.resolve("teacher.pt");
            Path model = dir.resolve("model");
            try (NDManager m = Engines.manager()) {
                SafetensorsWriter.write(teacher, StateDicts.toHost(MobileNetV1.pretrained(m).module().stateDict()));
                AandConfig c = AandConfig.defaults().with(Map.of("weights", teacher.toAbsolutePath().toString(),
                        "imageSize", 32, "batchSize", 2, "stage1Epochs", 1, "stage2Epochs", 1, "seed", 3L,
                        "synthesisThreads", 1));
                AandModel net = new AandModel(Backbones.create(c.backbone(), teacher, m, 3), c, new InitContext(m, 3));
                ModelStore.save(net, info(teacher), model);
            }
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The facts saved with those models. */
    public static ModelStore.ModelInfo info(Path teacher) {
        return new ModelStore.ModelInfo(0.5, "test", 0.1, "mvtec", "cookie", 1, Sha256.of(teacher), "test",
                Provenance.capture(List.of(teacher)));
    }

    /** Rewrites the teacher file with one weight changed (as safetensors: formats are told by content). */
    public static void changeTeacher(Path teacher) {
        LinkedHashMap<String, HostTensor> sd = WeightFiles.read(teacher);
        String key = sd.keySet().iterator().next();
        HostTensor w = sd.get(key);
        float[] v = w.toFloatArray();
        v[0] += 0.5f;
        sd.put(key, HostTensor.ofFloats(w.shape(), v));
        SafetensorsWriter.write(teacher, sd);
    }
}
