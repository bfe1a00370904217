package dev.sameface.server;

import dev.sameface.pipeline.StageTimings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;

/** What {@code GET /metrics} shows, in Prometheus text: requests, latencies per stage, the pool, errors by code. */
final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    ServerMetrics(PipelinePool pool) {
        Gauge.builder("sameface.pool.queue.length", pool, PipelinePool::queued).description("requests waiting for a pipeline").register(registry);
        Gauge.builder("sameface.pool.busy", pool, PipelinePool::busy).description("pipelines running a request").register(registry);
        Gauge.builder("sameface.pool.size", pool, PipelinePool::size).description("pipelines in the pool").register(registry);
        Gauge.builder("sameface.pool.ready", pool, p -> p.isReady() ? 1 : 0).description("1 once every pipeline's models are loaded").register(registry);
    }

    void request(String endpoint, int status, long nanos) {
        Timer.builder("sameface.http.requests").description("HTTP requests by endpoint and status")
                .tag("endpoint", endpoint).tag("status", Integer.toString(status))
                .register(registry).record(Duration.ofNanos(nanos));
    }

    void stages(StageTimings t) {
        stage("decode", t.decodeNanos());
        stage("detect", t.detectNanos());
        stage("align", t.alignNanos());
        stage("embed", t.embedNanos());
    }

    void stage(String stage, long nanos) {
        Timer.builder("sameface.stage").description("time per pipeline stage and image").tag("stage", stage)
                .publishPercentiles(0.5, 0.95, 0.99).register(registry).record(Duration.ofNanos(nanos));
    }

    /** An error answer; {@code code} is the ErrorCode, or the HTTP condition (overloaded, unauthorized, ...). */
    void error(String code) {
        Counter.builder("sameface.errors").description("error answers by code").tag("code", code).register(registry).increment();
    }

    String scrape() {
        return registry.scrape();
    }
}
