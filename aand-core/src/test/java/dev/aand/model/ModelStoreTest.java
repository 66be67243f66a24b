package dev.aand.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.aand.io.OutputDir;
import dev.aand.io.Sha256;
import dev.aand.testing.Engines;
import dev.aand.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A saved model says how it was made, and loading refuses anything that would change a verdict. */
class ModelStoreTest {
    @TempDir
    static Path shared;
    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void save() {
        model = TinyModels.withExternalTeacher(shared.resolve("a"));
    }

    /** A private copy of the saved model (its config still names the shared teacher file). */
    private Path copy() throws IOException {
        Path to = dir.resolve("m");
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(model)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }

    private static void editJson(Path file, Consumer<JsonObject> edit) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        edit.accept(o);
        Files.writeString(file, o.toString());
    }

    private static IllegalArgumentException loadFails(Path m) {
        try (NDManager manager = Engines.manager()) {
            return assertThrows(IllegalArgumentException.class, () -> ModelStore.load(m, manager));
        }
    }

    @Test
    void aSavedModelRecordsVersionDigestsAndProvenanceAndLoads() throws IOException {
        JsonObject meta = JsonParser.parseString(Files.readString(model.resolve(ModelStore.META))).getAsJsonObject();
        assertEquals(1, meta.get("formatVersion").getAsInt());
        assertEquals(Sha256.of(model.resolve(ModelStore.WEIGHTS)), meta.get("weightsSha256").getAsString());
        JsonObject p = meta.getAsJsonObject("provenance");
        for (String k : List.of("createdAt", "jvm", "os", "trainingFiles", "trainingFilesSha256")) {
            assertTrue(p.has(k), k);
        }
        assertTrue(p.get("os").getAsString().contains(System.getProperty("os.arch")), p.toString());
        assertTrue(Files.exists(model.resolve(OutputDir.MARKER)));
        try (NDManager manager = Engines.manager()) {
            ModelStore.Loaded loaded = ModelStore.load(model, manager);
            assertEquals(0.5, loaded.info().threshold());
            assertEquals(p.get("trainingFilesSha256").getAsString(), loaded.info().provenance().trainingFilesSha256());
            assertEquals(32, loaded.model().config().imageSize());
        }
    }

    @Test
    void theSameModelSavedTwiceGivesTheSameWeightAndConfigBytes() throws IOException {
        Path again = TinyModels.withExternalTeacher(dir.resolve("b"));
        for (String f : List.of(ModelStore.WEIGHTS, OutputDir.MARKER)) {
            assertArrayEquals(Files.readAllBytes(model.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
        }
        // config.json names its teacher file, whose folder differs here; all else is equal.
        assertEquals(Files.readString(model.resolve(ModelStore.CONFIG)).replace(shared.resolve("a").toString(), "T"),
                Files.readString(again.resolve(ModelStore.CONFIG)).replace(dir.resolve("b").toString(), "T"));
    }

    @Test
    void modelFilesAreReadableByOthersAsTheUmaskAllows() throws IOException {
        Path refDir = Files.createDirectory(dir.resolve("ref"));
        Path refFile = Files.writeString(dir.resolve("ref.txt"), "x");
        assertEquals(Files.getPosixFilePermissions(refDir), Files.getPosixFilePermissions(model));
        for (String f : List.of(ModelStore.CONFIG, ModelStore.META, ModelStore.WEIGHTS)) {
            assertEquals(Files.getPosixFilePermissions(refFile), Files.getPosixFilePermissions(model.resolve(f)), f);
        }
    }

    @ParameterizedTest
    @CsvSource({"config.json, imageSize", "config.json, weights", "config.json, backbone", "model.json, threshold",
            "model.json, teacherWeightsSha256", "model.json, weightsSha256", "model.json, formatVersion",
            "model.json, provenance"})
    void aMissingKeyIsNamedWithItsFile(String file, String key) throws IOException {
        Path m = copy();
        editJson(m.resolve(file), o -> o.remove(key));
        IllegalArgumentException e = loadFails(m);
        assertTrue(e.getMessage().contains(m.resolve(file).toString()) && e.getMessage().contains("'" + key + "'"),
                e.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeIsNamedWithItsFile() throws IOException {
        Path m = copy();
        editJson(m.resolve(ModelStore.CONFIG), o -> o.addProperty("imageSize", "64px"));
        IllegalArgumentException e = loadFails(m);
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("key 'imageSize' must be an integer")
                && e.getMessage().contains("64px"), e.getMessage());
        Path n = dir.resolve("n");
        Files.move(m, n);
        editJson(n.resolve(ModelStore.CONFIG), o -> o.add("imageSize", new JsonPrimitive(32)));
        editJson(n.resolve(ModelStore.META), o -> o.getAsJsonObject("provenance").addProperty("trainingFiles", "many"));
        IllegalArgumentException f = loadFails(n);
        assertTrue(f.getMessage().contains("model.json") && f.getMessage().contains("provenance.key 'trainingFiles'"),
                f.getMessage());
    }

    @Test
    void aRecordedTeacherWithoutATeacherFileIsRefused() throws IOException {
        Path m = copy();
        editJson(m.resolve(ModelStore.CONFIG), o -> o.add("weights", JsonNull.INSTANCE));
        IllegalArgumentException e = loadFails(m);
        assertTrue(e.getMessage().contains(m.resolve(ModelStore.META) + " records teacher weights (SHA-256 ")
                && e.getMessage().contains(m.resolve(ModelStore.CONFIG) + " names no weights file"), e.getMessage());
    }

    @Test
    void anUnknownFormatVersionIsRefusedWithTheVersionFound() throws IOException {
        Path m = copy();
        editJson(m.resolve(ModelStore.META), o -> o.addProperty("formatVersion", 2));
        IllegalArgumentException e = loadFails(m);
        assertTrue(e.getMessage().contains("format version 2 is not supported"), e.getMessage());
    }

    @Test
    void changedWeightsAreRefused() throws IOException {
        Path m = copy();
        byte[] w = Files.readAllBytes(m.resolve(ModelStore.WEIGHTS));
        w[w.length - 1] ^= 1;
        Files.write(m.resolve(ModelStore.WEIGHTS), w);
        IllegalArgumentException e = loadFails(m);
        assertTrue(e.getMessage().contains("weights.safetensors does not match the SHA-256"), e.getMessage());
    }

    @Test
    void aChangedTeacherIsAnErrorUnlessAllowed() throws IOException {
        Path own = TinyModels.withExternalTeacher(dir.resolve("c"));
        TinyModels.changeTeacher(dir.resolve("c/teacher.pt"));
        IllegalArgumentException e = loadFails(own);
        assertTrue(e.getMessage().contains("teacher.pt changed since training")
                && e.getMessage().contains("--allow-changed-teacher"), e.getMessage());
        List<String> warnings = new ArrayList<>();
        try (NDManager manager = Engines.manager()) {
            ModelStore.Loaded loaded = ModelStore.load(own, manager, new ModelStore.LoadOptions(true, warnings::add));
            assertNotNull(loaded.model());
        }
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("changed since training"), warnings.get(0));
        Files.delete(dir.resolve("c/teacher.pt"));
        assertTrue(loadFails(own).getMessage().contains("not found"));
    }

    @Test
    void savingNeverReplacesAFolderItDidNotWrite() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("thesis.tex"), "years of work");
        try (NDManager manager = Engines.manager()) {
            ModelStore.Loaded loaded = ModelStore.load(model, manager);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModelStore.save(loaded.model(), loaded.info(), home));
            assertTrue(e.getMessage().contains("not written by aand"), e.getMessage());
        }
        assertEquals("years of work", Files.readString(home.resolve("thesis.tex")));
    }
}
