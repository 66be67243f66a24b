package dev.aand.serve;

import ai.djl.ModelException;
import ai.djl.inference.Predictor;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.aand.api.Aand;
import dev.aand.api.AnomalyResult;
import dev.aand.api.PreparedImage;
import dev.aand.model.ModelStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded version of a model folder: the DJL model, its scoring facts and provenance. It is
 * reference counted: the registry holds one reference while the version is current and every
 * queued image holds one, so a version replaced by a reload stays open until its last image is
 * scored; its worker closes it then, with the Predictors its lanes used.
 *
 * <p>Where the worker has a solo lane (lone images on the whole thread budget), the version holds a
 * second instance of the same weights for it: a model instance is prepared for the thread count
 * of the lane that first runs it (see {@link EngineThreads}).
 */
final class ServedModel {
    final String name;
    final Path dir;
    final ZooModel<PreparedImage, AnomalyResult> zoo;
    /** The lanes' instance ({@link #zoo}) and the solo lane's instance of the same weights (null without one). */
    private final Instance shared;
    private final Instance solo;
    final ModelStore.ModelInfo info;
    /** SHA-256 of {@code weights.safetensors}: the version clients see. */
    final String version;
    final JsonElement config;
    final Instant loadedAt;
    final int imageSize;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * One loaded instance and its Predictors: each lane scoring it needs its own (a Predictor is
     * used by one thread at a time), and they are kept for reuse.
     */
    private static final class Instance {
        final ZooModel<PreparedImage, AnomalyResult> zoo;
        private final ConcurrentLinkedQueue<Predictor<PreparedImage, AnomalyResult>> predictors = new ConcurrentLinkedQueue<>();

        Instance(ZooModel<PreparedImage, AnomalyResult> zoo) {
            this.zoo = zoo;
        }

        Predictor<PreparedImage, AnomalyResult> borrow() {
            Predictor<PreparedImage, AnomalyResult> p = predictors.poll();
            return p != null ? p : zoo.newPredictor();
        }

        void close() {
            for (Predictor<PreparedImage, AnomalyResult> p; (p = predictors.poll()) != null; ) {
                p.close();
            }
            zoo.close();
        }
    }

    private ServedModel(String name, Path dir, ZooModel<PreparedImage, AnomalyResult> zoo,
            ZooModel<PreparedImage, AnomalyResult> soloZoo, ModelStore.ModelInfo info, String version, JsonElement config) {
        this.name = name;
        this.dir = dir;
        this.zoo = zoo;
        this.shared = new Instance(zoo);
        this.solo = soloZoo == null ? null : new Instance(soloZoo);
        this.info = info;
        this.version = version;
        this.config = config;
        this.loadedAt = Instant.now();
        this.imageSize = Integer.parseInt(zoo.getProperty("imageSize"));
    }

    /**
     * Loads {@code dir} through the library's DJL API. The weights are hashed before and after
     * loading so that a folder rewritten meanwhile is refused rather than served under a wrong version
     * (and both instances, with {@code solo}, hold the same weights).
     *
     * @param solo whether to load a second instance for a solo lane
     */
    static ServedModel load(String name, Path dir, boolean solo) {
        ModelStore.ModelInfo info = ModelStore.info(dir);
        String before = sha256(dir.resolve(ModelStore.WEIGHTS));
        JsonElement config = readJson(dir.resolve(ModelStore.CONFIG));
        ZooModel<PreparedImage, AnomalyResult> zoo = loadZoo(dir);
        ZooModel<PreparedImage, AnomalyResult> soloZoo = null;
        try {
            soloZoo = solo ? loadZoo(dir) : null;
            String after = sha256(dir.resolve(ModelStore.WEIGHTS));
            if (!before.equals(after)) {
                throw new IllegalStateException("model folder " + dir + " changed while it was being loaded; try again");
            }
            return new ServedModel(name, dir, zoo, soloZoo, info, after, config);
        } catch (RuntimeException e) {
            zoo.close();
            if (soloZoo != null) {
                soloZoo.close();
            }
            throw e;
        }
    }

    private static ZooModel<PreparedImage, AnomalyResult> loadZoo(Path dir) {
        try {
            return Aand.builder(dir, PreparedImage.class).build().loadModel();
        } catch (ModelException | IOException e) {
            throw new IllegalStateException("cannot load model " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A plain grey picture at the model's size: a known input for checks and timings. */
    BufferedImage plainGrey() {
        BufferedImage grey = new BufferedImage(imageSize, imageSize, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grey.createGraphics();
        g.setColor(new Color(128, 128, 128));
        g.fillRect(0, 0, imageSize, imageSize);
        g.dispose();
        return grey;
    }

    /** {@code picture} through this version's pre-processing (on the caller's thread). */
    PreparedImage prepare(BufferedImage picture) {
        return PreparedImage.of(ImageFactory.getInstance().fromImage(picture), zoo);
    }

    /** Takes a reference unless the version is already released for good. */
    boolean tryAcquire() {
        for (int r = refs.get(); r > 0; r = refs.get()) {
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
        return false;
    }

    /** One more reference; only for a caller that already holds one. */
    void retain() {
        refs.incrementAndGet();
    }

    void release() {
        refs.decrementAndGet();
    }

    /** True once no one holds a reference: nothing queued, not current. */
    boolean unused() {
        return refs.get() <= 0;
    }

    /**
     * A Predictor for one batch, to give back with {@link #giveBack}, of the lanes' instance or,
     * with {@code solo}, of the solo lane's (which must exist).
     */
    Predictor<PreparedImage, AnomalyResult> borrowPredictor(boolean solo) {
        return instance(solo).borrow();
    }

    void giveBack(Predictor<PreparedImage, AnomalyResult> p, boolean solo) {
        instance(solo).predictors.add(p);
    }

    private Instance instance(boolean soloLane) {
        if (soloLane && solo == null) {
            throw new IllegalStateException("model " + name + " was loaded without a solo instance");
        }
        return soloLane ? solo : shared;
    }

    /** Frees the model's native memory (once), with its Predictors; none may be borrowed. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            shared.close();
            if (solo != null) {
                solo.close();
            }
        }
    }

    /** Configuration and provenance, as {@code GET /v1/models} shows them. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("model_version", version);
        m.put("path", dir.toAbsolutePath().normalize().toString());
        m.put("loaded_at", loadedAt.toString());
        m.put("image_size", imageSize);
        m.put("method", zoo.getProperty("method"));
        m.put("backbone", zoo.getProperty("backbone"));
        m.put("threshold", info.threshold());
        m.put("threshold_source", info.thresholdSource());
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("dataset", info.dataset());
        provenance.put("category", info.category());
        provenance.put("train_images", info.trainImages());
        provenance.put("teacher_weights_sha256", info.teacherWeightsSha256());
        provenance.put("aand_version", info.version());
        m.put("provenance", provenance);
        m.put("config", config);
        return m;
    }

    static String sha256(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("not a model directory: " + file.getParent() + " (missing "
                    + file.getFileName() + ")");
        }
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonElement readJson(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("corrupt " + file + ": " + e.getMessage(), e);
        }
    }
}
