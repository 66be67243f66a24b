package dev.aand.serve;

import dev.aand.data.DataException;
import dev.aand.data.ImageLoader;
import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The images of a predict request: the raw body (one image) or the file parts of a
 * {@code multipart/form-data} body (several). Sizes are bounded before anything is buffered;
 * Jetty parses the multipart body. Decoding goes through {@link ImageLoader}, like files do.
 */
final class ImageUploads {
    static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/bmp", "image/tiff");
    private static final String MULTIPART = "multipart/form-data";
    /** Jetty's request attribute for the multipart limits of one request. */
    private static final String MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";

    /** One uploaded image's bytes; {@code part} and {@code filename} are null for a raw body. */
    record Upload(String part, String filename, byte[] bytes) {
        String label() {
            if (part == null) {
                return "request body";
            }
            return "part '" + part + "'" + (filename == null || filename.isEmpty() ? "" : " (" + filename + ")");
        }
    }

    private ImageUploads() {}

    /** The request's media type (lower case, no parameters) or null. */
    static String mediaType(Context ctx) {
        String ct = ctx.contentType();
        if (ct == null || ct.isBlank()) {
            return null;
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    static boolean isMultipart(String mediaType) {
        return MULTIPART.equals(mediaType);
    }

    /** Refuses anything but an image type or multipart with 415, naming what was sent. */
    static void requireSupported(String mediaType) {
        if (mediaType == null) {
            throw new ApiError(415, "unsupported_media_type", "missing Content-Type: send one image as "
                    + String.join(", ", sorted()) + ", or several as " + MULTIPART);
        }
        if (!IMAGE_TYPES.contains(mediaType) && !isMultipart(mediaType)) {
            throw new ApiError(415, "unsupported_media_type", "Content-Type " + mediaType
                    + " is not accepted: send one image as " + String.join(", ", sorted()) + ", or several as "
                    + MULTIPART);
        }
    }

    /** Refuses a body whose declared length is over the limit, before any of it is read. */
    static void requireDeclaredLength(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes, "request body of " + declared + " bytes");
        }
    }

    /** The raw body, read up to {@code maxBytes} (chunked bodies included). */
    static Upload raw(Context ctx, long maxBytes) {
        requireDeclaredLength(ctx, maxBytes);
        byte[] body;
        try (InputStream in = ctx.bodyInputStream()) {
            body = readAtMost(in, maxBytes);
        } catch (IOException e) {
            throw new ApiError(400, "bad_request", "could not read the request body: " + e.getMessage());
        }
        if (body == null) {
            throw tooLarge(maxBytes, "request body");
        }
        if (body.length == 0) {
            throw new ApiError(400, "empty_body", "the request body is empty; send an image");
        }
        return new Upload(null, null, body);
    }

    /** The file parts of a multipart body, each an image; at least one, at most {@code maxImages}. */
    static List<Upload> multipart(Context ctx, long maxBytes, int maxImages) {
        requireDeclaredLength(ctx, maxBytes);
        int inMemory = (int) maxBytes; // never spill uploads to disk: the whole body is bounded anyway
        ctx.req().setAttribute(MULTIPART_CONFIG, new MultipartConfigElement(
                System.getProperty("java.io.tmpdir"), maxBytes, maxBytes, inMemory));
        Collection<Part> parts;
        try {
            parts = ctx.req().getParts();
        } catch (IllegalStateException e) {
            // Jetty: "Request exceeds maxRequestSize", "... exceeds max filesize", "Form with too many parts".
            throw new ApiError(413, "payload_too_large", "multipart body refused: " + e.getMessage()
                    + " (limit " + maxBytes + " bytes)");
        } catch (IOException | ServletException | RuntimeException e) {
            throw new ApiError(400, "bad_multipart", "malformed multipart/form-data body: " + e.getMessage());
        }
        if (parts.isEmpty()) {
            throw new ApiError(400, "no_images", "the multipart body has no parts; send images as file parts");
        }
        if (parts.size() > maxImages) {
            throw new ApiError(413, "too_many_images", parts.size() + " parts in one request; at most " + maxImages
                    + " (the --queue size)");
        }
        List<Upload> out = new ArrayList<>(parts.size());
        for (Part p : parts) {
            String type = p.getContentType() == null ? null : p.getContentType().split(";")[0].trim()
                    .toLowerCase(Locale.ROOT);
            String label = "part '" + p.getName() + "'";
            if (type == null) {
                throw new ApiError(415, "unsupported_media_type", label
                        + " has no Content-Type (a form field?); send each image as a file part");
            }
            if (!IMAGE_TYPES.contains(type) && !"application/octet-stream".equals(type)) {
                throw new ApiError(415, "unsupported_media_type", label + " is " + type + "; accepted: "
                        + String.join(", ", sorted()) + " (or application/octet-stream)");
            }
            try (InputStream in = p.getInputStream()) {
                byte[] bytes = in.readAllBytes(); // Jetty already bounded every part by maxBytes
                if (bytes.length == 0) {
                    throw new ApiError(400, "empty_body", label + " is empty");
                }
                out.add(new Upload(p.getName(), p.getSubmittedFileName(), bytes));
            } catch (IOException e) {
                throw new ApiError(400, "bad_multipart", "could not read " + label + ": " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * Decodes one upload. The header's width and height are checked against {@code maxPixels}
     * before any pixel memory is allocated.
     *
     * @throws ApiError 422 for an image over the budget or one that does not decode
     */
    static BufferedImage decode(Upload u, long maxPixels) {
        try {
            int[] wh = ImageLoader.dimensions(new ByteArrayInputStream(u.bytes()), u.label());
            long pixels = (long) wh[0] * wh[1];
            if (pixels > maxPixels) {
                throw new ApiError(422, "image_too_large", u.label() + " is " + wh[0] + "x" + wh[1] + " = " + pixels
                        + " pixels, over the limit of " + maxPixels + " (--max-pixels)");
            }
            return ImageLoader.decode(new ByteArrayInputStream(u.bytes()), u.label());
        } catch (DataException e) {
            throw new ApiError(422, "undecodable_image", e.getMessage());
        }
    }

    /** The whole stream if it has at most {@code max} bytes, else null. */
    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > max) {
                return null;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static ApiError tooLarge(long maxBytes, String what) {
        return new ApiError(413, "payload_too_large", what + " is over the limit of " + maxBytes
                + " bytes (--max-body-bytes)");
    }

    private static List<String> sorted() {
        return IMAGE_TYPES.stream().sorted().toList();
    }
}
