package dev.aand.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.aand.backbone.weights.HostTensor;
import dev.aand.backbone.weights.SafetensorsReader;
import dev.aand.backbone.weights.StateDictBinder;
import dev.aand.config.AandConfig;
import dev.aand.data.Npy;
import dev.aand.model.Method;
import dev.aand.model.official.OfficialNames;
import dev.aand.model.ResidualAnomalyAmplifier;
import dev.aand.nn.InitContext;
import dev.aand.nn.Module;
import dev.aand.nn.StateDicts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors the official AAND code produced ({@code fixtures/07_aand/}, README section 7) and
 * the comparisons its tolerances call for. Run with {@code -Daand.parity.report=true} to print the
 * largest error of every comparison.
 */
public final class OfficialFixtures {
    private static final String DIR = "07_aand/";

    private OfficialFixtures() {}

    public static Npy.Array npy(String name) {
        return Fixtures.npy(DIR + name);
    }

    /** An .npy file as a float32 tensor of its own shape. */
    public static NDArray nd(NDManager m, String name) {
        Npy.Array a = npy(name);
        return m.create(a.data(), new Shape(a.shape()));
    }

    public static JsonObject json(String name) {
        try {
            return JsonParser.parseString(Files.readString(Fixtures.fixture(DIR + name))).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    /** A state dict the official code saved, under its official names, in file order. */
    public static LinkedHashMap<String, HostTensor> stateDict(String name) {
        return SafetensorsReader.read(Fixtures.fixture(DIR + name));
    }

    public static Map<String, long[]> shapes(Map<String, HostTensor> tensors) {
        Map<String, long[]> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> out.put(k, t.shape()));
        return out;
    }

    /** Loads tensors already under our names, failing on any missing, extra or mis-shaped one. */
    public static void load(Module module, Map<String, HostTensor> ours, String source) {
        StateDicts.load(module, ours, source, StateDictBinder.strict());
    }

    /**
     * The official {@code RAR_single} of section 7.1, rebuilt as ours from its shapes and loaded by
     * its official names, with the default configuration's temperature.
     */
    public static ResidualAnomalyAmplifier amplifier(NDManager m) {
        LinkedHashMap<String, HostTensor> official = stateDict("raa_state_dict.safetensors");
        OfficialNames.AmplifierShape s = OfficialNames.amplifierShape(shapes(official));
        ResidualAnomalyAmplifier raa = new ResidualAnomalyAmplifier(new InitContext(m, 0), s.channels(), s.hidden(),
                s.memoryItems(), AandConfig.defaults().temperature(), Method.AAND);
        load(raa, OfficialNames.amplifier(official), "raa_state_dict.safetensors");
        return raa;
    }

    /**
     * Elementwise |actual - expected| <= abs + rel * |expected|; the message names the worst
     * element.
     */
    public static void assertClose(String what, float[] expected, float[] actual, double abs, double rel) {
        assertEquals(expected.length, actual.length, what + ": element count");
        int worst = -1;
        double worstExcess = 0;
        double maxErr = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs((double) actual[i] - expected[i]);
            maxErr = Math.max(maxErr, err);
            double excess = err - (abs + rel * Math.abs(expected[i]));
            if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Double.isNaN(excess))) {
                worst = i;
                worstExcess = excess;
            }
        }
        if (Boolean.getBoolean("aand.parity.report")) {
            System.out.printf("PARITY %-40s max abs error %.3e over %d values%n", what, maxErr, expected.length);
        }
        if (worst >= 0) {
            fail(String.format("%s: element %d is %s, expected %s (tolerance %.1e + %.1e*|ref|; max abs error %.3e)",
                    what, worst, actual[worst], expected[worst], abs, rel, maxErr));
        }
    }

    public static void assertClose(String what, Npy.Array expected, NDArray actual, double abs, double rel) {
        assertEquals(expected.size(), actual.size(), what + ": element count (shape " + actual.getShape() + ")");
        assertClose(what, expected.data(), actual.toType(DataType.FLOAT32, false).toFloatArray(), abs, rel);
    }

    /** Gradient tolerance of section 7.2: abs 1e-6 + 1e-4 of the tensor's largest |value|. */
    public static void assertGradient(String what, float[] expected, float[] actual) {
        double max = 0;
        for (float v : expected) {
            max = Math.max(max, Math.abs(v));
        }
        assertClose(what, expected, actual, 1e-6 + 1e-4 * max, 0);
    }

    /** Bitwise equality of float values. */
    public static void assertExact(String what, float[] expected, float[] actual) {
        assertClose(what, expected, actual, 0, 0);
    }

    /** |actual - expected| <= rel * |expected|. */
    public static void assertRelative(String what, double expected, double actual, double rel) {
        if (Boolean.getBoolean("aand.parity.report")) {
            System.out.printf("PARITY %-40s %.10g vs official %.10g (rel error %.2e)%n", what, actual, expected,
                    Math.abs(actual - expected) / Math.abs(expected));
        }
        assertEquals(expected, actual, rel * Math.abs(expected), what);
    }
}
