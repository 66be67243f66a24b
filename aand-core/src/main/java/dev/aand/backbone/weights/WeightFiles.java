package dev.aand.backbone.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;

/**
 * Loads a weight file whatever its format, deciding by content rather than by extension (users
 * rename files freely): torch zip checkpoints and safetensors are read; everything else is
 * rejected with a message that says what the file looks like and what to do about it.
 */
public final class WeightFiles {

    /** The formats {@link #detect} can tell apart. */
    public enum Format { TORCH_ZIP, SAFETENSORS }

    /** Bytes torch wrote in front of pre-1.6 checkpoints: PROTO 2, LONG1 of 0x1950a86a20f9469cfc6c. */
    private static final byte[] LEGACY_TORCH_MAGIC = {
        (byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20,
        0x6a, (byte) 0xa8, 0x50, 0x19
    };

    private static final int PROBE = 64;

    private WeightFiles() {}

    /** All tensors of a torch zip checkpoint or safetensors file, in the file's order. */
    public static LinkedHashMap<String, HostTensor> read(Path file) {
        return switch (detect(file)) {
            case TORCH_ZIP -> TorchCheckpointReader.read(file);
            case SAFETENSORS -> SafetensorsReader.read(file);
        };
    }

    /** Identifies the format from the first bytes, or explains why the file is not a weight file. */
    public static Format detect(Path file) {
        byte[] head;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            head = in.readNBytes(PROBE);
        } catch (NoSuchFileException e) {
            throw new WeightFormatException(file + ": weight file does not exist");
        } catch (IOException e) {
            throw new WeightFormatException(file + ": cannot read: " + e, e);
        }
        if (head.length == 0) {
            throw new WeightFormatException(file + ": file is empty");
        }
        if (startsWith(head, new byte[] {'P', 'K', 3, 4}) || startsWith(head, new byte[] {'P', 'K', 5, 6})) {
            return Format.TORCH_ZIP;
        }
        if (startsWith(head, LEGACY_TORCH_MAGIC)) {
            throw new WeightFormatException(file + ": pre-1.6 torch format, re-save with"
                    + " torch.save(..., _use_new_zipfile_serialization=True)");
        }
        if ((head[0] & 0xff) == 0x80 && head.length > 1 && head[1] >= 2 && head[1] <= 5) {
            throw new WeightFormatException(file + ": a plain Python pickle, not a torch.save checkpoint;"
                    + " save the state_dict with torch.save or as safetensors");
        }
        if (head.length >= 9 && head[8] == '{') {
            long headerLen = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLen > 0 && headerLen <= size - 8) {
                return Format.SAFETENSORS;
            }
            throw new WeightFormatException(file + ": looks like safetensors but its header length " + headerLen
                    + " exceeds the file size " + size + " (truncated file?)");
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (text.startsWith("version https://git-lfs")) {
            throw new WeightFormatException(file + ": is a Git LFS pointer, not the weights; fetch them with"
                    + " 'git lfs pull'");
        }
        if (isText(head)) {
            throw new WeightFormatException(file + ": is a text file (starts with \"" + firstLine(text)
                    + "\"), not a weight file; expected a torch.save checkpoint (.pt/.pth) or .safetensors");
        }
        throw new WeightFormatException(file + ": unrecognised format (first bytes " + hex(head)
                + "); expected a torch.save zip checkpoint (.pt/.pth) or .safetensors");
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }

    private static boolean isText(byte[] head) {
        for (byte b : head) {
            int c = b & 0xff;
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                return false;
            }
            if (c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("").strip();
        return line.length() > 40 ? line.substring(0, 40) + "..." : line;
    }

    private static String hex(byte[] head) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, head.length); i++) {
            sb.append(String.format("%02x", head[i] & 0xff));
            if (i < Math.min(8, head.length) - 1) {
                sb.append(' ');
            }
        }
        return sb.toString();
    }
}
