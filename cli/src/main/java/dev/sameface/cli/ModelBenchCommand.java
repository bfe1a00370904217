package dev.sameface.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.InferenceEngineProvider;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.api.engine.Tensor;
import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.pipeline.image.ModelInputs;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.models.ModelManifest;
import dev.sameface.pipeline.registry.EngineRegistry;
import dev.sameface.pipeline.registry.MeasuredEngines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "bench-models", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Single-thread latency of each model on several engines, interleaved in one run.",
        "After a warm-up, every iteration runs each engine once on the same input, the",
        "engine order rotating. Prints median and p95 per model and engine with the",
        "ratio to the first engine, and how close each engine's embeddings are to the",
        "first one's. Remembers the fastest engine per model (by median; within 5%% the better-ranked one) in",
        "$SAMEFACE_HOME/bench/fastest-engines.yaml, which `engine: auto` follows.",
        "Models whose generator counted their multiply-accumulates (the speed-only iresnet100 and iresnet50, in",
        "<id>.onnx.json) also get achieved GFLOP/s (2 x MACs / median) and its share of the core's fp32 peak",
        "(from /proc/cpuinfo flags and clock). Those two are included by default once generated.",
        "--precisions f32,int8,bf16 also times each engine in the other precisions it can run here (int8: the gated",
        "copy from `models prepare --precision int8`; bf16: OpenVINO on a CPU with avx512_bf16/amx_bf16) and",
        "remembers per engine the fastest precision that passed its gate, which `precision: auto` follows."})
final class ModelBenchCommand implements Callable<Integer> {
    static final List<String> DEFAULT_MODELS = dev.sameface.pipeline.models.ModelManifest.BUILT_IN_PIPELINE_MODELS;
    static final Path DEFAULT_PHOTOS = Path.of("..", "shared", "data", "lfw", "images_deepfunneled");
    /** Timing cycles through this many photos; more only add decode time before the run. */
    private static final int TIMING_PHOTOS = 10;

    @Option(names = "--engines", split = ",", paramLabel = "NAME",
            description = "Engines to compare, the first being the reference (default: every available engine, best-ranked first).")
    List<String> engines = new ArrayList<>();

    @Option(names = "--models", split = ",", paramLabel = "ID",
            description = "Manifest model ids (default: the default and YuNet pipelines' models, ${DEFAULT-VALUE}, and iresnet100, iresnet50 when generated).")
    List<String> models = new ArrayList<>(DEFAULT_MODELS);

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "200", description = "Timed runs per model and engine (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "30", description = "Untimed runs first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--photos", paramLabel = "DIR", description = "Real photos (searched recursively); default ../shared/data/lfw/images_deepfunneled.")
    Path photos;

    @Option(names = "--cosine-photos", paramLabel = "N", defaultValue = "50",
            description = "Photos on which embedder outputs are compared with the first engine's (default ${DEFAULT-VALUE}).")
    int cosinePhotos;

    @Option(names = "--dynamic-input", paramLabel = "WxH", defaultValue = "640x480",
            description = "Input size for models with a dynamic input such as YuNet (default ${DEFAULT-VALUE}, a VGA photo).")
    String dynamicInput;

    @Option(names = "--engine-option", paramLabel = "KEY=VALUE", description = "Engine property for every engine, e.g. precision=bf16 (OpenVINO).")
    Map<String, String> engineOptions = new LinkedHashMap<>();

    @Option(names = "--precisions", split = ",", paramLabel = "f32|int8|bf16", defaultValue = "f32",
            description = "Precisions to time, where the engine, the CPU and the model's gate allow (default ${DEFAULT-VALUE}).")
    List<String> precisions = new ArrayList<>(List.of("f32"));

    @Option(names = "--save", paramLabel = "FILE", description = "Where to remember the fastest engine per model (default $SAMEFACE_HOME/bench/fastest-engines.yaml).")
    Path save;

    @Option(names = "--no-save", description = "Do not remember the result.")
    boolean noSave;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private PrecisionVariants variants;

    /** One model prepared for timing: its inputs, made from real photos the way its manifest entry says. */
    private record Workload(String id, ModelManifest.ModelEntry entry, ModelSource source, String inputName, String inputLabel,
                            String note, List<Map<String, Tensor>> timing, List<Map<String, Tensor>> cosine, long macs) {
    }

    /** Speed-only models benchmarked by default once `sameface models prepare` has generated them. */
    static final List<String> GENERATED_MODELS = List.of("iresnet100", "iresnet50");

