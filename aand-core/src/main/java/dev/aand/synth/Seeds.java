package dev.aand.synth;

/** Derives independent, well-mixed seeds from a base seed and a path of integers. */
public final class Seeds {
    private Seeds() {}

    /**
     * Mixes {@code parts} into {@code seed} with the SplitMix64 finaliser, so (seed, epoch,
     * index) gives a stream that depends on nothing but those numbers -- never on the thread or
     * the order in which samples are made.
     */
    public static long derive(long seed, long... parts) {
        long s = mix(seed + 0x9E3779B97F4A7C15L);
        for (long p : parts) {
            s = mix(s ^ mix(p + 0x632BE59BD9B4E019L));
        }
        return s;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
