package dev.aand.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import dev.aand.metrics.ConnectedComponents.Connectivity;
import dev.aand.metrics.ConnectedComponents.Labels;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectedComponentsTest {
    private static final JsonObject PIXEL = MetricsFixtures.json("pixel_level.json");
    private static final int H = MetricsFixtures.H;
    private static final int W = MetricsFixtures.W;

    @Test
    void eightConnectedMatchesSkimage() {
        check("8conn", Connectivity.EIGHT);
    }

    @Test
    void fourConnectedMatchesSkimage() {
        check("4conn", Connectivity.FOUR);
    }

    private static void check(String conn, Connectivity c) {
        int[] expectedCounts = MetricsFixtures.ints(PIXEL.getAsJsonObject(conn).getAsJsonArray("regions_per_image"));
        int[] counts = new int[MetricsFixtures.N];
        for (int i = 0; i < MetricsFixtures.N; i++) {
            Labels l = ConnectedComponents.label(MetricsFixtures.mask(i), H, W, c);
            counts[i] = l.count();
            int[] ref = MetricsFixtures.referenceLabels(conn, i);
            int refCount = Arrays.stream(ref).max().orElse(0);
            int[] refSizes = new int[refCount];
            for (int v : ref) {
                if (v > 0) {
                    refSizes[v - 1]++;
                }
            }
            int[] sizes = l.sizes();
            Arrays.sort(sizes);
            Arrays.sort(refSizes);
            assertArrayEquals(refSizes, sizes, conn + " image " + i + " region sizes");
            assertSamePartition(ref, l.labels(), conn + " image " + i);
        }
        assertArrayEquals(expectedCounts, counts, conn + " regions per image");
    }

    /** Same pixels grouped together, whatever the ids: the label maps differ by a bijection. */
    private static void assertSamePartition(int[] ref, int[] got, String what) {
        Map<Integer, Integer> forward = new HashMap<>();
        Map<Integer, Integer> backward = new HashMap<>();
        for (int k = 0; k < ref.length; k++) {
            assertEquals(ref[k] == 0, got[k] == 0, what + ": background differs at pixel " + k);
            Integer gotBefore = forward.putIfAbsent(ref[k], got[k]);
            Integer refBefore = backward.putIfAbsent(got[k], ref[k]);
            assertEquals(gotBefore == null ? got[k] : gotBefore, got[k], what + ": split region at pixel " + k);
            assertEquals(refBefore == null ? ref[k] : refBefore, ref[k], what + ": merged regions at pixel " + k);
        }
    }

    @Test
    void diagonalTouchSplitsOnlyInFourConnectivity() {
        boolean[] m = {
            true, false, false,
            false, true, false,
            false, false, true,
        };
        assertEquals(1, ConnectedComponents.label8(m, 3, 3).count());
        assertEquals(3, ConnectedComponents.label4(m, 3, 3).count());
        byte[] b = {1, 0, 0, 0, 7, 0, 0, 0, 1};
        assertArrayEquals(ConnectedComponents.label8(m, 3, 3).labels(), ConnectedComponents.label8(b, 3, 3).labels());
    }

    @Test
    void hugeSnakeNeedsNoRecursion() {
        // A 1-pixel wide serpentine path through a 400x400 mask: one component of ~80k pixels,
        // far deeper than a recursive flood fill could go.
        int h = 400;
        int w = 400;
        boolean[] m = new boolean[h * w];
        int expected = 0;
        for (int y = 0; y < h; y += 2) {
            for (int x = 0; x < w; x++) {
                m[y * w + x] = true;
                expected++;
            }
            if (y + 1 < h) {
                m[(y + 1) * w + ((y / 2) % 2 == 0 ? w - 1 : 0)] = true;
                expected++;
            }
        }
        Labels l4 = ConnectedComponents.label4(m, h, w);
        assertEquals(1, l4.count());
        assertEquals(expected, l4.sizes()[0]);
    }

    @Test
    void sizeMismatchIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ConnectedComponents.label8(new boolean[10], 3, 3));
    }
}
