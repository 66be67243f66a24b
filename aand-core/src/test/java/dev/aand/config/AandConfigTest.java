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
    void olderFilesMissingKeysTakeDefaults() {
        AandConfig c = AandConfig.fromJson("{\"imageSize\": 128, \"method\": \"rd\"}");
        assertEquals(128, c.imageSize());
        assertEquals(Method.RD, c.method());
        assertEquals(50, c.memoryItems());
    }

    @Test
    void preprocessingIsSavedByIdAndOlderFilesUseOurs() {
        AandConfig c = AandConfig.defaults().with("preprocessing", Preprocessing.OFFICIAL);
        assertTrue(c.toJson().contains("\"preprocessing\": \"official\""), c.toJson());
        assertEquals(c, AandConfig.fromJson(c.toJson()));
        assertEquals(Preprocessing.AAND, AandConfig.fromJson("{\"imageSize\": 128}").preprocessing());
        var e = assertThrows(IllegalArgumentException.class,
                () -> AandConfig.fromJson("{\"preprocessing\": \"pil\"}"));
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
}
