package dev.sameface.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real HTTP client against a real server on loopback. */
record Http(HttpClient client, String base) {
    static final ObjectMapper JSON = new ObjectMapper();

    static Http to(SamefaceServer server) {
        return new Http(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build(),
                "http://127.0.0.1:" + server.port());
    }

    record Answer(int status, HttpResponse<byte[]> raw) {
        String text() {
            return new String(raw.body(), java.nio.charset.StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + text(), e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** The ErrorCode (or service state) of an error answer. */
        String code() {
            return json().path("error").path("code").asText(null);
        }
    }

    Answer get(String path, String... headers) {
        var b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    Answer multipart(String path, List<Map.Entry<String, byte[]>> parts) {
        Multipart m = Multipart.of(parts);
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", m.contentType()).POST(m.publisher()).build());
    }

    Answer json(String path, Object body) {
        try {
            return raw(path, "application/json", JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    Answer raw(String path, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /**
     * {@link #raw} announced with {@code Expect: 100-continue}, as a client sending a large body should: the server
     * answers 413 from the Content-Length before a byte of the body is sent. Sent without it, a body over the limit
     * races the server's close (it refuses without reading), and the client may see the connection reset instead of
     * the 413.
     */
    Answer rawAnnounced(String path, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    Answer send(HttpRequest r) {
        try {
            HttpResponse<byte[]> resp = client.send(r, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(resp.statusCode(), resp);
        } catch (IOException e) {
            throw new AssertionError("request failed: " + r.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
