package dev.sameface.server;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.config.PipelineConfig;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server under load on loopback, bounded in requests and time: verifications of photo pairs at increasing
 * concurrency, for 1..N pipelines, then a long run at N pipelines with the process's RSS before and after. The
 * client runs in the same process (JDK HttpClient, one platform thread per concurrent request); its cost is a few
 * per cent of a verification's.
 */
public final class LoadTest {
    /** Two images, posted as parts {@code a} and {@code b}. */
    public record Pair(byte[] a, byte[] b) {
    }

    /** One step: its pool size and concurrency, how many requests ran in how long, latency percentiles, answers by kind. */
    public record Row(int pipelines, int concurrency, int requests, double seconds, double p50Ms, double p95Ms, double p99Ms,
                      int ok, int overloaded, int otherErrors) {
        public double throughput() {
            return ok / seconds;
        }
    }

    /** Every step, and the long run's resident memory (kB, from /proc/self/status) before and after. */
    public record Report(List<Row> rows, Row longRun, long rssBeforeKb, long rssAfterKb) {
    }

    private final PipelineConfig config;
    private final ServerSettings base;
    private final List<Pair> pairs;
    private final PrintWriter progress;
    private final long deadline;

    /** {@code maxTime} bounds the whole run: a step that reaches it stops where it is and says so. */
    public LoadTest(PipelineConfig config, ServerSettings base, List<Pair> pairs, Duration maxTime, PrintWriter progress) {
        if (pairs.isEmpty()) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "the load test needs at least one photo pair");
        }
        this.config = config;
        this.base = base.withPort(0).withHost("127.0.0.1");
        this.pairs = List.copyOf(pairs);
        this.progress = progress;
        this.deadline = System.nanoTime() + maxTime.toNanos();
    }

    /**
     * For each pool size, each concurrency with {@code requestsPerStep} requests; then {@code longRunRequests} at
     * the largest pool size and a concurrency equal to it, for the RSS figures.
     */
    public Report run(List<Integer> pipelineCounts, List<Integer> concurrencies, int requestsPerStep, int longRunRequests) {
        List<Row> rows = new ArrayList<>();
        for (int p : pipelineCounts) {
            try (SamefaceServer server = start(p)) {
                for (int c : concurrencies) {
                    Row r = step(server, p, c, requestsPerStep);
                    rows.add(r);
                    progress.println(format(r));
                    progress.flush();
                }
            }
        }
        int n = pipelineCounts.stream().max(Integer::compare).orElseThrow();
        try (SamefaceServer server = start(n)) {
            long before = rssKb();
            Row r = step(server, n, n, longRunRequests);
            long after = rssKb();
            progress.println(format(r) + String.format(Locale.ROOT, "  RSS %d -> %d MB", before >> 10, after >> 10));
            return new Report(rows, r, before, after);
        }
    }

    private SamefaceServer start(int pipelines) {
        SamefaceServer s = SamefaceServer.start(config, base.withPipelines(pipelines));
        try {
            if (!s.pool().awaitLoaded(Duration.ofMinutes(5))) {
                s.close();
                throw s.pool().failure().orElseGet(() -> new FaceException(ErrorCode.INTERNAL_ERROR, "pipelines did not load within 5 minutes"));
            }
        } catch (InterruptedException e) {
            s.close();
            Thread.currentThread().interrupt();
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "interrupted while the pipelines loaded", e);
        }
        // Warm-up: every pipeline's first images pay for JIT and first-inference set-up.
        step(s, pipelines, pipelines, 4 * pipelines);
        return s;
    }

    private Row step(SamefaceServer server, int pipelines, int concurrency, int requests) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/verify");
        List<Multipart> bodies = pairs.stream().map(p -> Multipart.of(List.of(Map.entry("a", p.a()), Map.entry("b", p.b())))).toList();
        long[] latencies = new long[requests];
        int[] statuses = new int[requests];
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(concurrency, Thread.ofPlatform().name("load-client-", 0).factory())) {
            for (int t = 0; t < concurrency; t++) {
                clients.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < requests && System.nanoTime() < deadline; ) {
                        Multipart m = bodies.get(i % bodies.size());
                        HttpRequest req = HttpRequest.newBuilder(uri).header("Content-Type", m.contentType()).POST(m.publisher()).build();
                        long s = System.nanoTime();
                        try {
                            statuses[i] = client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                        } catch (IOException e) {
                            statuses[i] = -1;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        latencies[i] = System.nanoTime() - s;
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int done = Math.min(requests, next.get());
        int ok = 0, overloaded = 0, other = 0;
        List<Long> okLatencies = new ArrayList<>();
        for (int i = 0; i < done; i++) {
            if (statuses[i] == 200) {
                ok++;
                okLatencies.add(latencies[i]);
            } else if (statuses[i] == 503) {
                overloaded++;
            } else if (statuses[i] != 0) {
                other++;
            }
        }
        long[] sorted = okLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Row(pipelines, concurrency, ok + overloaded + other, seconds, pct(sorted, 0.50), pct(sorted, 0.95), pct(sorted, 0.99), ok, overloaded, other);
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    /** The process's resident set, in kB. */
    public static long rssKb() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst()
                    .orElseThrow(() -> new FaceException(ErrorCode.IO_ERROR, "/proc/self/status has no VmRSS line"));
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot read /proc/self/status (Linux only): " + e.getMessage(), e);
        }
    }

    /** The table README and docs/server.md show. */
    public static String markdown(Report r, String cpu) {
        StringBuilder sb = new StringBuilder();
        sb.append("| pipelines | concurrency | requests | verifications/s | p50 ms | p95 ms | p99 ms | 200 | 503 | other errors |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row row : r.rows()) {
            sb.append(line(row, "")).append('\n');
        }
        sb.append(line(r.longRun(), " (long run)")).append('\n');
        sb.append(String.format(Locale.ROOT, "%nRSS before / after the long run of %d requests: %d MB / %d MB. CPU: %s.%n",
                r.longRun().requests(), r.rssBeforeKb() >> 10, r.rssAfterKb() >> 10, cpu));
        return sb.toString();
    }

    private static String line(Row row, String note) {
        return String.format(Locale.ROOT, "| %d | %d%s | %d | %.1f | %.1f | %.1f | %.1f | %d | %d | %d |", row.pipelines(), row.concurrency(), note, row.requests(),
                row.throughput(), row.p50Ms(), row.p95Ms(), row.p99Ms(), row.ok(), row.overloaded(), row.otherErrors());
    }

    private static String format(Row r) {
        return String.format(Locale.ROOT, "pipelines %d, concurrency %3d: %5d requests in %6.1f s, %6.1f verifications/s, p50 %6.1f p95 %6.1f p99 %6.1f ms, "
                + "200: %d, 503: %d, other: %d", r.pipelines(), r.concurrency(), r.requests(), r.seconds(), r.throughput(), r.p50Ms(), r.p95Ms(), r.p99Ms(),
                r.ok(), r.overloaded(), r.otherErrors());
    }

    /** The CPU's name as /proc/cpuinfo gives it, for the table's caption. */
    public static String cpuName() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU")
                    + ", " + Runtime.getRuntime().availableProcessors() + " cores";
        } catch (IOException e) {
            return "unknown CPU (" + e.getMessage() + ")";
        }
    }
}
