package dev.aand.metrics;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.aand.data.Npy;
import dev.aand.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Loads the section-5 reference fixtures (05_metrics). */
final class MetricsFixtures {
    static final int N = 6;
    static final int H = 64;
    static final int W = 64;

    private MetricsFixtures() {}

    static JsonObject json(String name) {
        Path p = Fixtures.fixture("05_metrics/" + name);
        try (Reader r = Files.newBufferedReader(p)) {
            return JsonParser.parseReader(r).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] doubles(JsonArray a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).getAsDouble();
        }
        return d;
    }

    static int[] ints(JsonArray a) {
        int[] d = new int[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).getAsInt();
        }
        return d;
    }

    /** Map of image {@code i}, row-major 64x64. */
    static float[] map(int i) {
        Npy.Array a = Fixtures.npy("05_metrics/anomaly_maps_6x64x64.npy");
        return Arrays.copyOfRange(a.data(), i * H * W, (i + 1) * H * W);
    }

    static boolean[] mask(int i) {
        Path p = Fixtures.fixture("05_metrics/mask_" + i + ".png");
        try {
            BufferedImage img = ImageIO.read(p.toFile());
            Raster r = img.getRaster();
            boolean[] m = new boolean[H * W];
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int v = r.getSample(x, y, 0);
                    if (v != 0 && v != 255) {
                        throw new IllegalStateException(p + ": unexpected mask value " + v);
                    }
                    m[y * W + x] = v == 255;
                }
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** skimage label image of image {@code i} for "8conn" or "4conn". */
    static int[] referenceLabels(String conn, int i) {
        Npy.Array a = Fixtures.npy("05_metrics/labels_" + conn + "_6x64x64_uint8.npy");
        int[] l = new int[H * W];
        for (int k = 0; k < l.length; k++) {
            l[k] = (int) a.data()[i * H * W + k];
        }
        return l;
    }
}
