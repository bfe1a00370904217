package dev.sameface.openvino.bench;

import dev.sameface.api.FaceException;
import dev.sameface.api.SamefaceHome;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.InferenceEngineProvider;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.Tensor;
import dev.sameface.openvino.OpenVinoModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Single-thread latency of every model on several engines, interleaved in one run: after a warm-up, each iteration
 * runs every engine once on the same real input, the engine order rotating per iteration so that none always runs
 * first (or right after the garbage collector). Prints median and p95 per model and engine, the ratio to the first
 * engine, and how far each engine's embeddings are from the first engine's on real LFW crops.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp CLASSPATH dev.sameface.openvino.bench.EngineBenchmark \
 *     [--engines onnxruntime,openvino,openvino[precision=bf16]] [--iterations 200] [--warmup 30] [--photos 50] \
 *     [--lfw DIR] [--yunet FILE] [--models DIR]
 * </pre>
 * Engines are found with ServiceLoader, so any engine on the class path can be named; {@code name[k=v;k=v]} passes
 * engine properties. Models come from the sameface cache; YuNet from the shared models folder.
 */
public final class EngineBenchmark {
    private record Spec(String label, String engine, Map<String, String> properties) {
        static Spec parse(String s) {
            int open = s.indexOf('[');
            if (open < 0) {
                return new Spec(s, s, Map.of());
            }
            Map<String, String> props = new LinkedHashMap<>();
            for (String kv : s.substring(open + 1, s.length() - 1).split(";")) {
                String[] p = kv.split("=", 2);
                props.put(p[0].strip(), p.length > 1 ? p[1].strip() : "");
            }
            return new Spec(s, s.substring(0, open), props);
        }
    }

    private record Workload(String model, String inputLabel, ModelSource source, List<Map<String, Tensor>> inputs) {
    }

    public static void main(String[] args) {
        Map<String, String> a = arguments(args);
        List<Spec> specs = Arrays.stream(a.getOrDefault("engines", "onnxruntime,openvino,openvino[precision=bf16]")
                .split(",(?![^\\[]*\\])")).map(String::strip).map(Spec::parse).toList();
        int iterations = Integer.parseInt(a.getOrDefault("iterations", "200"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "30"));
        int photoCount = Integer.parseInt(a.getOrDefault("photos", "50"));
        Path shared = Path.of(System.getProperty("sameface.shared", "../shared"));
        Path lfw = Path.of(a.getOrDefault("lfw", shared.resolve("data/lfw/images_deepfunneled").toString()));
        Path yunet = Path.of(a.getOrDefault("yunet", shared.resolve("models/yunet_n_dynamic.onnx").toString()));
        Path models = Path.of(a.getOrDefault("models", SamefaceHome.models().toString()));
        try {
            run(specs, iterations, warmup, photoCount, lfw, yunet, models);
        } catch (FaceException e) {
            System.err.println("benchmark failed: " + e.getMessage() + " [" + e.code() + "]");
            System.exit(e.code().exitCode());
        }
    }

    private static void run(List<Spec> specs, int iterations, int warmup, int photoCount, Path lfw, Path yunet, Path models) {
        List<Path> photos = LfwInputs.photos(lfw, photoCount);
        List<Path> timingPhotos = photos.subList(0, Math.min(10, photos.size()));
        List<Workload> workloads = List.of(
                new Workload("ulfg-rfb-320", "1x3x240x320", cached(models, "ulfg-rfb-320"),
                        inputs(timingPhotos, p -> LfwInputs.ulfgInput(p))),
                new Workload("fr-landmark-68", "1x1x64x64", cached(models, "fr-landmark-68"),
                        inputs(timingPhotos, p -> LfwInputs.landmarkInput(p))),
                new Workload("fr-feature-512", "1x3x112x112", cached(models, "fr-feature-512"),
                        inputs(timingPhotos, p -> LfwInputs.embedderInput(p))),
                new Workload("yunet_n_dynamic", "1x3x480x640", file("yunet_n_dynamic", yunet),
                        inputs(timingPhotos, p -> LfwInputs.yunetInput(p, 640, 480))),
                new Workload("yunet_n_dynamic", "1x3x256x256", file("yunet_n_dynamic", yunet),
                        inputs(timingPhotos, p -> LfwInputs.yunetInput(p, 256, 256))));

        List<InferenceEngine> engines = new ArrayList<>();
        try {
            for (Spec s : specs) {
                engines.add(provider(s.engine()).create(EngineOptions.singleThreaded().withProperties(s.properties())));
            }
            System.out.printf(Locale.ROOT, "engines (single-threaded defaults):%n");
            for (int e = 0; e < specs.size(); e++) {
                System.out.printf(Locale.ROOT, "  %-28s %s%n", specs.get(e).label(), engines.get(e).description());
            }
            System.out.printf(Locale.ROOT, "%d warm-up + %d timed iterations per model, engines interleaved; %s, %d cores%n%n",
                    warmup, iterations, System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "| model | input | engine | median ms | p95 ms | median vs %s |%n", specs.getFirst().label());
            System.out.printf("|---|---|---|---:|---:|---:|%n");
            for (Workload w : workloads) {
                timeOne(w, specs, engines, iterations, warmup);
            }
            System.out.println();
            accuracy(specs, engines, models, photos);
        } finally {
            engines.forEach(InferenceEngine::close);
        }
    }

