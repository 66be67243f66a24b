package dev.aand.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import dev.aand.backbone.weights.HostTensor;
import dev.aand.backbone.weights.SafetensorsReader;
import dev.aand.backbone.weights.SafetensorsWriter;
import dev.aand.backbone.weights.StateDictBinder;
import dev.aand.backbone.weights.WeightFormatException;
import dev.aand.config.AandConfig;
import dev.aand.data.AnomalyDataset;
import dev.aand.data.Sample;
import dev.aand.io.Disk;
import dev.aand.io.HaltPoint;
import dev.aand.io.Sha256;
import dev.aand.model.AandModel;
import dev.aand.nn.StateDicts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a training run needs to continue after a crash exactly as if it had never stopped,
 * taken after a finished epoch: every model tensor (RAA, bottleneck, decoder, BatchNorm
 * statistics), the current stage's Adam moments and step count, the stage and how many of its
 * epochs are done, the configuration, a fingerprint of the data, and the epoch logs so far.
 *
 * <p>Nothing else needs saving because nothing else carries over between epochs: the learning
 * rate is a function of the epoch, synthesis draws from (seed, epoch, index), the stage-2 order
 * from (seed, epoch), the amplification-loss positions from (seed, epoch), and the gate check
 * after stage 1 from the seed alone.
 *
 * <p>On disk it is one safetensors file {@code <out>.checkpoint} beside the model directory:
 * tensors {@code model.*} and {@code optimizer.m.*}/{@code optimizer.v.*}, the rest as JSON in the
 * header metadata. One file can be replaced atomically: it is written to a hidden sibling, synced,
 * renamed over the previous checkpoint and the directory synced, so a crash at any moment leaves
 * either the previous checkpoint or the new one.
 *
 * @param stage {@link Stage1Trainer#STAGE} or {@link Stage2Trainer#STAGE}
 * @param epochsDone epochs of that stage finished
 * @param config the run's configuration
 * @param data fingerprint of the training and validation images ({@link #fingerprint})
 * @param images number of training and validation images fingerprinted
 * @param version aand version that wrote it
 * @param logs epoch logs of both stages so far
 * @param model every tensor of the model's state dict
 * @param optimizer the stage's Adam state after {@code epochsDone} epochs
 */
public record TrainingCheckpoint(String stage, int epochsDone, AandConfig config, String data, int images,
        String version, List<EpochLog> logs, Map<String, HostTensor> model, Adam.State optimizer) {

    private static final String FORMAT = "aand-training-checkpoint-1";
    private static final String MODEL = "model.";
    private static final String OPTIMIZER = "optimizer.";
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    /** Where the checkpoint of a run writing the model directory {@code out} lives. */
    public static Path beside(Path out) {
        Path abs = out.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + ".checkpoint");
    }

    /** The temporary file a save writes before renaming it into place. */
    private static Path partial(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".partial");
    }

    /**
     * A digest of the training and validation images (names and bytes, in dataset order): the
     * sample order and the threshold depend on exactly these files.
     */
    public static String fingerprint(AnomalyDataset data) {
        MessageDigest md = Sha256.digest();
        for (List<Sample> split : List.of(data.train(), data.validation())) {
            md.update((split.size() + "\n").getBytes(StandardCharsets.UTF_8));
            for (Sample s : split) {
                md.update((s.image().getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
                Sha256.update(md, s.image());
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Writes this checkpoint to {@code file} atomically (see the class comment). */
    public void write(Path file) {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        model.forEach((k, v) -> tensors.put(MODEL + k, v));
        optimizer.moments().forEach((k, v) -> tensors.put(OPTIMIZER + k, v));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("stage", stage);
        meta.put("epochs_done", Integer.toString(epochsDone));
        meta.put("optimizer_steps", Integer.toString(optimizer.steps()));
        meta.put("config", config.toJson());
        meta.put("data", data);
        meta.put("images", Integer.toString(images));
        meta.put("version", version);
        meta.put("logs", GSON.toJson(logs));
        Path tmp = partial(file);
        String at = "save:" + stage + ":epoch" + (epochsDone - 1);
        try {
            // Training from code may name a model folder whose parent does not exist yet.
            Files.createDirectories(file.toAbsolutePath().getParent());
            SafetensorsWriter.write(tmp, tensors, meta); // atomic and flushed to the device (AtomicFile)
            HaltPoint.reach(at + ":written");
            Disk.rename(tmp, file);
            Disk.flush(file.toAbsolutePath().getParent());
            HaltPoint.reach(at + ":renamed");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the checkpoint a {@code --resume} continues from and checks that it belongs to this
     * run; every refusal is one line naming the file and what differs.
     */
    public static TrainingCheckpoint resume(Path file, AandConfig requested, String data) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("nothing to resume: no checkpoint " + file
                    + " (it is written after each epoch and removed once the model is saved)");
        }
        TrainingCheckpoint c = read(file);
        if (!Version.get().equals(c.version())) {
            throw new IllegalArgumentException("cannot resume from " + file + ": written by aand " + c.version()
                    + ", this is aand " + Version.get());
        }
        List<String> diff = differences(c.config(), requested);
        if (!diff.isEmpty()) {
            throw new IllegalArgumentException("cannot resume from " + file + ": its configuration differs in "
                    + String.join(", ", diff) + " (checkpoint vs requested)");
        }
        int epochs = c.stage().equals(Stage1Trainer.STAGE) ? requested.stage1Epochs() : requested.stage2Epochs();
        if (c.epochsDone() > epochs) {
            throw new IllegalArgumentException("corrupt checkpoint " + file + ": " + c.epochsDone() + " epochs of "
                    + c.stage() + " done, but the run has " + epochs);
        }
        if (!c.data().equals(data)) {
            throw new IllegalArgumentException("cannot resume from " + file + ": it was trained on different images"
                    + " (checkpoint: " + c.images() + " files, sha256 " + shortDigest(c.data()) + "; now: sha256 "
                    + shortDigest(data) + ")");
        }
        return c;
    }

    private static String shortDigest(String hex) {
        return hex.length() <= 12 ? hex : hex.substring(0, 12) + "...";
    }

    /** Reads and checks the structure of a checkpoint file. */
    static TrainingCheckpoint read(Path file) {
        SafetensorsReader.Contents contents;
        try {
            contents = SafetensorsReader.readWithMetadata(file);
        } catch (WeightFormatException e) {
            throw new IllegalArgumentException("corrupt checkpoint: " + e.getMessage(), e);
        }
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException("not an aand training checkpoint: " + file + " (format "
                    + meta.get("format") + ", expected " + FORMAT + ")");
        }
        try {
            Map<String, HostTensor> model = new LinkedHashMap<>();
            Map<String, HostTensor> moments = new LinkedHashMap<>();
            contents.tensors().forEach((k, v) -> {
                if (k.startsWith(MODEL)) {
                    model.put(k.substring(MODEL.length()), v);
                } else if (k.startsWith(OPTIMIZER)) {
                    moments.put(k.substring(OPTIMIZER.length()), v);
                } else {
                    throw new IllegalArgumentException("unexpected tensor " + k);
                }
            });
            String stage = required(meta, "stage");
            if (!stage.equals(Stage1Trainer.STAGE) && !stage.equals(Stage2Trainer.STAGE)) {
                throw new IllegalArgumentException("unknown stage " + stage);
            }
            int epochsDone = Integer.parseInt(required(meta, "epochs_done"));
            if (epochsDone < 1) {
                throw new IllegalArgumentException(epochsDone + " epochs done");
            }
            List<EpochLog> logs = GSON.fromJson(required(meta, "logs"), new TypeToken<List<EpochLog>>() {}.getType());
            return new TrainingCheckpoint(stage, epochsDone,
                    AandConfig.fromJson(required(meta, "config")), required(meta, "data"),
                    Integer.parseInt(required(meta, "images")), required(meta, "version"), List.copyOf(logs),
                    model, new Adam.State(Integer.parseInt(required(meta, "optimizer_steps")), moments));
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("corrupt checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key);
        }
        return v;
    }

    /**
     * Configuration keys whose values differ, as "key a vs b". The synthesis thread count is not
     * compared: batches are identical whatever it is (see SyntheticBatchLoader).
     */
    static List<String> differences(AandConfig saved, AandConfig requested) {
        JsonObject a = JsonParser.parseString(saved.toJson()).getAsJsonObject();
        JsonObject b = JsonParser.parseString(requested.toJson()).getAsJsonObject();
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : a.entrySet()) {
            JsonElement other = b.get(e.getKey());
            if (!e.getKey().equals("synthesisThreads") && !e.getValue().equals(other)) {
                out.add(e.getKey() + " " + e.getValue() + " vs " + other);
            }
        }
        return out;
    }

    /** Loads the saved model tensors into {@code model} (same architecture, checked by name and shape). */
    public void restore(AandModel target, Path source) {
        StateDicts.load(target, model, source.toString(), StateDictBinder.strict());
    }

    /** Removes the checkpoint of a finished run and any temporary file a crashed save left. */
    public static void delete(Path file) {
        Path tmp = partial(file);
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(tmp);
            // SafetensorsWriter's own temporary files for the partial file.
            try (DirectoryStream<Path> s = Files.newDirectoryStream(file.getParent(),
                    p -> p.getFileName().toString().startsWith("." + tmp.getFileName())
                            && p.getFileName().toString().endsWith(".tmp"))) {
                for (Path p : s) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}
