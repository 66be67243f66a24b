package dev.aand.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReproducibilityTest {
    @Test
    void notesAnEnvironmentWithoutMklsReproducibleMode() {
        assertTrue(Reproducibility.warning(Map.of()).orElseThrow().contains("MKL_CBWR=AUTO,STRICT"));
        assertTrue(Reproducibility.warning(Map.of("MKL_CBWR", "AUTO,STRICT")).isPresent(), "threads may still vary");
        assertTrue(Reproducibility.warning(Map.of("MKL_CBWR", "AUTO", "MKL_DYNAMIC", "FALSE")).isPresent(),
                "AUTO alone depends on alignment");
        assertEquals(java.util.Optional.empty(), Reproducibility.warning(Reproducibility.MKL_SETTINGS));
    }

    @Test
    void theTestBuildRunsInTheReproducibleMode() {
        // The byte-identity tests (resume, same seed) rely on it; pom.xml sets it as ./aand does.
        assertEquals(java.util.Optional.empty(), Reproducibility.warning());
    }
}
