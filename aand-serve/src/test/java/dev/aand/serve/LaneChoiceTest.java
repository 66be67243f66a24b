package dev.aand.serve;

import static org.junit.jupiter.api.Assertions.*;

import dev.aand.engine.OfflineEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --lanes auto}: the most lanes whose share of threads keeps a lone image on target. */
class LaneChoiceTest {
    @TempDir
    Path dir;

    @Test
    void theMostLanesWhoseLoneImageStaysWithinTheTarget() {
        // The 64 px cookie model on two cores: one thread nearly as fast as two (limit 1.2 x 18 + 10 = 31.6).
        assertEquals(2, LaneChoice.choose(2, t -> t == 2 ? 18.0 : 24.0));
        // The 256 px one: 100 ms on two threads, 142 on one, over the limit of 130.
        assertEquals(1, LaneChoice.choose(2, t -> t == 2 ? 100.0 : 142.0));
        // Exactly at the limit still counts.
        assertEquals(2, LaneChoice.choose(2, t -> t == 2 ? 100.0 : 130.0));
        Map<Integer, Double> ms = Map.of(16, 20.0, 8, 22.0, 4, 30.0, 2, 45.0, 1, 80.0);
        assertEquals(4, LaneChoice.choose(16, ms::get), "limit 34 ms: four threads per lane is the smallest share");
        assertEquals(1, LaneChoice.choose(1, t -> 5.0), "one thread: one lane, nothing timed but the whole");
    }

    @Test
    void onlyLaneCountsThatShareTheThreadsEvenlyAreTimed() {
        List<Integer> asked = new ArrayList<>();
        int lanes = LaneChoice.choose(6, t -> {
            asked.add(t);
            return t == 6 ? 10.0 : 10.0 + 20.0 / t; // 1 thread 30, 2 threads 20, 3 threads 16.7; limit 22
        });
        assertEquals(3, lanes, "two threads per lane is the smallest share within the limit");
        assertEquals(List.of(6, 1, 2), asked, "6 lanes of 1, then 3 of 2 (5 and 4 do not divide 6)");
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
