package dev.aand.serve;

import static org.junit.jupiter.api.Assertions.*;

import dev.aand.engine.OfflineEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --lanes auto}: the lanes that score the most images per second when all are busy. */
class LaneChoiceTest {
    @TempDir
    Path dir;

    @Test
    void moreLanesOnlyForTenPercentMoreImagesPerSecond() {
        // The 64 px cookie model on two cores: one thread nearly as fast as two, two lanes 1.5 x the rate.
        assertEquals(2, LaneChoice.choose(2, t -> t == 2 ? 18.0 : 24.0));
        // The 256 px one: 100 ms on two threads, 142 on one; two lanes 1.41 x the rate.
        assertEquals(2, LaneChoice.choose(2, t -> t == 2 ? 100.0 : 142.0));
        // A model whose convolutions use two threads well: two lanes only 1.05 x the rate.
        assertEquals(1, LaneChoice.choose(2, t -> t == 2 ? 50.0 : 95.0));
        Map<Integer, Double> ms = Map.of(16, 20.0, 8, 22.0, 4, 30.0, 2, 45.0, 1, 100.0);
        assertEquals(8, LaneChoice.choose(16, ms::get), "16 one-thread lanes: 0.16 images/ms against 0.178 for 8");
        assertEquals(1, LaneChoice.choose(1, t -> 5.0), "one thread: one lane, nothing timed but the whole");
    }

    @Test
    void onlyLaneCountsThatShareTheThreadsEvenlyAreTimed() {
        List<Integer> asked = new ArrayList<>();
        int lanes = LaneChoice.choose(6, t -> {
            asked.add(t);
            return t == 6 ? 10.0 : 10.0 + 20.0 / t; // 1 thread 30, 2 threads 20, 3 threads 16.7
        });
        assertEquals(6, lanes, "0.1, 0.12, 0.15 and 0.2 images/ms: each step gains over 10%");
        assertEquals(List.of(6, 3, 2, 1), asked, "2 lanes of 3, 3 of 2, 6 of 1 (4 and 5 do not divide 6)");
    }

    @Test
    void aRealModelIsTimedOnEveryThreadCountTheRuleAsksFor() {
        int budget = OfflineEngine.threads();
        TinyModels.copy(TinyModels.a(), dir.resolve("cookie"));
        LaneChoice.Result r = LaneChoice.measure(List.of(dir.resolve("cookie")), budget);
        assertTrue(r.lanes() >= 1 && r.lanes() <= budget && budget % r.lanes() == 0, r.toString());
        Map<Integer, Double> ms = r.medianMs().get("cookie");
        assertTrue(ms.containsKey(budget) && ms.values().stream().allMatch(v -> v > 0 && Double.isFinite(v)),
                r.toString());
        assertEquals(r.lanes(), LaneChoice.choose(budget, ms::get), "the choice follows the rule on the times measured");
        String line = r.describe(budget);
        assertTrue(line.startsWith("lanes: auto chose " + r.lanes() + " of " + budget + " engine threads"), line);
        assertEquals(budget, OfflineEngine.threads(), "the caller's thread count is untouched");
    }
}
