package dev.sameface.cli;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.server.SamefaceServer;
import dev.sameface.server.ServerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", description = {"Serve verification over HTTP: the JSON API under /v1, /health, /metrics, /openapi.yaml and a web page at /.",
        "A fixed pool of pipelines, each single-threaded and used by one request at a time; a bounded wait queue, beyond it 503 with Retry-After.",
        "No image or template is stored or logged. Stops on Ctrl-C (SIGTERM), closing every pipeline. See docs/server.md."})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--port", paramLabel = "N", description = "TCP port (default: ${DEFAULT-VALUE}).", defaultValue = "8080")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Interface to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface).",
            defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--pipelines", paramLabel = "N", description = "Pipelines in the pool (default: the number of cores). 0 serves /v1/match alone, loading no model.")
    Integer pipelines;

    @Option(names = "--queue", paramLabel = "N", description = "Requests that may wait for a pipeline (default: 4 per pipeline).")
    Integer queue;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "Longest a request may wait for and use a pipeline (default: ${DEFAULT-VALUE}).", defaultValue = "30000")
    long timeoutMs;

    @Option(names = "--max-image-bytes", paramLabel = "BYTES", description = "Largest image accepted, refused with 413 before decoding (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + ServerSettings.DEFAULT_MAX_IMAGE_BYTES)
    long maxImageBytes;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Require 'Authorization: Bearer <token>' on /v1 and /metrics, the token read from FILE.")
    Path tokenFile;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN", description = "Allow browser calls from this origin (repeatable). CORS is off without it.")
    List<String> corsOrigins = new ArrayList<>();

    @Option(names = "--log-templates", description = "Log every template the server makes (base64) at INFO. Off by default: templates are biometric data.")
    boolean logTemplates;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        ServerSettings s = ServerSettings.defaults().withHost(host).withPort(port).withImageLimit(maxImageBytes).withTimeout(Duration.ofMillis(timeoutMs))
                .withCors(corsOrigins).withTemplateLogging(logTemplates);
        if (pipelines != null) {
            s = s.withPipelines(pipelines);
        }
        if (queue != null) {
            s = s.withQueue(queue);
        }
        if (tokenFile != null) {
            s = s.withToken(token(tokenFile));
        }
        var out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        SamefaceServer server = SamefaceServer.start(pipeline.resolve(), s);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "sameface-shutdown"));
        out.printf("sameface: serving on http://%s:%d/ (API under /v1, /health, /metrics, /openapi.yaml); loading %d pipeline(s)...%n",
                host, server.port(), s.pipelines());
        if (server.pool().awaitLoaded(Duration.ofMinutes(10))) {
            out.printf("sameface: ready: %s%n", server.pool().description().orElse("match only, no model loaded"));
        } else {
            server.pool().failure().ifPresent(f -> out.printf("sameface: pipelines failed to load (%s): %s; /health says so, /v1/match still serves%n",
                    f.code(), f.getMessage()));
        }
        stopped.await();
        return 0;
    }

    private static String token(Path file) {
        try {
            String t = Files.readString(file).strip();
            if (t.isEmpty()) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, file + ": the token file is empty");
            }
            return t;
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, file + ": cannot read the token file: " + e.getMessage(), e);
        }
    }
}
