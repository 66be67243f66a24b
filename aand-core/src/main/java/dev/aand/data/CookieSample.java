package dev.aand.data;

import dev.aand.io.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cookie sample shipped inside the library (77 downsized photos in MVTec layout, CC BY-SA 4.0,
 * see {@code ATTRIBUTION.txt}): the demo trains on it and the tests use it, so neither needs any
 * data beside the project.
 */
public final class CookieSample {
    private static final String ROOT = "/dev/aand/demo/";
    /** The category folder name inside the extracted root. */
    public static final String CATEGORY = "cookie";

    private CookieSample() {}

    /**
     * Copies the sample to {@code dir/cookie} and returns {@code dir} (an MVTec root). Files an
     * earlier extraction wrote are reused; a different file of the same name is never replaced.
     */
    public static Path extract(Path dir) throws IOException {
        String index;
        try (InputStream in = CookieSample.class.getResourceAsStream(ROOT + "cookie-files.txt")) {
            if (in == null) {
                throw new IOException("the cookie sample is missing from this build");
            }
            index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String name : (index + "\nLICENSE\nATTRIBUTION.txt").split("\n")) {
            if (name.isBlank()) {
                continue;
            }
            Path target = dir.resolve(CATEGORY).resolve(name.trim());
            Files.createDirectories(target.getParent());
            byte[] bytes;
            try (InputStream in = CookieSample.class.getResourceAsStream(ROOT + "cookie/" + name.trim())) {
                if (in == null) {
                    throw new IOException("cookie sample file missing from this build: " + name);
                }
                bytes = in.readAllBytes();
            }
            if (Files.exists(target)) {
                // An earlier extraction is reused; a different file of the same name is the user's.
                if (!Files.isRegularFile(target) || !java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
                    throw new IOException(target + " already exists and is not the shipped sample file;"
                            + " refusing to overwrite it (choose another folder)");
                }
                continue;
            }
            AtomicFile.write(target, bytes);
        }
        return dir;
    }
}
