package dev.aand.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.aand.config.RecordJson;
import dev.aand.io.Sha256;
import java.nio.file.Path;
import java.util.Set;

/**
 * The {@code model.json} file: {@code formatVersion}, the {@link ModelStore.ModelInfo} fields and
 * {@code weightsSha256}, the digest of {@code weights.safetensors}. Reading is strict: an unknown
 * version, a missing, unknown or mistyped key is an error naming the file and the key.
 */
final class ModelJson {
    /** Version 1: the first with a version, weights digest and provenance. */
    static final int FORMAT_VERSION = 1;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls()
            .serializeSpecialFloatingPointValues().create();
    private static final Set<String> NULLABLE = Set.of("teacherWeightsSha256");

    /** What model.json says. */
    public record Contents(ModelStore.ModelInfo info, String weightsSha256) {}

    private ModelJson() {}

    static String write(ModelStore.ModelInfo info, String weightsSha256) {
        JsonObject o = new JsonObject();
        o.addProperty("formatVersion", FORMAT_VERSION);
        GSON.toJsonTree(info).getAsJsonObject().entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
        o.addProperty("weightsSha256", weightsSha256);
        return GSON.toJson(o) + "\n";
    }

    static Contents read(String text, Path file) {
        String where = file + ": ";
        JsonObject o;
        try {
            JsonElement root = JsonParser.parseString(text);
            if (!root.isJsonObject()) {
                throw new IllegalArgumentException(where + "expected a JSON object");
            }
            o = root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(where + "not valid JSON: " + e.getMessage(), e);
        }
        JsonElement v = o.remove("formatVersion");
        if (v == null) {
            throw new IllegalArgumentException(where + "missing key 'formatVersion' (written by an aand before"
                    + " format versions; retrain the model)");
        }
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber() || !v.getAsString().matches("\\d+")
                || !v.getAsString().equals(Integer.toString(FORMAT_VERSION))) {
            throw new IllegalArgumentException(where + "format version " + v + " is not supported; this aand reads"
                    + " version " + FORMAT_VERSION);
        }
        JsonElement digest = o.remove("weightsSha256");
        if (digest == null || !digest.isJsonPrimitive() || !Sha256.isDigest(digest.getAsString())) {
            throw new IllegalArgumentException(where + (digest == null ? "missing key 'weightsSha256'"
                    : "key 'weightsSha256' must be a SHA-256 digest (64 hex digits), found " + digest));
        }
        RecordJson.check(o, ModelStore.ModelInfo.class, NULLABLE, where);
        ModelStore.ModelInfo info = GSON.fromJson(o, ModelStore.ModelInfo.class);
        if (!Double.isFinite(info.threshold())) {
            throw new IllegalArgumentException(where + "key 'threshold' must be a finite number, found "
                    + info.threshold());
        }
        if (info.teacherWeightsSha256() != null && !Sha256.isDigest(info.teacherWeightsSha256())) {
            throw new IllegalArgumentException(where + "key 'teacherWeightsSha256' must be a SHA-256 digest or null");
        }
        return new Contents(info, digest.getAsString());
    }
}
