package dev.sameface.server;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the HTTP service runs; everything about the pipeline itself is the pipeline configuration's.
 *
 * @param host            interface to listen on (loopback by default: biometric data should not leave the host by accident)
 * @param port            TCP port; 0 picks a free one (tests)
 * @param pipelines       pool size: pipelines that run at once, each on its own single thread; 0 serves only {@code /v1/match}
 * @param queueCapacity   requests that may wait for a pipeline; one more is refused with 503 and Retry-After
 * @param requestTimeout  longest a request may wait for and use a pipeline before it is answered 503
 * @param maxBodyBytes    request body limit, checked against Content-Length before anything is read (413)
 * @param maxImageBytes   limit for one image (a multipart part or a base64 field), checked before decoding (413)
 * @param maxImages       most images one {@code /v1/templates} request may carry
 * @param bearerToken     when present, {@code /v1/*} and {@code /metrics} require {@code Authorization: Bearer <token>}
 * @param corsOrigins     origins allowed to call the API from a browser; empty (the default) turns CORS off
 * @param logTemplates    log each enrolled template (base64) at INFO: off unless a deployment asks for it
 */
public record ServerSettings(String host, int port, int pipelines, int queueCapacity, Duration requestTimeout,
                             long maxBodyBytes, long maxImageBytes, int maxImages, Optional<String> bearerToken,
                             List<String> corsOrigins, boolean logTemplates) {
    public static final long DEFAULT_MAX_IMAGE_BYTES = 8L << 20;

    public ServerSettings {
        corsOrigins = List.copyOf(corsOrigins);
        if (pipelines < 0 || queueCapacity < 0 || maxImages < 1 || maxImageBytes < 1 || maxBodyBytes < maxImageBytes) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "server settings out of range: pipelines " + pipelines + ", queue "
                    + queueCapacity + ", max images " + maxImages + ", image limit " + maxImageBytes + " B, body limit " + maxBodyBytes
                    + " B (the body limit must hold at least one image)");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "request timeout must be positive, not " + requestTimeout);
        }
    }

    /** N pipelines (default: the cores), a queue of 4 per pipeline, 30 s timeout, 8 MiB an image, 5 images a request. */
    public static ServerSettings defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new ServerSettings("127.0.0.1", 8080, cores, 4 * cores, Duration.ofSeconds(30), DEFAULT_MAX_IMAGE_BYTES,
                DEFAULT_MAX_IMAGE_BYTES, 5, Optional.empty(), List.of(), false).withImageLimit(DEFAULT_MAX_IMAGE_BYTES);
    }

    public ServerSettings withPort(int p) {
        return new ServerSettings(host, p, pipelines, queueCapacity, requestTimeout, maxBodyBytes, maxImageBytes, maxImages, bearerToken, corsOrigins, logTemplates);
    }

    /** N pipelines with the default queue of 4 per pipeline. */
    public ServerSettings withPipelines(int n) {
        return new ServerSettings(host, port, n, 4 * n, requestTimeout, maxBodyBytes, maxImageBytes, maxImages, bearerToken, corsOrigins, logTemplates);
    }

    public ServerSettings withQueue(int q) {
        return new ServerSettings(host, port, pipelines, q, requestTimeout, maxBodyBytes, maxImageBytes, maxImages, bearerToken, corsOrigins, logTemplates);
    }

    public ServerSettings withTimeout(Duration t) {
        return new ServerSettings(host, port, pipelines, queueCapacity, t, maxBodyBytes, maxImageBytes, maxImages, bearerToken, corsOrigins, logTemplates);
    }

    /** Image limit, and a body limit that holds the most images a request may carry plus room for the JSON around them. */
    public ServerSettings withImageLimit(long bytes) {
        long body = Math.max(2, maxImages) * bytes * 4 / 3 + (64 << 10);
        return new ServerSettings(host, port, pipelines, queueCapacity, requestTimeout, body, bytes, maxImages, bearerToken, corsOrigins, logTemplates);
    }

    public ServerSettings withToken(String token) {
        return new ServerSettings(host, port, pipelines, queueCapacity, requestTimeout, maxBodyBytes, maxImageBytes, maxImages, Optional.of(token), corsOrigins, logTemplates);
    }

    public ServerSettings withCors(List<String> origins) {
        return new ServerSettings(host, port, pipelines, queueCapacity, requestTimeout, maxBodyBytes, maxImageBytes, maxImages, bearerToken, origins, logTemplates);
    }

    public ServerSettings withHost(String h) {
        return new ServerSettings(h, port, pipelines, queueCapacity, requestTimeout, maxBodyBytes, maxImageBytes, maxImages, bearerToken, corsOrigins, logTemplates);
    }

    public ServerSettings withTemplateLogging(boolean on) {
        return new ServerSettings(host, port, pipelines, queueCapacity, requestTimeout, maxBodyBytes, maxImageBytes, maxImages, bearerToken, corsOrigins, on);
    }
}
