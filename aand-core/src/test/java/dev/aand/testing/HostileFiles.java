package dev.aand.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Hostile but well-formed inputs for the safety tests: files that are small on disk and declare or
 * inflate to something huge. Built in milliseconds: compressed zeros are a repeated deflate block.
 */
public final class HostileFiles {
    private static final int CHUNK = 1 << 20;

    private HostileFiles() {}

    /**
     * Raw deflate data (no zlib header) that inflates to {@code n} zero bytes. After the first
     * chunk the compressor's window is all zeros, so one sync-flushed chunk can be repeated.
     */
    public static byte[] deflatedZeros(long n) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[CHUNK];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long left = n;
        byte[] steady = null;
        boolean first = true;
        while (left > 0) {
            int len = (int) Math.min(CHUNK, left);
            if (!first && len == CHUNK && steady != null) {
                out.writeBytes(steady);
            } else {
                byte[] c = flush(d, zeros, len, Deflater.SYNC_FLUSH);
                if (!first && len == CHUNK) {
                    steady = c;
                }
                out.writeBytes(c);
            }
            first = false;
            left -= len;
        }
        out.writeBytes(flush(d, zeros, 0, Deflater.FULL_FLUSH));
        d.finish();
        byte[] buf = new byte[64];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    private static byte[] flush(Deflater d, byte[] input, int len, int mode) {
        d.setInput(input, 0, len);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        do {
            n = d.deflate(buf, 0, buf.length, mode);
            out.write(buf, 0, n);
        } while (n == buf.length || !d.needsInput());
        return out.toByteArray();
    }

    /**
     * A valid 1-bit grayscale PNG of {@code width x height} black pixels; 40000x40000 takes about
     * 200 KB on disk and 1.6 G pixels once decoded.
     */
    public static Path png(Path file, int width, int height) {
        long rowBytes = 1 + (width + 7L) / 8;
        long raw = rowBytes * height; // filter byte 0 and black pixels: all zeros
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        idat.write(0x78);
        idat.write(0xDA);
        idat.writeBytes(deflatedZeros(raw));
        long adler = (raw % 65521) << 16 | 1; // Adler-32 of zeros: a = 1, b = n mod 65521
        idat.writeBytes(ByteBuffer.allocate(4).putInt((int) adler).array());
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 1).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return write(file, png.toByteArray());
    }

    /** A PNG that is only a header (8-bit RGB IHDR of the given size) and an end: cheap to send, huge to decode. */
    public static byte[] pngHeader(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * A zip archive whose {@code stored} entries are plain and whose entry {@code bomb} is deflated
     * data of {@code inflated} zero bytes that declares only {@code declared} bytes, as a crafted
     * .pth would.
     */
    public static Path zipBomb(Path file, Map<String, byte[]> stored, String bomb, long declared, long inflated) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        int count = 0;
        for (Map.Entry<String, byte[]> e : stored.entrySet()) {
            CRC32 crc = new CRC32();
            crc.update(e.getValue());
            entry(out, central, e.getKey(), 0, crc.getValue(), e.getValue(), e.getValue().length);
            count++;
        }
        entry(out, central, bomb, 8, 0, deflatedZeros(inflated), declared);
        count++;
        int cdOffset = out.size();
        out.writeBytes(central.toByteArray());
        ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) count)
                .putShort((short) count).putInt(central.size()).putInt(cdOffset).putShort((short) 0);
        out.writeBytes(end.array());
        return write(file, out.toByteArray());
    }

    private static void entry(ByteArrayOutputStream out, ByteArrayOutputStream central, String name, int method,
            long crc, byte[] data, long size) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int offset = out.size();
        ByteBuffer local = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        local.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) method)
                .putShort((short) 0).putShort((short) 0x21).putInt((int) crc).putInt(data.length).putInt((int) size)
                .putShort((short) n.length).putShort((short) 0);
        out.writeBytes(local.array());
        out.writeBytes(n);
        out.writeBytes(data);
        ByteBuffer cd = ByteBuffer.allocate(46).order(ByteOrder.LITTLE_ENDIAN);
        cd.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) method)
                .putShort((short) 0).putShort((short) 0x21).putInt((int) crc).putInt(data.length).putInt((int) size)
                .putShort((short) n.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putInt(0).putInt(offset);
        central.writeBytes(cd.array());
        central.writeBytes(n);
    }

    private static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
