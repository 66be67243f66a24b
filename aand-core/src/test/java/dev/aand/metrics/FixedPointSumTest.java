package dev.aand.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FixedPointSumTest {

    @Test
    void sumIsExactAndOrderIndependent() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] v = new double[5000];
        for (int i = 0; i < v.length; i++) {
            int size = 1 + rnd.nextInt(1 << 30);
            v[i] = (double) (1 + rnd.nextInt(size)) / size; // overlaps c/s as PRO produces them
        }
        FixedPointSum forward = new FixedPointSum();
        BigDecimal exact = BigDecimal.ZERO;
        for (double x : v) {
            forward.add(x);
            exact = exact.add(new BigDecimal(x));
        }
        FixedPointSum backward = new FixedPointSum();
        for (int i = v.length - 1; i >= 0; i--) {
            backward.add(v[i]);
        }
        assertEquals(forward.value(), backward.value(), 0.0);
        assertEquals(exact.doubleValue(), forward.value(), Math.ulp(exact.doubleValue()));
        // Removing what was added returns exactly to zero, however it was interleaved.
        for (int i = 0; i < v.length; i += 2) {
            forward.subtract(v[i]);
        }
        for (int i = 1; i < v.length; i += 2) {
            forward.subtract(v[i]);
        }
        assertEquals(0.0, forward.value(), 0.0);
    }

    @Test
    void valuesOutsideTheExactRangeAreRejected() {
        assertThrows(IllegalStateException.class, () -> new FixedPointSum().add(1e-12));
        assertThrows(IllegalStateException.class, () -> new FixedPointSum().add(-0.5));
    }
}
