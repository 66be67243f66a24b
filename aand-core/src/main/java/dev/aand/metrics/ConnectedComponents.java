package dev.aand.metrics;

/**
 * Connected-component labelling of binary masks (row-major, {@code h} rows of {@code w} pixels).
 * Labels run from 1 in raster order of each component's first pixel, 0 is background, so the
 * numbering equals {@code skimage.measure.label}. Flood fill uses an explicit stack (no recursion),
 * so large defects cannot overflow the thread stack.
 */
public final class ConnectedComponents {

    /** Which neighbours touch: 4 = edge neighbours, 8 = edge and corner neighbours. */
    public enum Connectivity {
        FOUR,
        EIGHT
    }

    /**
     * @param labels per pixel component id, 0 = background, 1..count otherwise
     * @param count number of components
     */
    public record Labels(int[] labels, int count) {
        /** Pixel count of every component; index {@code i} belongs to label {@code i + 1}. */
        public int[] sizes() {
            int[] s = new int[count];
            for (int l : labels) {
                if (l > 0) {
                    s[l - 1]++;
                }
            }
            return s;
        }
    }

    private ConnectedComponents() {}

    public static Labels label8(boolean[] mask, int h, int w) {
        return label(mask, h, w, Connectivity.EIGHT);
    }

    /** Non-zero bytes are foreground. */
    public static Labels label8(byte[] mask, int h, int w) {
        return label(toBoolean(mask), h, w, Connectivity.EIGHT);
    }

    public static Labels label4(boolean[] mask, int h, int w) {
        return label(mask, h, w, Connectivity.FOUR);
    }

    /** Non-zero bytes are foreground. */
    public static Labels label4(byte[] mask, int h, int w) {
        return label(toBoolean(mask), h, w, Connectivity.FOUR);
    }

    public static Labels label(boolean[] mask, int h, int w, Connectivity connectivity) {
        if (mask == null) {
            throw new IllegalArgumentException("mask must not be null");
        }
        if (h <= 0 || w <= 0 || (long) h * w != mask.length) {
            throw new IllegalArgumentException("mask has " + mask.length + " pixels, expected h*w = "
                    + h + "*" + w);
        }
        boolean eight = connectivity == Connectivity.EIGHT;
        int[] labels = new int[mask.length];
        // Every pixel is pushed at most once (it is labelled when pushed), so h*w slots suffice.
        int[] stack = null;
        int count = 0;
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || labels[start] != 0) {
                continue;
            }
            if (stack == null) {
                stack = new int[mask.length];
            }
            int id = ++count;
            labels[start] = id;
            int top = 0;
            stack[top++] = start;
            while (top > 0) {
                int p = stack[--top];
                int y = p / w;
                int x = p - y * w;
                int y0 = Math.max(y - 1, 0);
                int y1 = Math.min(y + 1, h - 1);
                int x0 = Math.max(x - 1, 0);
                int x1 = Math.min(x + 1, w - 1);
                for (int ny = y0; ny <= y1; ny++) {
                    for (int nx = x0; nx <= x1; nx++) {
                        if (!eight && ny != y && nx != x) {
                            continue; // corner neighbour
                        }
                        int q = ny * w + nx;
                        if (mask[q] && labels[q] == 0) {
                            labels[q] = id;
                            stack[top++] = q;
                        }
                    }
                }
            }
        }
        return new Labels(labels, count);
    }

    private static boolean[] toBoolean(byte[] mask) {
        if (mask == null) {
            throw new IllegalArgumentException("mask must not be null");
        }
        boolean[] b = new boolean[mask.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = mask[i] != 0;
        }
        return b;
    }
}
