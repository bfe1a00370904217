package dev.sameface.server;

import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.pipeline.testing.NativeThreads;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/** The pool under concurrent requests: the single-thread rule, 503 beyond the queue, timeouts, no leaked pipeline. */
class PoolConcurrencyTest {
    private static final byte[] A = ImageDecoder.read(TestData.lfw("George_W_Bush", 1));
    private static final byte[] B = ImageDecoder.read(TestData.lfw("George_W_Bush", 2));

    private static SamefaceServer started(ServerSettings settings) throws InterruptedException {
        SamefaceServer s = SamefaceServer.start(TestData.defaultConfig(), settings.withPort(0));
        assertThat(s.pool().awaitLoaded(Duration.ofMinutes(2))).as("pipelines loaded: %s", s.pool().failure()).isTrue();
        return s;
    }

    /** Fires {@code count} verifications at once from {@code count} client threads; their answers. */
    private static List<Http.Answer> burst(Http http, int count) throws Exception {
        try (ExecutorService clients = Executors.newFixedThreadPool(count, Thread.ofPlatform().name("test-client-", 0).factory())) {
            List<Future<Http.Answer>> fs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                fs.add(clients.submit(() -> http.multipart("/v1/verify", List.of(entry("a", A), entry("b", B)))));
            }
            List<Http.Answer> out = new ArrayList<>();
            for (var f : fs) {
                out.add(f.get());
            }
            return out;
        }
    }

    @Test
    void inferenceThreadsAreExactlyOnePerPipelineUnderConcurrentLoad() throws Exception {
        int n = 2;
        // Another test's pool joined its workers on close, but the kernel can list a joined thread for a moment
        // after: counted in "before" and then gone, it would hide one of this pool's threads. Let them go first.
        long settle = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (NativeThreads.names().stream().anyMatch(s -> s.startsWith("sameface-pipeli")) && System.nanoTime() < settle) {
            Thread.sleep(10);
        }
        List<String> before = NativeThreads.names();
        try (SamefaceServer server = started(ServerSettings.defaults().withPipelines(n))) {
            Http http = Http.to(server);
            AtomicInteger peakPipelineThreads = new AtomicInteger();
            AtomicInteger peakHttpThreads = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            // Threads a native engine starts inherit the name of the thread that started them, so counting the
            // workers' name counts every thread inference uses.
            Thread sampler = Thread.ofPlatform().name("test-sampler").start(() -> {
                while (running.get()) {
                    List<String> names = NativeThreads.added(before, NativeThreads.names());
                    peakPipelineThreads.accumulateAndGet((int) names.stream().filter(s -> s.startsWith("sameface-pipeli")).count(), Math::max);
                    peakHttpThreads.accumulateAndGet((int) names.stream().filter(s -> s.startsWith("sameface-http")).count(), Math::max);
                    Thread.onSpinWait();
                }
            });
            List<Http.Answer> answers = burst(http, 3 * n);
            answers.addAll(burst(http, 3 * n));
            running.set(false);
            sampler.join();
            assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.text()).isEqualTo(200));
            List<String> added = NativeThreads.added(before, NativeThreads.names());
            assertThat(peakPipelineThreads.get()).as("threads of the pipelines (n x 1 thread each); added: %s", added).isEqualTo(n);
            assertThat(peakHttpThreads.get()).as("the server's own request threads").isLessThanOrEqualTo(SamefaceServer.HTTP_THREADS);
            // Everything else the server added: Jetty's scheduler and the JDK's own helpers, a handful, never per request.
            List<String> other = added.stream().filter(s -> !s.startsWith("sameface-") && !s.startsWith("test-") && !s.contains("CompilerThre")
                    && !s.startsWith("HttpClient")).toList();
            assertThat(other).as("threads neither pipeline, server nor test: %s", other).hasSizeLessThanOrEqualTo(4);
        }
    }

    @Test
    void beyondTheQueueTheAnswerIs503WithRetryAfterAndNothingLeaks() throws Exception {
        try (SamefaceServer server = started(ServerSettings.defaults().withPipelines(1).withQueue(1))) {
            Http http = Http.to(server);
            List<Http.Answer> answers = burst(http, 8);
            assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.text()).isIn(200, 503));
            List<Http.Answer> refused = answers.stream().filter(a -> a.status() == 503).toList();
            assertThat(answers.size() - refused.size()).as("one running plus one waiting are served").isGreaterThanOrEqualTo(2);
            assertThat(refused).isNotEmpty().allSatisfy(a -> {
                assertThat(a.header("Retry-After")).isEqualTo("1");
                assertThat(a.code()).isEqualTo("OVERLOADED");
            });
            assertThat(server.pool().idle()).isEqualTo(1);
            assertThat(http.get("/metrics").text()).containsPattern("sameface_errors_total\\{code=\"OVERLOADED\"} [1-9]");
        }
    }

    @Test
    void aRequestThatWaitsPastItsTimeoutIs503AndThePipelineReturnsToThePool() throws Exception {
        try (SamefaceServer server = started(ServerSettings.defaults().withPipelines(1).withQueue(8).withTimeout(Duration.ofMillis(30)))) {
            Http http = Http.to(server);
            List<Http.Answer> answers = burst(http, 6);
            assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.text()).isIn(200, 503));
            assertThat(answers).anySatisfy(a -> assertThat(a.code()).isEqualTo("TIMEOUT"));
            // The running request finishes on its own; skipped ones never start. Then the pool is whole again.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((server.pool().idle() != 1 || server.pool().queued() != 0) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.pool().idle()).isEqualTo(1);
            assertThat(server.pool().queued()).isZero();
        }
    }

    @Test
    void withoutPipelinesOnlyMatchIsServedAndATokenGuardsTheApi() throws Exception {
        // Templates made by a full server, compared by one that loads no model at all.
        String ta, tb;
        try (SamefaceServer full = started(ServerSettings.defaults().withPipelines(1))) {
            Http http = Http.to(full);
            ta = http.multipart("/v1/templates", List.of(entry("images", A))).json().path("template").asText();
            tb = http.multipart("/v1/templates", List.of(entry("images", B))).json().path("template").asText();
        }
        ServerSettings matchOnly = ServerSettings.defaults().withPipelines(0).withToken("s3cret").withCors(List.of("https://app.example"));
        try (SamefaceServer server = started(matchOnly)) {
            Http http = Http.to(server);
            assertThat(http.get("/health").status()).isEqualTo(200);
            var noToken = http.json("/v1/match", Map.of("a", ta, "b", tb));
            assertThat(noToken.status()).isEqualTo(401);
            assertThat(noToken.code()).isEqualTo("UNAUTHORIZED");
            assertThat(http.get("/metrics").status()).isEqualTo(401);
            var wrong = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.base() + "/v1/pipeline"))
                    .header("Authorization", "Bearer s3cret-not").GET().build());
            assertThat(wrong.status()).isEqualTo(401);

            var m = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.base() + "/v1/match"))
                    .header("Authorization", "Bearer s3cret").header("Content-Type", "application/json").header("Origin", "https://app.example")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Http.JSON.writeValueAsString(Map.of("a", ta, "b", tb)))).build());
            assertThat(m.status()).as(m.text()).isEqualTo(200);
            assertThat(m.json().path("same").asBoolean()).isTrue();
            assertThat(m.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");

            var v = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.base() + "/v1/verify"))
                    .header("Authorization", "Bearer s3cret").header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
            assertThat(v.status()).isEqualTo(503);
            assertThat(v.code()).isEqualTo("NOT_READY");
        }
    }
}
