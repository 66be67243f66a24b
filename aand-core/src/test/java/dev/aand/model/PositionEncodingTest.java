package dev.aand.model;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class PositionEncodingTest {
    @Test
    void followsTheCflowFormula() {
        int c = 8, h = 3, w = 5;
        float[] pe = PositionEncoding.values(c, h, w);
        int d = c / 2; // 4: channels 0..3 encode x, 4..7 encode y; frequencies j = 0, 1
        double div1 = Math.exp(-2.0 * Math.log(10000.0) / d); // = 0.01
        assertEquals(0.01, div1, 1e-12);
        int y = 2, x = 3, pos = y * w + x;
        assertEquals(Math.sin(x * 1.0), pe[0 * h * w + pos], 1e-6);
        assertEquals(Math.cos(x * 1.0), pe[1 * h * w + pos], 1e-6);
        assertEquals(Math.sin(x * 0.01), pe[2 * h * w + pos], 1e-6);
        assertEquals(Math.cos(x * 0.01), pe[3 * h * w + pos], 1e-6);
        assertEquals(Math.sin(y * 1.0), pe[4 * h * w + pos], 1e-6);
        assertEquals(Math.cos(y * 1.0), pe[5 * h * w + pos], 1e-6);
        assertEquals(Math.sin(y * 0.01), pe[6 * h * w + pos], 1e-6);
        assertEquals(Math.cos(y * 0.01), pe[7 * h * w + pos], 1e-6);
        // origin: sin = 0, cos = 1
        assertEquals(0f, pe[0]);
        assertEquals(1f, pe[h * w]);
    }

    @Test
    void rejectsChannelsNotDivisibleByFour() {
        assertThrows(IllegalArgumentException.class, () -> PositionEncoding.values(6, 2, 2));
    }
}