    private static void timeOne(Workload w, List<Spec> specs, List<InferenceEngine> engines, int iterations, int warmup) {
        List<CompiledModel> compiled = new ArrayList<>();
        try {
            for (InferenceEngine e : engines) {
                compiled.add(e.load(w.source()));
            }
            int n = engines.size();
            double[][] ms = new double[n][iterations];
            for (int it = -warmup; it < iterations; it++) {
                Map<String, Tensor> in = w.inputs().get(Math.floorMod(it, w.inputs().size()));
                for (int k = 0; k < n; k++) {
                    int e = Math.floorMod(it + k, n);
                    long t0 = System.nanoTime();
                    compiled.get(e).run(in);
                    long t1 = System.nanoTime();
                    if (it >= 0) {
                        ms[e][it] = (t1 - t0) / 1e6;
                    }
                }
            }
            double baseMedian = percentile(ms[0], 50);
            for (int e = 0; e < n; e++) {
                double median = percentile(ms[e], 50);
                String label = specs.get(e).label() + precisionNote(compiled.get(e), specs.get(e));
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %.2f |%n", w.model(), w.inputLabel(),
                        label, median, percentile(ms[e], 95), median / baseMedian);
            }
        } finally {
            compiled.forEach(CompiledModel::close);
        }
    }

    /** Says so when OpenVINO compiled for another precision than asked (bf16 falls back to f32 without bf16 hardware). */
    private static String precisionNote(CompiledModel m, Spec s) {
        String asked = s.properties().get("precision");
        if (m instanceof OpenVinoModel ov && asked != null && !asked.equalsIgnoreCase(ov.precision())) {
            return " (ran as " + ov.precision() + ")";
        }
        return "";
    }

    private static void accuracy(List<Spec> specs, List<InferenceEngine> engines, Path models, List<Path> photos) {
        System.out.printf(Locale.ROOT, "fr-feature-512 embeddings vs %s on %d LFW crops (cosine):%n", specs.getFirst().label(), photos.size());
        List<CompiledModel> compiled = new ArrayList<>();
        try {
            for (InferenceEngine e : engines) {
                compiled.add(e.load(cached(models, "fr-feature-512")));
            }
            double[][] cos = new double[engines.size()][photos.size()];
            for (int p = 0; p < photos.size(); p++) {
                Map<String, Tensor> in = Map.of("input", LfwInputs.embedderInput(photos.get(p)));
                Tensor reference = compiled.getFirst().run(in).get("output");
                for (int e = 1; e < engines.size(); e++) {
                    cos[e][p] = LfwInputs.cosine(reference, compiled.get(e).run(in).get("output"));
                }
            }
            for (int e = 1; e < engines.size(); e++) {
                // 1 - cosine as well: at these levels the cosine itself prints as 1.000000.
                double min = percentile(cos[e], 0);
                double median = percentile(cos[e], 50);
                System.out.printf(Locale.ROOT, "  %-28s min %.8f (1-cos %.1e)  median %.8f (1-cos %.1e)%n", specs.get(e).label(),
                        min, 1 - min, median, 1 - median);
            }
        } finally {
            compiled.forEach(CompiledModel::close);
        }
    }

    private static List<Map<String, Tensor>> inputs(List<Path> photos, Function<Path, Tensor> prepare) {
        return photos.stream().map(p -> Map.of("input", prepare.apply(p))).toList();
    }

    private static ModelSource cached(Path models, String id) {
        return file(id, models.resolve(id).resolve(id + ".onnx"));
    }

    private static ModelSource file(String id, Path f) {
        if (!Files.isRegularFile(f)) {
            throw new FaceException(dev.sameface.api.ErrorCode.MODEL_MISSING, "model " + id + " not found at " + f
                    + " (run: ./sameface models fetch)");
        }
        return ModelSource.onnx(id, "", f);
    }

    private static InferenceEngineProvider provider(String name) {
        List<String> known = new ArrayList<>();
        for (InferenceEngineProvider p : ServiceLoader.load(InferenceEngineProvider.class)) {
            if (p.name().equals(name)) {
                var availability = p.availability();
                if (!availability.available()) {
                    throw new FaceException(dev.sameface.api.ErrorCode.ENGINE_UNAVAILABLE, name + ": " + availability.reason());
                }
                return p;
            }
            known.add(p.name());
        }
        throw new FaceException(dev.sameface.api.ErrorCode.UNKNOWN_NAME, "no engine " + name + " on the class path; known: " + known);
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] values, double p) {
        double[] v = values.clone();
        Arrays.sort(v);
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    private static Map<String, String> arguments(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("usage: EngineBenchmark [--engines a,b[k=v]] [--iterations N] [--warmup N] [--photos N] "
                        + "[--lfw DIR] [--yunet FILE] [--models DIR]");
                System.exit(2);
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }
}
