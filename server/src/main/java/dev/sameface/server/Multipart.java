package dev.sameface.server;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * A {@code multipart/form-data} body for the JDK's HttpClient, which has none: the load client and the tests post
 * images the way a browser form does.
 */
public record Multipart(String boundary, byte[] body) {
    /** One file part per entry, in order; a name may repeat through {@link #of(java.util.List)}. */
    public static Multipart of(Map<String, byte[]> parts) {
        return of(parts.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList());
    }

    public static Multipart of(java.util.List<Map.Entry<String, byte[]>> parts) {
        String boundary = "sameface-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (var p : parts) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.getKey() + "\"; filename=\"" + p.getKey()
                    + ".jpg\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(p.getValue());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return new Multipart(boundary, out.toByteArray());
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public HttpRequest.BodyPublisher publisher() {
        return HttpRequest.BodyPublishers.ofByteArray(body);
    }
}
