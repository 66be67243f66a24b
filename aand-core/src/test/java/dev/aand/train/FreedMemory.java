package dev.aand.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Makes Java free its unreachable direct buffers, then fills such memory with a huge number. */
final class FreedMemory {
    private FreedMemory() {}

    /**
     * Collects garbage (which frees the native memory of unreachable direct buffers) and allocates
     * many small direct buffers holding 1e30, which take that memory back: a constant read from
     * there changes any product, quotient or comparison it takes part in. Keep the result reachable
     * for as long as the memory should stay taken.
     */
    static List<ByteBuffer> collectAndReuse() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50); // the reference handler frees the collected buffers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ByteBuffer> taken = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 << (i % 3)).order(ByteOrder.nativeOrder());
            for (int j = 0; j + 4 <= b.capacity(); j += 4) {
                b.putFloat(j, 1e30f);
            }
            taken.add(b);
        }
        return taken;
    }

    /**
     * Runs {@code gradients} without and with a collection between its forward and backward
     * passes (it calls {@link #collectAndReuse} when given true) and requires equal gradients.
     */
    static void assertSameGradients(Function<Boolean, float[][]> gradients, String what) {
        float[][] quiet = gradients.apply(false);
        float[][] collected = gradients.apply(true);
        for (int i = 0; i < quiet.length; i++) {
            assertArrayEquals(quiet[i], collected[i], what + " " + i + " changed by a garbage collection");
        }
    }
}
