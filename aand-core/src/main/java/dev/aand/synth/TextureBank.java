package dev.aand.synth;

import dev.aand.data.ImageLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Texture images for anomaly synthesis, decoded once and resized to size x size (bilinear), kept
 * as CHW RGB floats in [0, 255]. Immutable and safe to share between threads.
 */
public final class TextureBank {
    /** Classpath folder of the CC0 textures shipped in the jar, with its index file. */
    static final String DEFAULT_FOLDER = "/dev/aand/synth/textures/";
    static final String DEFAULT_INDEX = DEFAULT_FOLDER + "textures.txt";

    private final int size;
    private final List<String> names;
    private final List<float[]> textures;

    private TextureBank(int size, List<String> names, List<float[]> textures) {
        this.size = size;
        this.names = List.copyOf(names);
        this.textures = List.copyOf(textures);
    }

    /**
     * Loads every .png/.jpg/.jpeg directly inside {@code dir} (sorted by name, so the bank and
     * therefore synthesis are reproducible).
     *
     * @throws IllegalArgumentException if the folder is missing or holds no such image
     * @throws dev.aand.data.DataException naming the file that cannot be decoded
     */
    public static TextureBank fromFolder(Path dir, int size) {
        checkSize(size);
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("texture folder not found: "
                    + (dir == null ? "null" : dir.toAbsolutePath()));
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(TextureBank::isImage).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list texture folder " + dir.toAbsolutePath(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("texture folder " + dir.toAbsolutePath()
                    + " holds no .png/.jpg/.jpeg images");
        }
        List<String> names = new ArrayList<>();
        List<float[]> textures = new ArrayList<>();
        for (Path f : files) {
            textures.add(resized(ImageLoader.read(f.toAbsolutePath()), size));
            names.add(f.getFileName().toString());
        }
        return new TextureBank(size, names, textures);
    }

    /** The CC0 textures shipped inside the jar (listed in {@code textures.txt}). */
    public static TextureBank defaults(int size) {
        checkSize(size);
        List<String> names = new ArrayList<>();
        try (InputStream idx = TextureBank.class.getResourceAsStream(DEFAULT_INDEX)) {
            if (idx == null) {
                throw new IllegalStateException("default textures missing from the classpath: "
                        + DEFAULT_INDEX);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(idx, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.trim();
                if (!line.isEmpty() && !line.startsWith("#")) names.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULT_INDEX, e);
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("default texture index " + DEFAULT_INDEX + " is empty");
        }
        List<float[]> textures = new ArrayList<>();
        for (String name : names) {
            String res = DEFAULT_FOLDER + name;
            try (InputStream in = TextureBank.class.getResourceAsStream(res)) {
                if (in == null) {
                    throw new IllegalStateException("default texture listed in " + DEFAULT_INDEX
                            + " is missing: " + res);
                }
                textures.add(resized(ImageLoader.read(in, res), size));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read default texture " + res, e);
            }
        }
        return new TextureBank(size, names, textures);
    }

    /** Wraps textures already decoded as CHW RGB float[3*size*size] (tests, custom sources). */
    public static TextureBank of(int size, List<String> names, List<float[]> textures) {
        checkSize(size);
        if (textures.isEmpty() || names.size() != textures.size()) {
            throw new IllegalArgumentException("texture bank needs at least one texture and one name"
                    + " per texture, got " + textures.size() + " textures and " + names.size() + " names");
        }
        for (int i = 0; i < textures.size(); i++) {
            if (textures.get(i).length != 3 * size * size) {
                throw new IllegalArgumentException("texture " + names.get(i) + " has "
                        + textures.get(i).length + " values, expected 3*" + size + "*" + size);
            }
        }
        return new TextureBank(size, names, textures.stream().map(float[]::clone).toList());
    }

    /** Side length of every texture. */
    public int size() {
        return size;
    }

    /** Number of textures. */
    public int count() {
        return textures.size();
    }

    /** File names, in bank order. */
    public List<String> names() {
        return names;
    }

    /** Texture {@code i} as CHW RGB float[3*size*size]; shared, do not modify. */
    public float[] texture(int i) {
        return textures.get(i);
    }

    /** A uniformly chosen texture (shared, do not modify). */
    public float[] random(SplittableRandom rng) {
        return textures.get(rng.nextInt(textures.size()));
    }

    private static float[] resized(ImageLoader.Decoded d, int size) {
        if (d.height() == size && d.width() == size) return d.rgb();
        return ImageSampling.resize(d.rgb(), 3, d.height(), d.width(), size, size);
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    private static void checkSize(int size) {
        if (size <= 0) throw new IllegalArgumentException("texture size must be positive, got " + size);
    }
}
