package dev.aand.backbone.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateDictBinderTest {

    private static Map<String, long[]> expected() {
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("conv1.weight", new long[] {4, 3, 3, 3});
        m.put("bn1.weight", new long[] {4});
        m.put("bn1.bias", new long[] {4});
        m.put("bn1.num_batches_tracked", new long[] {});
        return m;
    }

    private static HostTensor zeros(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return HostTensor.ofFloats(shape, new float[(int) n]);
    }

    @Test
    void matchingStateDictBindsInModelOrder() {
        Map<String, HostTensor> loaded = new LinkedHashMap<>();
        loaded.put("bn1.bias", zeros(4));
        loaded.put("bn1.num_batches_tracked", HostTensor.ofLongs(new long[] {}, new long[] {3}));
        loaded.put("bn1.weight", zeros(4));
        loaded.put("conv1.weight", zeros(4, 3, 3, 3));
        StateDictBinder b = StateDictBinder.strict();
        assertTrue(b.check(expected(), loaded).ok());
        assertEquals(List.copyOf(expected().keySet()), List.copyOf(b.bind(expected(), loaded, "x.pt").keySet()));
    }

    @Test
    void reportsMissingUnexpectedAndShapeMismatchTogether() {
        Map<String, HostTensor> loaded = new LinkedHashMap<>();
        loaded.put("conv1.weight", zeros(8, 3, 3, 3));
        loaded.put("bn1.weight", zeros(4));
        loaded.put("module.bn1.bias", zeros(4));
        loaded.put("bn1.num_batches_tracked", HostTensor.ofLongs(new long[] {}, new long[] {3}));
        StateDictBinder.Report r = StateDictBinder.strict().check(expected(), loaded);
        assertFalse(r.ok());
        assertEquals(List.of("bn1.bias"), r.missing());
        assertEquals(List.of("module.bn1.bias"), r.unexpected());
        assertEquals(1, r.mismatches().size());
        assertEquals("conv1.weight", r.mismatches().get(0).key());

        WeightFormatException e = assertThrows(WeightFormatException.class,
                () -> StateDictBinder.strict().bind(expected(), loaded, "ckpt.pt"));
        String msg = e.getMessage();
        assertTrue(msg.startsWith("ckpt.pt:"), msg);
        assertTrue(msg.contains("1 missing key") && msg.contains("bn1.bias"), msg);
        assertTrue(msg.contains("1 unexpected key") && msg.contains("module.bn1.bias"), msg);
        assertTrue(msg.contains("1 shape mismatch") && msg.contains("conv1.weight expected [4, 3, 3, 3] but file has [8, 3, 3, 3]"),
                msg);
    }

    @Test
    void ignoredKeysDoNotCount() {
        Map<String, HostTensor> loaded = new LinkedHashMap<>();
        loaded.put("conv1.weight", zeros(4, 3, 3, 3));
        loaded.put("bn1.weight", zeros(4));
        loaded.put("bn1.bias", zeros(4));
        loaded.put("fc.weight", zeros(10, 4));
        loaded.put("fc.bias", zeros(10));
        // an old checkpoint without num_batches_tracked
        StateDictBinder strict = StateDictBinder.strict();
        StateDictBinder.Report r = strict.check(expected(), loaded);
        assertEquals(List.of("bn1.num_batches_tracked"), r.missing());
        assertEquals(List.of("fc.weight", "fc.bias"), r.unexpected());

        StateDictBinder lenient = strict.ignoringGlobs("fc.*", "*.num_batches_tracked");
        assertTrue(lenient.check(expected(), loaded).ok(), lenient.check(expected(), loaded).describe());
        assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias"),
                List.copyOf(lenient.bind(expected(), loaded, "x.pt").keySet()));
        // a glob is anchored: "fc.*" does not ignore "xfc.weight"
        loaded.put("xfc.weight", zeros(1));
        assertEquals(List.of("xfc.weight"), lenient.check(expected(), loaded).unexpected());
        assertTrue(strict.ignoring(k -> k.startsWith("x") || k.startsWith("fc.") || k.endsWith("tracked"))
                .check(expected(), loaded).ok());
    }

    @Test
    void longListsAreAbbreviated() {
        Map<String, long[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            many.put("layer" + i + ".weight", new long[] {1});
        }
        String msg = StateDictBinder.strict().check(many, Map.of()).describe();
        assertTrue(msg.contains("30 missing keys") && msg.contains("and 10 more"), msg);
    }
}
