package dev.aand.spark;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import dev.aand.data.DataException;
import dev.aand.data.ImageLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads one image from any file system Hadoop knows (local, HDFS, S3A, ...) and decodes it with the
 * library's checks. Its size is bounded twice before memory is spent on it: the file's bytes, then
 * the pixel count in its header.
 *
 * @param maxBytes the largest file read
 * @param maxPixels the largest width x height decoded
 */
record ImageBytes(long maxBytes, long maxPixels) implements Serializable {
    /** Arrays are indexed by int; leave the JDK's usual head-room below Integer.MAX_VALUE. */
    static final long MAX_FILE = Integer.MAX_VALUE - 8;

    ImageBytes {
        if (maxBytes < 1 || maxBytes > MAX_FILE) {
            throw new IllegalArgumentException("largest image file must be 1.." + MAX_FILE + " bytes, got " + maxBytes);
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("largest image must be at least one pixel, got " + maxPixels);
        }
    }

    /** The image at {@code path}, decoded; a {@link DataException} says why it cannot be. */
    Image read(String path, Configuration conf) {
        byte[] bytes;
        Path p = new Path(path);
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            // readNBytes grows its buffer as data arrives, so a huge file costs at most the limit.
            bytes = in.readNBytes((int) maxBytes + 1);
        } catch (IOException | RuntimeException e) {
            throw new DataException("cannot read " + path + ": " + e.getMessage(), e);
        }
        if (bytes.length > maxBytes) {
            throw new DataException("image file too large: " + path + " is over " + maxBytes + " bytes");
        }
        int[] wh = ImageLoader.dimensions(new ByteArrayInputStream(bytes), path);
        if ((long) wh[0] * wh[1] > maxPixels) {
            throw new DataException("image too large: " + path + " is " + wh[0] + "x" + wh[1]
                    + " pixels (limit " + maxPixels + ")");
        }
        return ImageFactory.getInstance().fromImage(ImageLoader.decode(new ByteArrayInputStream(bytes), path));
    }
}
