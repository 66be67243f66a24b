package dev.aand.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format 1.0/2.0, C order): float32 and uint8 read, float32 written.
 * Used for saved anomaly maps and for the reference fixtures.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** A dense array: shape and values (uint8 data is widened to float). */
    public record Array(long[] shape, float[] data) {
        public int size() {
            return data.length;
        }

        @Override
        public String toString() {
            return "Npy.Array" + Arrays.toString(shape);
        }
    }

    private Npy() {}

    public static Array read(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        for (byte b : MAGIC) {
            if (buf.remaining() == 0 || buf.get() != b) {
                throw new IOException(file + ": not a .npy file (bad magic)");
            }
        }
        int major = buf.get();
        buf.get();
        int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
        if (headerLen < 0 || headerLen > buf.remaining()) {
            throw new IOException(file + ": .npy header length " + headerLen + " exceeds the file (truncated?)");
        }
        byte[] header = new byte[headerLen];
        buf.get(header);
        String h = new String(header, StandardCharsets.ISO_8859_1);
        String descr = match(DESCR, h, file);
        if ("True".equals(match(FORTRAN, h, file))) {
            throw new IOException(file + ": Fortran-ordered arrays are not supported");
        }
        String dims = match(SHAPE, h, file).trim();
        long[] shape = dims.isEmpty()
                ? new long[0]
                : Arrays.stream(dims.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .mapToLong(Long::parseLong).toArray();
        int itemSize = switch (descr) {
            case "<f4" -> 4;
            case "|u1", "<u1" -> 1;
            case "<f8" -> 8;
            default -> throw new IOException(file + ": unsupported dtype " + descr);
        };
        long count = 1;
        try {
            for (long d : shape) {
                if (d < 0) {
                    throw new ArithmeticException();
                }
                count = Math.multiplyExact(count, d);
            }
            if (Math.multiplyExact(count, (long) itemSize) > buf.remaining()) {
                throw new IOException(file + ": shape " + Arrays.toString(shape) + " needs more data than the file"
                        + " holds (truncated?)");
            }
        } catch (ArithmeticException e) {
            throw new IOException(file + ": impossible shape " + Arrays.toString(shape));
        }
        int n = (int) count;
        float[] data = new float[n];
        switch (descr) {
            case "<f4" -> buf.asFloatBuffer().get(data);
            case "|u1", "<u1" -> {
                for (int i = 0; i < n; i++) {
                    data[i] = buf.get() & 0xff;
                }
            }
            case "<f8" -> {
                for (int i = 0; i < n; i++) {
                    data[i] = (float) buf.getDouble();
                }
            }
            default -> throw new IllegalStateException(descr);
        }
        return new Array(shape, data);
    }

    public static void writeFloat32(Path file, long[] shape, float[] data) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String s = shape.length == 1 ? dims.toString().trim() : dims.toString().replaceAll(", $", "");
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + s + "), }";
        int total = MAGIC.length + 4 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + data.length * 4)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        out.asFloatBuffer().put(data);
        Files.write(file, out.array());
    }

    private static String match(Pattern p, String header, Path file) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": malformed .npy header: " + header.trim());
        }
        return m.group(1);
    }
}
