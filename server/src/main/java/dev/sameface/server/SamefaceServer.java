package dev.sameface.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sameface.api.AlignedFace;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Template;
import dev.sameface.pipeline.Enrolment;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.TemplateComparator;
import dev.sameface.pipeline.Verification;
import dev.sameface.pipeline.config.PipelineConfig;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * sameface over HTTP: {@code /v1/verify}, {@code /v1/templates}, {@code /v1/match}, {@code /v1/pipeline},
 * {@code /health}, {@code /metrics}, the OpenAPI file and a web page. Enrolment runs on a {@link PipelinePool};
 * matching two templates uses a {@link TemplateComparator} alone, so it loads no model. The server keeps no image
 * or template after answering, and logs none unless {@link ServerSettings#logTemplates()} asks it to.
 */
public final class SamefaceServer implements AutoCloseable {
    /** Jetty's own threads: acceptor, selector and the request threads that wait on the pool. Fixed, so they can be counted. */
    public static final int HTTP_THREADS = 16;

    private static final Logger LOG = LoggerFactory.getLogger(SamefaceServer.class);
    private static final String RETRY_AFTER_SECONDS = "1";

    private final ServerSettings settings;
    private final PipelineConfig config;
    private final PipelinePool pool;
    private final TemplateComparator comparator;
    private final ServerMetrics metrics;
    private final Javalin app;
    private final byte[] token;

    private SamefaceServer(PipelineConfig config, ServerSettings settings, Supplier<FacePipeline> factory) {
        this.settings = settings;
        this.config = config;
        // Built first and cheaply: a configuration the matcher cannot use fails here, before a model loads.
        this.comparator = Pipelines.matcherOnly(config);
        this.token = settings.bearerToken().map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.pool = new PipelinePool(factory, settings.pipelines(), settings.queueCapacity());
        this.metrics = new ServerMetrics(pool);
        this.app = Javalin.create(this::configure);
    }

    /**
     * Starts listening at once and builds the pipelines in the background; {@code /health} answers 200 when they are
     * loaded. Close it to stop the server and release every pipeline.
     */
    public static SamefaceServer start(PipelineConfig config, ServerSettings settings) {
        return start(config, settings, () -> Pipelines.create(config));
    }

    static SamefaceServer start(PipelineConfig config, ServerSettings settings, Supplier<FacePipeline> factory) {
        SamefaceServer s = new SamefaceServer(config, settings, factory);
        try {
            s.app.start(settings.host(), settings.port());
        } catch (RuntimeException e) {
            s.close();
            throw new FaceException(ErrorCode.IO_ERROR, "cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        LOG.info("sameface serving on http://{}:{}/ with {} pipeline(s), queue {}", settings.host(), s.port(), settings.pipelines(), settings.queueCapacity());
        return s;
    }

    public int port() {
        return app.port();
    }

    public PipelinePool pool() {
        return pool;
    }

    private void configure(JavalinConfig c) {
        c.startup.showJavalinBanner = false;
        c.startup.showOldJavalinVersionWarning = false;
        QueuedThreadPool threads = new QueuedThreadPool(HTTP_THREADS, HTTP_THREADS);
        threads.setName("sameface-http");
        c.jetty.threadPool = threads;
        c.http.maxRequestSize = settings.maxBodyBytes();
        // Parts stay in memory (never a temporary file): the server stores no image.
        // A part over the image limit is refused by RequestImages with its name and size, so Jetty's own per-part
        // limit is only the body's; the body limit is checked on Content-Length before parsing (guard).
        c.jetty.multipartConfig.maxFileSize(settings.maxBodyBytes(), SizeUnit.BYTES);
        c.jetty.multipartConfig.maxTotalRequestSize(settings.maxBodyBytes(), SizeUnit.BYTES);
        c.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(Integer.MAX_VALUE, settings.maxBodyBytes()), SizeUnit.BYTES);
        if (!settings.corsOrigins().isEmpty()) {
            c.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                rule.allowHost(settings.corsOrigins().getFirst(), settings.corsOrigins().subList(1, settings.corsOrigins().size()).toArray(String[]::new));
                rule.exposeHeader("Retry-After");
            }));
        }
        var r = c.routes;
        r.before("/v1/*", this::guard);
        r.before("/metrics", this::authorise);
        r.get("/", ctx -> resource(ctx, "index.html", "text/html; charset=utf-8"));
        r.get("/openapi.yaml", ctx -> resource(ctx, "openapi.yaml", "application/yaml"));
        r.get("/health", this::health);
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        r.get("/v1/pipeline", this::pipeline);
        r.post("/v1/verify", ctx -> timed("verify", ctx, this::verify));
        r.post("/v1/templates", ctx -> timed("templates", ctx, this::templates));
        r.post("/v1/match", ctx -> timed("match", ctx, this::match));
        r.exception(FaceException.class, (e, ctx) -> answerError(ctx, e));
        r.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, e.getStatus(), transportCode(e.getStatus()), e.getMessage(), e));
        r.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected failure answering {} {}", ctx.method(), ctx.path(), e);
            answer(ctx, 500, ErrorCode.INTERNAL_ERROR.name(), "internal error: " + e.getClass().getSimpleName());
        });
        r.error(404, ctx -> {
            if (!ctx.result().startsWith("{")) {
                answer(ctx, 404, "NOT_FOUND", "no such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
    }

    /** Size and token checks, before the body is read. */
    private void guard(Context ctx) {
        authorise(ctx);
        long declared = ctx.contentLength();
        if (declared > settings.maxBodyBytes()) {
            throw RequestRefused.tooLarge("request body", declared, settings.maxBodyBytes());
        }
    }

    private void authorise(Context ctx) {
        if (token == null) {
            return;
        }
        String h = ctx.header("Authorization");
        byte[] given = h != null && h.startsWith("Bearer ") ? h.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, token)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new io.javalin.http.UnauthorizedResponse("a valid bearer token is required (Authorization: Bearer <token>)");
        }
    }

    private interface Handler {
        void handle(Context ctx);
    }

    private void timed(String endpoint, Context ctx, Handler h) {
        long t0 = System.nanoTime();
        try {
            h.handle(ctx);
        } finally {
            metrics.request(endpoint, ctx.statusCode(), System.nanoTime() - t0);
        }
    }

    private void health(Context ctx) {
        ObjectNode n = Answers.object();
        n.put("pipelines", pool.size());
        if (pool.failure().isPresent()) {
            n.put("status", "failed");
            n.put("code", pool.failure().get().code().name());
            n.put("message", pool.failure().get().getMessage());
            json(ctx, 503, n);
        } else if (pool.isReady()) {
            n.put("status", "ready");
            json(ctx, 200, n);
        } else {
            n.put("status", "loading");
            n.put("loaded", pool.idle() + pool.busy());
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
            json(ctx, 503, n);
        }
    }

    private void pipeline(Context ctx) {
        ObjectNode n = Answers.object();
        n.put("engine", config.engine());
        ObjectNode stages = n.putObject("stages");
        stages.putObject("detector").put("plugin", config.detector().plugin()).put("model", config.detector().model())
                .put("engine", config.engineFor(config.detector()));
        stages.putObject("aligner").put("plugin", config.aligner().plugin());
        stages.putObject("embedder").put("plugin", config.embedder().plugin()).put("model", config.embedder().model())
                .put("engine", config.engineFor(config.embedder()));
        stages.putObject("matcher").put("plugin", comparator.matcherName());
        n.put("model_fingerprint", comparator.embeddingSpace());
        n.put("threshold", comparator.threshold());
        n.put("threshold_fmr", config.thresholdFmr());
        n.put("description", pool.description().orElse(null));
        ObjectNode p = n.putObject("pool");
        p.put("pipelines", pool.size());
        p.put("threads_per_pipeline", config.threads() == null ? 1 : config.threads());
        p.put("queue_capacity", settings.queueCapacity());
        p.put("request_timeout_ms", settings.requestTimeout().toMillis());
        p.put("ready", pool.isReady());
        ObjectNode l = n.putObject("limits");
        l.put("max_body_bytes", settings.maxBodyBytes());
        l.put("max_image_bytes", settings.maxImageBytes());
        l.put("max_images", settings.maxImages());
        json(ctx, 200, n);
    }

    private record Enrolled(Enrolment enrolment, Optional<AlignedFace> crop) {
    }

    private static Enrolled enrol(FacePipeline p, byte[] bytes, String name, boolean crop) {
        Enrolment e = p.enrol(bytes, name);
        // The crop is computed again only when asked for (the web page): the pipeline hands the embedder its crop, not us.
        Optional<AlignedFace> c = crop && !e.template().isFailed() ? p.alignedSubject(bytes, name) : Optional.empty();
        return new Enrolled(e, c);
    }

    private void verify(Context ctx) {
        requireReady();
        RequestImages in = RequestImages.of(ctx, settings.maxImageBytes(), true);
        byte[] a = in.one("a");
        byte[] b = in.one("b");
        boolean crops = in.flag("crops");
        record Result(Enrolled a, Enrolled b, Verification v) {
        }
        Result r = onPool(p -> {
            Enrolled ea = enrol(p, a, "image a", crops);
            Enrolled eb = enrol(p, b, "image b", crops);
            return new Result(ea, eb, p.verify(ea.enrolment().template(), eb.enrolment().template()));
        });
        Verification v = r.v();
        metrics.stages(r.a().enrolment().timings());
        metrics.stages(r.b().enrolment().timings());
        metrics.stage("match", v.matchNanos());
        logTemplates("verify", r.a().enrolment().template(), r.b().enrolment().template());
        ObjectNode n = Answers.decision(v, config.thresholdFmr());
        n.set("a", Answers.image(r.a().enrolment(), r.a().crop()));
        n.set("b", Answers.image(r.b().enrolment(), r.b().crop()));
        n.put("match_ms", Answers.ms(v.matchNanos()));
        json(ctx, 200, n);
    }

    private void templates(Context ctx) {
        requireReady();
        RequestImages in = RequestImages.of(ctx, settings.maxImageBytes(), true);
        List<byte[]> images = in.many("images", settings.maxImages());
        record Result(List<Enrolment> enrolments, Template template, byte[] bytes) {
        }
        Result r = onPool(p -> {
            List<Enrolment> es = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                es.add(p.enrol(images.get(i), "image " + (i + 1)));
            }
            Template t = TemplateFusion.fuse(es, p.modelFingerprint());
            return new Result(es, t, t.isFailed() ? null : p.encode(t));
        });
        r.enrolments().forEach(e -> metrics.stages(e.timings()));
        if (r.template().isFailed()) {
            throw new FaceException(ErrorCode.NO_FACE, "no usable face in any of the " + images.size() + " image(s)");
        }
        logTemplates("templates", r.template());
        ObjectNode n = Answers.object();
        n.put("template", Base64.getEncoder().encodeToString(r.bytes()));
        n.put("model", r.template().modelFingerprint());
        n.put("bytes", r.bytes().length);
        n.set("eyes", Answers.eyes(r.template().landmarks()));
        var list = n.putArray("images");
        r.enrolments().forEach(e -> list.add(Answers.image(e, Optional.empty())));
        json(ctx, 200, n);
    }

    private void match(Context ctx) {
        RequestImages in = RequestImages.of(ctx, settings.maxImageBytes(), false);
        Template a = decodeTemplate(in.one("a"), "a");
        Template b = decodeTemplate(in.one("b"), "b");
        // A template of another model is refused by the comparator (TEMPLATE_MISMATCH), never scored.
        Verification v = comparator.verify(a, b);
        metrics.stage("match", v.matchNanos());
        ObjectNode n = Answers.decision(v, config.thresholdFmr());
        json(ctx, 200, n);
    }

    private Template decodeTemplate(byte[] bytes, String name) {
        try {
            return comparator.decode(bytes);
        } catch (FaceException e) {
            throw new FaceException(e.code(), "template '" + name + "': " + e.getMessage(), e);
        }
    }

    /** Runs work on a pipeline of the pool, waiting at most the request timeout; 503 with Retry-After when it cannot. */
    private <T> T onPool(Function<FacePipeline, T> work) {
        requireReady();
        CompletableFuture<T> f = pool.offer(work).orElseThrow(() -> new Unavailable("OVERLOADED",
                "all " + pool.size() + " pipelines are busy and " + settings.queueCapacity() + " requests wait; retry later"));
        try {
            return f.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new Unavailable("TIMEOUT", "no pipeline finished the request within " + settings.requestTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            throw new Unavailable("SHUTTING_DOWN", "the server is stopping");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "pipeline failed: " + e.getCause(), e.getCause());
        }
    }

    /** Checked first, before the body is read: a server that cannot enrol says so whatever was sent. */
    private void requireReady() {
        if (pool.size() == 0 || !pool.isReady()) {
            String why = pool.size() == 0 ? "this server runs no pipelines (--pipelines 0): only /v1/match is served"
                    : pool.failure().map(f -> "the pipelines failed to load: " + f.getMessage()).orElse("the models are still loading");
            throw new Unavailable("NOT_READY", why);
        }
    }

    /** 503: not a sameface error but a state of the service, so its code names the state, not an ErrorCode. */
    private static final class Unavailable extends HttpResponseException {
        private final String code;

        Unavailable(String code, String message) {
            super(503, message);
            this.code = code;
        }
    }

    private void answerError(Context ctx, FaceException e) {
        int status = e instanceof RequestRefused rr ? rr.status() : status(e.code());
        if (status >= 500) {
            LOG.error("{} {} failed: {}: {}", ctx.method(), ctx.path(), e.code(), e.getMessage());
        }
        answer(ctx, status, e.code().name(), e.getMessage());
    }

    /** A user's mistake is 4xx; a broken installation or a bug is 500. */
    static int status(ErrorCode code) {
        return switch (code) {
            case IMAGE_SIZE_REFUSED -> 413;
            case CONFIG_ERROR, UNKNOWN_NAME, INPUT_LOCATION_ERROR -> 400;
            case IMAGE_DECODE_ERROR, NO_FACE, TEMPLATE_FORMAT_ERROR, TEMPLATE_MISMATCH -> 422;
            default -> 500;
        };
    }

    private static String transportCode(int status) {
        return switch (status) {
            case 401 -> "UNAUTHORIZED";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413 -> ErrorCode.IMAGE_SIZE_REFUSED.name();
            case 503 -> "UNAVAILABLE";
            default -> "HTTP_" + status;
        };
    }

    private void answer(Context ctx, int status, String code, String message) {
        metrics.error(code);
        if (status == 503) {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        json(ctx, status, Answers.error(status, code, message));
    }

    private void answer(Context ctx, int status, String code, String message, HttpResponseException e) {
        answer(ctx, status, e instanceof Unavailable u ? u.code : code, message);
    }

    private static void json(Context ctx, int status, ObjectNode n) {
        ctx.status(status).contentType("application/json").result(Answers.write(n));
    }

    private void logTemplates(String endpoint, Template... templates) {
        if (!settings.logTemplates()) {
            return;
        }
        for (Template t : templates) {
            if (!t.isFailed()) {
                LOG.info("{} template {}", endpoint, Base64.getEncoder().encodeToString(comparator.encode(t)));
            }
        }
    }

    private static void resource(Context ctx, String name, String type) {
        try (InputStream in = SamefaceServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new FaceException(ErrorCode.INTERNAL_ERROR, "resource " + name + " is missing from the server jar");
            }
            ctx.contentType(type).result(in.readAllBytes());
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot read resource " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            pool.close();
            comparator.close();
        }
    }
}
