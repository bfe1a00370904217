package dev.sameface.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sameface.api.ErrorCode;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Reads the images (or template bytes) of one request, from {@code multipart/form-data} parts or from a JSON object
 * of base64 strings, enforcing the size limits on the declared sizes before a byte is decoded. Nothing is written to
 * disk: multipart parts stay in memory (see {@link SamefaceServer}).
 */
final class RequestImages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Context ctx;
    private final long maxItemBytes;
    private final JsonNode json;

    private RequestImages(Context ctx, long maxItemBytes, JsonNode json) {
        this.ctx = ctx;
        this.maxItemBytes = maxItemBytes;
        this.json = json;
    }

    /** The request's body as multipart or JSON; any other content type is 415. */
    static RequestImages of(Context ctx, long maxItemBytes, boolean multipartAllowed) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        if (multipartAllowed && type.startsWith("multipart/form-data")) {
            return new RequestImages(ctx, maxItemBytes, null);
        }
        if (type.startsWith("application/json")) {
            JsonNode node;
            try {
                node = JSON.readTree(ctx.bodyAsBytes());
            } catch (IOException e) {
                throw new RequestRefused(400, ErrorCode.INPUT_LOCATION_ERROR, "body is not valid JSON: " + firstLine(e.getMessage()));
            }
            if (node == null || !node.isObject()) {
                throw new RequestRefused(400, ErrorCode.INPUT_LOCATION_ERROR, "body must be a JSON object");
            }
            return new RequestImages(ctx, maxItemBytes, node);
        }
        throw new RequestRefused(415, ErrorCode.INPUT_LOCATION_ERROR, "content type '" + (type.isEmpty() ? "none" : type) + "' is not accepted; send "
                + (multipartAllowed ? "multipart/form-data or " : "") + "application/json");
    }

    boolean isJson() {
        return json != null;
    }

    /** One required item: part {@code name}, or base64 field {@code name}. */
    byte[] one(String name) {
        List<byte[]> all = many(name, 1);
        if (all.size() != 1) {
            throw RequestRefused.missing("'" + name + "' must be given once, not " + all.size() + " times");
        }
        return all.getFirst();
    }

    /** One or more items: repeated parts {@code name}, or a JSON array (or single string) of base64 under {@code name}. */
    List<byte[]> many(String name, int max) {
        List<byte[]> out = new ArrayList<>();
        if (json == null) {
            List<UploadedFile> files = parts().getOrDefault(name, List.of());
            if (files.isEmpty()) {
                throw RequestRefused.missing("multipart part '" + name + "' is missing");
            }
            if (files.size() > max) {
                throw new RequestRefused(413, ErrorCode.IMAGE_SIZE_REFUSED, files.size() + " parts '" + name + "', at most " + max + " allowed");
            }
            for (UploadedFile f : files) {
                if (f.size() > maxItemBytes) {
                    throw RequestRefused.tooLarge("part '" + name + "'", f.size(), maxItemBytes);
                }
                if (f.size() == 0) {
                    throw new RequestRefused(400, ErrorCode.IMAGE_DECODE_ERROR, "part '" + name + "' is empty");
                }
                try (InputStream in = f.content()) {
                    out.add(in.readAllBytes());
                } catch (IOException e) {
                    throw new RequestRefused(400, ErrorCode.INPUT_LOCATION_ERROR, "part '" + name + "' could not be read: " + e.getMessage());
                }
            }
            return out;
        }
        JsonNode node = json.get(name);
        if (node == null || node.isNull()) {
            throw RequestRefused.missing("JSON field '" + name + "' is missing");
        }
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        if (items.isEmpty()) {
            throw RequestRefused.missing("JSON field '" + name + "' is an empty array");
        }
        if (items.size() > max) {
            throw new RequestRefused(413, ErrorCode.IMAGE_SIZE_REFUSED, items.size() + " items in '" + name + "', at most " + max + " allowed");
        }
        for (JsonNode item : items) {
            if (!item.isTextual()) {
                throw new RequestRefused(400, ErrorCode.INPUT_LOCATION_ERROR, "JSON field '" + name + "' must hold base64 strings");
            }
            String b64 = stripDataUrl(item.asText());
            long decoded = (long) b64.length() * 3 / 4;
            if (decoded > maxItemBytes) {
                throw RequestRefused.tooLarge("field '" + name + "' (decoded)", decoded, maxItemBytes);
            }
            try {
                out.add(Base64.getMimeDecoder().decode(b64));
            } catch (IllegalArgumentException e) {
                throw new RequestRefused(400, ErrorCode.INPUT_LOCATION_ERROR, "JSON field '" + name + "' is not base64: " + e.getMessage());
            }
        }
        return out;
    }

    /** A boolean option: a query parameter, or a JSON field of the same name. */
    boolean flag(String name) {
        if (json != null && json.has(name)) {
            return json.get(name).asBoolean(false);
        }
        return "true".equalsIgnoreCase(ctx.queryParam(name));
    }

    private Map<String, List<UploadedFile>> parts() {
        try {
            return ctx.uploadedFileMap();
        } catch (Exception e) { // Jetty's ServletException arrives unchecked through Kotlin
            // Jetty's multipart parser enforces the configured totals on streams without a Content-Length.
            String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("exceed") || m.contains("too large") || m.contains("max")) {
                throw new RequestRefused(413, ErrorCode.IMAGE_SIZE_REFUSED, "multipart body over the limit: " + firstLine(e.getMessage()));
            }
            throw new RequestRefused(400, ErrorCode.INPUT_LOCATION_ERROR, "malformed multipart body: " + firstLine(e.getMessage()));
        }
    }

    /** Browsers' FileReader gives {@code data:image/jpeg;base64,...}; accept it as the plain base64 it ends with. */
    private static String stripDataUrl(String s) {
        if (s.startsWith("data:")) {
            int comma = s.indexOf(',');
            return comma < 0 ? s : s.substring(comma + 1);
        }
        return s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
