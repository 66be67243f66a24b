package dev.aand.config;

import static org.junit.jupiter.api.Assertions.*;

import dev.aand.data.Preprocessing;
import dev.aand.model.Method;
import org.junit.jupiter.api.Test;

class AandConfigTest {
    @Test
    void defaultsAreThePapersAndTheOfficialCodes() {
        AandConfig c = AandConfig.defaults();
        assertEquals(100, c.stage1Epochs());
        assertEquals(120, c.stage2Epochs());
        assertEquals(16, c.batchSize());
        assertEquals(0.005, c.learningRate());
        assertEquals(0.5, c.beta1());
        assertEquals(50, c.memoryItems());
        assertEquals(0.2, c.temperature());
        assertEquals(0.1, c.amplificationWeight());
        assertEquals(Method.AAND, c.method());
    }

    @Test
    void learningRateDecaysAtEightyAndNinetyPercent() {
        AandConfig c = AandConfig.defaults();
        assertEquals(0.005, c.learningRateAt(79, 100), 1e-15);
        assertEquals(0.001, c.learningRateAt(80, 100), 1e-15);
        assertEquals(0.0002, c.learningRateAt(90, 100), 1e-15);
        assertEquals(0.005, c.learningRateAt(95, 120), 1e-15);
        assertEquals(0.001, c.learningRateAt(96, 120), 1e-15);
        assertEquals(0.0002, c.learningRateAt(108, 120), 1e-15);
        assertEquals(0.005, c.learningRateAt(0, 1), 1e-15, "a one-epoch run is not decayed from the start");
    }

    @Test
    void jsonRoundTripKeepsEveryValue() {
        AandConfig c = AandConfig.defaults().with("method", Method.RD_HKD).with("seed", 42L).with("weights", "/x/w.pth");
        AandConfig back = AandConfig.fromJson(c.toJson());
        assertEquals(c, back);
        assertTrue(c.toJson().contains("\"rd+hkd\""));
    }

    @Test
    void aMissingKeyIsAnErrorNotADefault() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> AandConfig.fromJson("{\"imageSize\": 128, \"method\": \"rd\"}"));
        assertTrue(e.getMessage().contains("missing key 'backbone'"), e.getMessage());
    }

    @Test
    void preprocessingIsSavedByIdAndRequired() {
        AandConfig c = AandConfig.defaults().with("preprocessing", Preprocessing.OFFICIAL);
        assertTrue(c.toJson().contains("\"preprocessing\": \"official\""), c.toJson());
        assertEquals(c, AandConfig.fromJson(c.toJson()));
        String without = c.toJson().replaceAll(",\\s*\"preprocessing\": \"official\"", "");
        var missing = assertThrows(IllegalArgumentException.class, () -> AandConfig.fromJson(without));
        assertTrue(missing.getMessage().contains("missing key 'preprocessing'"), missing.getMessage());
        var e = assertThrows(IllegalArgumentException.class,
                () -> AandConfig.fromJson(c.toJson().replace("\"official\"", "\"pil\"")));
        assertTrue(e.getMessage().contains("unknown preprocessing 'pil'"), e.getMessage());
    }

    @Test
    void badValuesAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> AandConfig.defaults().with("imageSize", 100));
        assertTrue(e.getMessage().contains("image size"), e.getMessage());
        var u = assertThrows(IllegalArgumentException.class, () -> AandConfig.defaults().with("imgSize", 128));
        assertTrue(u.getMessage().contains("imgSize"), u.getMessage());
        var m = assertThrows(IllegalArgumentException.class, () -> Method.parse("patchcore"));
        assertTrue(m.getMessage().contains("rd+hkd"), m.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeNamesItsKey() {
        String json = AandConfig.defaults().toJson().replace("\"imageSize\": 256", "\"imageSize\": \"256px\"");
        var e = assertThrows(IllegalArgumentException.class, () -> AandConfig.fromJson(json));
        assertTrue(e.getMessage().contains("key 'imageSize' must be an integer, found \"256px\""), e.getMessage());
        var o = assertThrows(IllegalArgumentException.class, () -> AandConfig.defaults().with("batchSize", "lots"));
        assertTrue(o.getMessage().contains("key 'batchSize'"), o.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> AandConfig.defaults().with("seed", 1.5));
        assertTrue(f.getMessage().contains("key 'seed' must be an integer"), f.getMessage());
        var n = assertThrows(IllegalArgumentException.class, () -> AandConfig.defaults().with(java.util.Collections.singletonMap("backbone", null)));
        assertTrue(n.getMessage().contains("key 'backbone' must be a string, found null"), n.getMessage());
        String extra = AandConfig.defaults().toJson().replace("{", "{\"imgSize\": 64,");
        var u = assertThrows(IllegalArgumentException.class, () -> AandConfig.fromJson(extra));
        assertTrue(u.getMessage().contains("unknown key 'imgSize'"), u.getMessage());
    }

    @Test
    void aConfigurationThatTrainsNothingOrCannotBeHeldIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> AandConfig.defaults().with("stage2Epochs", 0));
        assertTrue(e.getMessage().contains("at least one stage-2 epoch"), e.getMessage());
        var g = assertThrows(IllegalArgumentException.class, () -> AandConfig.defaults()
                .with(java.util.Map.of("method", Method.GATE_SCORE, "stage1Epochs", 0)));
        assertTrue(g.getMessage().contains("stage-1 epoch"), g.getMessage());
        assertEquals(0, AandConfig.defaults().with(java.util.Map.of("method", Method.RD, "stage1Epochs", 0))
                .stage1Epochs(), "rd has no stage 1");
        var big = assertThrows(IllegalArgumentException.class, () -> AandConfig.defaults().with("imageSize", 100_000));
        assertTrue(big.getMessage().contains("[32, 8192]"), big.getMessage());
        var batch = assertThrows(IllegalArgumentException.class, () -> AandConfig.defaults()
                .with(java.util.Map.of("imageSize", 8192, "batchSize", 16)));
        assertTrue(batch.getMessage().contains("more than one array can hold"), batch.getMessage());
        var lr = assertThrows(IllegalArgumentException.class, () -> AandConfig.defaults().with("learningRate", Double.NaN));
        assertTrue(lr.getMessage().contains("learning rate"), lr.getMessage());
    }
}
