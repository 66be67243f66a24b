package dev.aand.metrics;

/**
 * Exact running sum of doubles that are 0 or lie in [2^-31, 2^44), held as a 128-bit integer count
 * of 2^-84 units. Every such double is an exact multiple of 2^-84, so additions and subtractions
 * lose nothing and the sum does not depend on their order. PRO uses it for the sum of per-region
 * overlaps (c/s with region size s < 2^31): images may then be added in any order with bitwise
 * identical results.
 */
final class FixedPointSum {
    private static final int FRACTION_BITS = 84;
    private long hi;
    private long lo;

    void add(double x) {
        if (x == 0) {
            return;
        }
        long bits = Double.doubleToRawLongBits(x);
        int exp = (int) ((bits >>> 52) & 0x7ff);
        long mantissa = (bits & 0xfffffffffffffL) | (1L << 52);
        int shift = exp - 1075 + FRACTION_BITS;
        if (bits < 0 || exp == 0 || shift < 0 || shift > 75) {
            throw new IllegalStateException("value outside the fixed-point range: " + x);
        }
        long h;
        long l;
        if (shift == 0) {
            h = 0;
            l = mantissa;
        } else if (shift < 64) {
            h = mantissa >>> (64 - shift);
            l = mantissa << shift;
        } else {
            h = mantissa << (shift - 64);
            l = 0;
        }
        long newLo = lo + l;
        hi += h + (Long.compareUnsigned(newLo, lo) < 0 ? 1 : 0);
        lo = newLo;
    }

    void subtract(double x) {
        if (x == 0) {
            return;
        }
        // Two's complement negation of the 128-bit sum, add, negate back: reuses add's range checks.
        negate();
        add(x);
        negate();
    }

    private void negate() {
        lo = -lo;
        hi = ~hi + (lo == 0 ? 1 : 0);
    }

    /** The sum rounded to double (the high part is exact below 2^33 units of 1). */
    double value() {
        double low = (double) ((lo >>> 1) | (lo & 1)) * 2.0; // unsigned 64-bit to double, sticky bit kept
        return Math.scalb((double) hi, 64 - FRACTION_BITS) + Math.scalb(low, -FRACTION_BITS);
    }
}
