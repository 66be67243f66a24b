package dev.aand.data;

import java.util.List;
import java.util.SplittableRandom;

/** Seeded sample orders and batch assembly from host images (synthesis and training share them). */
public final class Shuffle {
    private Shuffle() {}

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates), fully determined by {@code rng}. */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Concatenates {@code count} equally sized arrays picked by {@code order[from..]}. */
    public static float[] gather(List<float[]> items, int[] order, int from, int count) {
        int len = items.get(order[from]).length;
        float[] out = new float[count * len];
        for (int i = 0; i < count; i++) {
            System.arraycopy(items.get(order[from + i]), 0, out, i * len, len);
        }
        return out;
    }
}