    private record Result(String engine, double medianMs, double p95Ms) {
    }

    @Override
    public Integer call() {
        if (iterations < 1 || warmup < 0 || cosinePhotos < 0) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "--iterations must be at least 1, --warmup and --cosine-photos at least 0");
        }
        int[] dynamic = parseSize(dynamicInput);
        List<Image> images = decode(photos(photoDir(), Math.max(TIMING_PHOTOS, cosinePhotos)));
        ModelCache cache = ModelCache.standard();
        List<Workload> workloads = new ArrayList<>();
        List<String> skippedModels = new ArrayList<>();
        List<String> wanted = new ArrayList<>(models);
        if (models.equals(DEFAULT_MODELS)) {
            GENERATED_MODELS.stream().filter(cache::isReady).forEach(wanted::add);
        }
        for (String id : wanted) {
            try {
                workloads.add(workload(cache, id, images, dynamic));
            } catch (FaceException e) {
                // A default model that is not set up (YuNet needs SAMEFACE_LOCAL_MODELS) should not stop the others.
                if (e.code() != ErrorCode.MODEL_MISSING || !models.equals(DEFAULT_MODELS)) {
                    throw e;
                }
                skippedModels.add(id + ": " + e.getMessage());
            }
        }
        EngineRegistry registry = EngineRegistry.load();
        Map<String, InferenceEngine> live = createEngines(registry);
        try {
            variants = new PrecisionVariants(precisions, cache, live, registry);
            return run(live, workloads, skippedModels);
        } finally {
            if (variants != null) {
                variants.close();
            }
            live.values().forEach(InferenceEngine::close);
        }
    }

    /**
     * The engines in report order (the first is the reference), created in {@link EngineRegistry#creationOrder}.
     */
    private Map<String, InferenceEngine> createEngines(EngineRegistry registry) {
        List<InferenceEngineProvider> order;
        if (engines.isEmpty()) {
            order = registry.all().reversed().stream().filter(InferenceEngineProvider::isAvailable).toList().reversed();
        } else {
            for (String name : engines) {
                if (registry.find(name).isEmpty()) {
                    registry.get(name);  // fails with UNKNOWN_NAME and the list of engines
                }
            }
            if (engines.stream().distinct().count() != engines.size()) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, "--engines names an engine twice: " + engines);
            }
            order = engines.stream().map(n -> registry.find(n).orElseThrow()).toList();
        }
        if (order.isEmpty()) {
            throw new FaceException(ErrorCode.ENGINE_UNAVAILABLE, "no inference engine is available: " + registry.listing());
        }
        EngineOptions options = EngineOptions.singleThreaded().withProperties(engineOptions);
        Map<String, InferenceEngine> created = new LinkedHashMap<>();
        try {
            for (String name : registry.creationOrder(order.stream().map(InferenceEngineProvider::name).toList())) {
                created.put(name, registry.get(name).create(options));
            }
        } catch (RuntimeException e) {
            created.values().forEach(InferenceEngine::close);
            throw e;
        }
        Map<String, InferenceEngine> inOrder = new LinkedHashMap<>();
        order.forEach(p -> inOrder.put(p.name(), created.get(p.name())));
        return inOrder;
    }

    private int run(Map<String, InferenceEngine> live, List<Workload> workloads, List<String> skippedModels) {
        EngineRegistry ranks = EngineRegistry.load();
        PrintWriter out = spec.commandLine().getOut();
        List<String> names = new ArrayList<>(live.keySet());
        ObjectNode root = Json.object();
        root.put("iterations", iterations).put("warmup", warmup).put("cores", Runtime.getRuntime().availableProcessors())
                .put("arch", System.getProperty("os.arch"));
        root.putPOJO("engine_options", engineOptions);
        ObjectNode engs = root.putObject("engines");
        live.forEach((n, e) -> engs.put(n, e.description()));
        CpuPeak peak = workloads.stream().anyMatch(w -> w.macs() > 0) ? CpuPeak.read() : null;
        if (peak != null) {
            root.putObject("cpu").put("model", peak.model()).put("flop_per_cycle", peak.flopPerCycle()).put("ghz", peak.ghz())
                    .put("clock_source", peak.clockSource()).put("peak_gflops", peak.gflops());
        }
        if (!json) {
            out.printf(Locale.ROOT, "engines (one thread each%s):%n", engineOptions.isEmpty() ? "" : ", engine options " + engineOptions);
            live.forEach((n, e) -> out.printf(Locale.ROOT, "  %-16s %s%n", n, e.description()));
            out.printf(Locale.ROOT, "%d warm-up + %d timed runs per model, engines interleaved (order rotating); %s, %d cores%n",
                    warmup, iterations, System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
            skippedModels.forEach(s -> out.println("skipped model " + s));
            if (peak != null) {
                out.println(peak.describe());
            }
            out.println();
            out.printf(Locale.ROOT, "| model | input | engine | median ms | p95 ms | median vs %s | GFLOP/s | of peak |%n", names.getFirst());
            out.println("|---|---|---|---:|---:|---:|---:|---:|");
        }
        var modelsNode = root.putArray("models");
        List<String> notes = new ArrayList<>(skippedModels.stream().map(s -> "skipped model " + s).toList());
        Map<String, MeasuredEngines.Measurement> fastest = new LinkedHashMap<>();
        String when = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        for (Workload w : workloads) {
            ObjectNode node = modelsNode.addObject().put("model", w.id()).put("input", w.inputLabel());
            if (w.macs() > 0) {
                node.put("macs", w.macs()).put("flops", 2 * w.macs());
            }
            if (w.note() != null) {
                node.put("note", w.note());
            }
            Map<String, CompiledModel> compiled = new LinkedHashMap<>();
            try {
                for (String n : names) {
                    try {
                        compiled.put(n, live.get(n).load(w.source()));
                    } catch (FaceException e) {
                        // e.g. djl-pytorch without the TorchScript export: the other engines are still worth timing.
                        notes.add(n + " skipped for " + w.id() + ": " + e.getMessage());
                        node.putObject("skipped").put(n, e.getMessage());
                    }
                }
                variants.load(w.id(), w.source(), compiled, notes);
                if (compiled.isEmpty()) {
                    continue;
                }
                List<Result> results = time(w, compiled);
                double base = results.getFirst().medianMs();
                var rows = node.putArray("results");
                for (Result r : results) {
                    ObjectNode row = rows.addObject().put("engine", r.engine()).put("median_ms", r.medianMs()).put("p95_ms", r.p95Ms())
                            .put("median_ratio", r.medianMs() / base);
                    // Achieved throughput: 2 operations per multiply-accumulate, over the median time. Only f32 rows are
                    // FLOPs against the fp32 peak; an int8 or bf16 row's rate is in its own operations ("GOP/s").
                    double gflops = w.macs() > 0 ? 2.0 * w.macs() / (r.medianMs() * 1e6) : Double.NaN;
                    boolean variant = PrecisionVariants.isVariant(r.engine());
                    if (w.macs() > 0 && variant) {
                        row.put("gops", gflops);
                    } else if (w.macs() > 0) {
                        row.put("gflops", gflops).put("peak_fraction", gflops / peak.gflops());
                    }
                    if (!json) {
                        String rate = w.macs() <= 0 ? "" : String.format(Locale.ROOT, variant ? "%.1f GOP/s" : "%.1f", gflops);
                        String share = w.macs() <= 0 || variant ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * gflops / peak.gflops());
                        out.printf(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %.2f | %s | %s |%n", w.id(), w.inputLabel() + (w.note() == null ? "" : " (" + w.note() + ")"),
                                r.engine(), r.medianMs(), r.p95Ms(), r.medianMs() / base, rate, share);
                    }
                }
                // Engines are ranked by their f32 rows; other precisions are chosen per engine below.
                List<Result> f32 = results.stream().filter(r -> !PrecisionVariants.isVariant(r.engine())).toList();
                double min = f32.stream().mapToDouble(Result::medianMs).min().orElseThrow();
                // Within 5% of the fastest is noise on a shared machine: there the better-ranked engine wins, so that
                // `engine: auto` does not flip between two runs of this command.
                Result best = f32.stream().filter(r -> r.medianMs() <= min * 1.05)
                        .max(Comparator.comparingInt(r -> ranks.find(r.engine()).map(InferenceEngineProvider::rank).orElse(0)))
                        .orElseThrow();
                node.put("fastest", best.engine());
                // One engine is no comparison: it must not overwrite a real measurement.
                Map<String, Double> all = new LinkedHashMap<>();
                results.forEach(r -> all.put(r.engine(), r.medianMs()));
                var perEngine = PrecisionVariants.fastestPerEngine(all);
                if (f32.size() == 1 && !perEngine.fastest().isEmpty()) {
                    // One engine is no engine comparison: only its precisions join the earlier measurement, if any.
                    var previous = MeasuredEngines.read(saveFile()).measurement(w.id());
                    if (previous.isPresent()) {
                        fastest.put(w.id(), previous.get().withPrecisions(perEngine.fastest(), perEngine.medians()));
                    } else {
                        notes.add("precisions of " + w.id() + " not remembered: no engine comparison recorded yet to add them to");
                    }
                    node.putPOJO("fastest_precision", perEngine.fastest());
                } else if (f32.size() > 1) {
                    Map<String, Double> medians = new LinkedHashMap<>();
                    f32.forEach(r -> medians.put(r.engine(), Math.round(r.medianMs() * 1000) / 1000.0));
                    fastest.put(w.id(), new MeasuredEngines.Measurement(best.engine(), when, f32.stream().map(Result::engine).toList(),
                            medians, engineOptions, w.inputLabel(), perEngine.fastest(), perEngine.medians()));
                    if (!perEngine.fastest().isEmpty()) {
                        node.putPOJO("fastest_precision", perEngine.fastest());
                    }
                }
                if ("embedder".equals(w.entry().task()) && compiled.size() > 1 && !w.cosine().isEmpty()) {
                    cosines(w, compiled, node, notes);
                }
            } finally {
                compiled.values().forEach(CompiledModel::close);
            }
        }
        if (!json) {
            out.println();
            notes.forEach(out::println);
        }
        Path file = saveFile();
        if (!noSave && !fastest.isEmpty()) {
            MeasuredEngines.read(file).with(fastest).write(file);
            root.put("saved", file.toString());
            if (!json) {
                out.printf(Locale.ROOT, "fastest by median, remembered in %s for engine auto: %s%n", file,
                        fastest.entrySet().stream().map(e -> e.getKey() + " -> " + e.getValue().fastest()).toList());
                fastest.forEach((id, m) -> {
                    if (!m.precisions().isEmpty()) {
                        out.printf(Locale.ROOT, "fastest precision per engine for %s, for precision auto: %s%n", id, m.precisions());
                    }
                });
            }
        }
        if (json) {
            root.putPOJO("notes", notes);
            out.println(Json.write(root));
        }
        return 0;
    }

    private Path saveFile() {
        return save != null ? save : MeasuredEngines.standardFile();
    }

    /** Interleaved timing: each iteration runs every engine once, the starting engine rotating. */
    private List<Result> time(Workload w, Map<String, CompiledModel> compiled) {
        List<String> names = new ArrayList<>(compiled.keySet());
        List<CompiledModel> models = new ArrayList<>(compiled.values());
        int n = models.size();
        double[][] ms = new double[n][iterations];
        for (int it = -warmup; it < iterations; it++) {
            Map<String, Tensor> in = w.timing().get(Math.floorMod(it, w.timing().size()));
            for (int k = 0; k < n; k++) {
                int e = Math.floorMod(it + k, n);
                long t0 = System.nanoTime();
                models.get(e).run(in);
                long t1 = System.nanoTime();
                if (it >= 0) {
                    ms[e][it] = (t1 - t0) / 1e6;
                }
            }
        }
        List<Result> results = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            Arrays.sort(ms[e]);
            results.add(new Result(names.get(e), percentile(ms[e], 0.5), percentile(ms[e], 0.95)));
        }
        return results;
    }

    /** Embedder outputs of each engine against the first engine's, on real photos (1 - cosine too: 1.0 hides it). */
    private void cosines(Workload w, Map<String, CompiledModel> compiled, ObjectNode node, List<String> notes) {
        List<String> names = new ArrayList<>(compiled.keySet());
        CompiledModel reference = compiled.get(names.getFirst());
        String output = reference.outputs().getFirst().name();
        double[][] cos = new double[names.size()][w.cosine().size()];
        for (int p = 0; p < w.cosine().size(); p++) {
            Tensor ref = reference.run(w.cosine().get(p)).get(output);
            for (int e = 1; e < names.size(); e++) {
                Tensor other = compiled.get(names.get(e)).run(w.cosine().get(p)).get(output);
                if (other == null) {
                    throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, names.get(e) + " gives no output '" + output + "' for " + w.id());
                }
                cos[e][p] = BenchInputs.cosine(ref, other);
            }
        }
        var arr = node.putArray("cosine_vs_" + names.getFirst());
        notes.add(String.format(Locale.ROOT, "%s outputs vs %s on %d photos (cosine):", w.id(), names.getFirst(), w.cosine().size()));
        for (int e = 1; e < names.size(); e++) {
            double[] c = cos[e].clone();
            Arrays.sort(c);
            double min = c[0];
            double median = percentile(c, 0.5);
            arr.addObject().put("engine", names.get(e)).put("min", min).put("median", median);
            notes.add(String.format(Locale.ROOT, "  %-16s min %.8f (1-cos %.1e)  median %.8f (1-cos %.1e)", names.get(e), min, 1 - min, median, 1 - median));
        }
    }

    private Workload workload(ModelCache cache, String id, List<Image> images, int[] dynamic) {
        ModelManifest.ModelEntry entry = cache.manifest().model(id);
        ModelSource source = cache.source(id);
        ModelSpec spec = entry.spec(id);
        boolean isDynamic = spec.width() == 0 || spec.height() == 0;
        int dw = isDynamic ? dynamic[0] : spec.width();
        int dh = isDynamic ? dynamic[1] : spec.height();
        boolean wholePhoto = "detector".equals(entry.task());
        // Only embedders are compared output by output, on more photos; the rest need the timing photos only.
        int count = Math.min(images.size(), "embedder".equals(entry.task()) ? Math.max(TIMING_PHOTOS, cosinePhotos) : TIMING_PHOTOS);
        List<Map<String, Tensor>> tensors = images.subList(0, count).stream()
                .map(img -> Map.of(entry.input().name(), ModelInputs.fromPhoto(img, wholePhoto, spec, dw, dh))).toList();
        int c = spec.colorOrder() == ModelSpec.ColorOrder.GRAY ? 1 : 3;
        String label = spec.layout() == ModelSpec.Layout.NCHW ? "1x" + c + "x" + dh + "x" + dw : "1x" + dh + "x" + dw + "x" + c;
        return new Workload(id, entry, source, entry.input().name(), label, isDynamic ? "dynamic input, timed at " + dw + "x" + dh : null,
                tensors.subList(0, Math.min(TIMING_PHOTOS, count)),
                "embedder".equals(entry.task()) ? tensors.subList(0, Math.min(cosinePhotos, count)) : List.of(),
                macs(id, source, entry));
    }

    /**
     * The multiply-accumulates per run that the model's generator counted into {@code <model>.onnx.json} (Conv and
     * Gemm, from the traced shapes), or 0: only a sidecar that names this very file's sha256 is believed.
     */
    private static long macs(String id, ModelSource source, ModelManifest.ModelEntry entry) {
        Path onnx = source.file(dev.sameface.api.engine.ModelFormat.ONNX).orElse(null);
        Path sidecar = onnx == null ? null : onnx.resolveSibling(onnx.getFileName() + ".json");
        if (sidecar == null || !Files.isRegularFile(sidecar)) {
            return 0;
        }
        try {
            var meta = Json.MAPPER.readTree(sidecar.toFile());
            return entry.sha256().equals(meta.path("sha256").asText()) ? meta.path("macs").asLong() : 0;
        } catch (java.io.IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot read " + sidecar + ": " + e.getMessage()
                    + "; delete it and run: ./sameface models prepare " + id, e);
        }
    }

    private Path photoDir() {
        Path dir = photos != null ? photos : DEFAULT_PHOTOS;
        if (!Files.isDirectory(dir)) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, (photos != null ? "not a folder: " + dir
                    : "no photos: " + dir.toAbsolutePath().normalize() + " does not exist")
                    + "; the benchmark needs real photos (give --photos DIR, e.g. LFW's images_deepfunneled)");
        }
        return dir;
    }

    private static List<Path> photos(Path dir, int count) {
        try {
            return BenchInputs.photos(dir, count);
        } catch (FaceException e) {
            throw new FaceException(e.code(), e.getMessage() + "; the benchmark needs real photos", e);
        }
    }

    private static List<Image> decode(List<Path> files) {
        return files.stream().map(f -> ImageDecoder.DEFAULT.decode(f).toRgb()).toList();
    }

    private static int[] parseSize(String s) {
        String[] p = s.toLowerCase(Locale.ROOT).split("x");
        try {
            if (p.length == 2) {
                int w = Integer.parseInt(p[0].strip());
                int h = Integer.parseInt(p[1].strip());
                if (w > 0 && h > 0) {
                    return new int[]{w, h};
                }
            }
        } catch (NumberFormatException e) {
            // reported below with the expected form
        }
        throw new FaceException(ErrorCode.CONFIG_ERROR, "--dynamic-input takes WIDTHxHEIGHT, e.g. 640x480; got '" + s + "'");
    }

    /** Nearest-rank percentile of sorted values. */
    private static double percentile(double[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
