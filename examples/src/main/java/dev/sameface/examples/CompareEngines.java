package dev.sameface.examples;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Template;
import dev.sameface.api.engine.InferenceEngineProvider;
import dev.sameface.pipeline.Enrolment;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.registry.EngineRegistry;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * User job 2: run the same pipeline on several inference engines and compare speed and output.
 *
 * <pre>
 * CompareEngines [--engines onnxruntime,openvino] [--config FILE.yaml] [--rounds N] PHOTO...
 * </pre>
 *
 * Without {@code --engines}, every engine on the class path that is available (the others are listed with the
 * reason); with it, the engines named, built in the order given. Each engine
 * gets its own pipeline built from the same configuration with only {@code engine:} changed. After one warm-up
 * enrolment per photo and engine (first runs allocate and compile), the timed runs are <em>interleaved</em>: for
 * every round and photo each engine runs once, in an order rotated per round, so that a slow period of the shared
 * machine or cache warmth hits every engine alike. Prints the median enrolment time per image and per stage, and
 * the cosine between each engine's embedding and the first engine's for the same photo (1.0 = identical).
 */
public final class CompareEngines {
    private CompareEngines() {
    }

    public static void main(String[] args) {
        try {
            run(args, System.out);
        } catch (FaceException e) {
            System.err.println("error: " + e.code() + ": " + e.getMessage());
            System.exit(e.code().exitCode());
        }
    }

    /** Runs the comparison, printing to {@code out}; returns the median total milliseconds per image by engine. */
    static Map<String, Double> run(String[] args, PrintStream out) {
        List<String> engines = null;
        PipelineConfig config = PipelineConfig.defaults();
        int rounds = 5;
        List<Path> photos = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--engines" -> engines = Arrays.asList(value(args, ++i).split(","));
                case "--config" -> config = PipelineConfig.load(Path.of(value(args, ++i)));
                case "--rounds" -> rounds = positive(value(args, ++i));
                default -> photos.add(Path.of(args[i]));
            }
        }
        if (photos.isEmpty()) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "usage: CompareEngines [--engines a,b] [--config FILE.yaml] [--rounds N] PHOTO...");
        }
        EngineRegistry registry = EngineRegistry.load();
        boolean everyEngine = engines == null;
        if (everyEngine) {
            // Every engine on the class path, built lowest rank first: some runtimes must initialise before others
            // in one process (DJL's ONNX Runtime before ours), and building a pipeline checks availability anyway.
            engines = new ArrayList<>(registry.all().stream().map(InferenceEngineProvider::name).toList().reversed());
        }

        Map<String, FacePipeline> pipelines = new LinkedHashMap<>();
        try {
            for (String name : engines) {
                try {
                    // Only the default engine changes; stages that name their own engine in the config keep it.
                    pipelines.put(name, Pipelines.create(config.withEngine(name)));
                } catch (FaceException e) {
                    // One engine that cannot run this pipeline (e.g. a model not prepared for it) should not stop the others.
                    out.println("skipping " + name + ": " + e.code() + ": " + e.getMessage());
                }
            }
            if (everyEngine) {
                // Report in rank order, best first.
                Map<String, FacePipeline> byRank = new LinkedHashMap<>();
                for (InferenceEngineProvider p : registry.all()) {
                    FacePipeline built = pipelines.get(p.name());
                    if (built != null) {
                        byRank.put(p.name(), built);
                    }
                }
                pipelines.clear();
                pipelines.putAll(byRank);
            }
            if (pipelines.isEmpty()) {
                throw new FaceException(ErrorCode.ENGINE_UNAVAILABLE, "no engine could build the pipeline; engines: " + registry.listing());
            }
            return compare(pipelines, photos, rounds, out);
        } finally {
            pipelines.values().forEach(FacePipeline::close);
        }
    }

    private static Map<String, Double> compare(Map<String, FacePipeline> pipelines, List<Path> photos, int rounds, PrintStream out) {
        List<String> names = new ArrayList<>(pipelines.keySet());
        pipelines.forEach((n, p) -> out.println(n + ": " + p.describe()));

        // Warm-up, which also gives the templates to compare across engines.
        Map<String, List<Template>> templates = new LinkedHashMap<>();
        for (String n : names) {
            List<Template> ts = new ArrayList<>();
            for (Path photo : photos) {
                ts.add(pipelines.get(n).enrol(photo).template());
            }
            templates.put(n, ts);
        }

        Map<String, List<long[]>> times = new LinkedHashMap<>();
        names.forEach(n -> times.put(n, new ArrayList<>()));
        for (int r = 0; r < rounds; r++) {
            for (Path photo : photos) {
                for (int k = 0; k < names.size(); k++) {
                    String n = names.get((k + r) % names.size());
                    Enrolment e = pipelines.get(n).enrol(photo);
                    var t = e.timings();
                    times.get(n).add(new long[]{t.totalNanos(), t.detectNanos(), t.alignNanos(), t.embedNanos()});
                }
            }
        }

        out.printf(Locale.ROOT, "%n%d photos x %d rounds, interleaved; median ms per image%n", photos.size(), rounds);
        out.printf(Locale.ROOT, "%-18s %9s %9s %9s %9s %12s%n", "engine", "total", "detect", "align", "embed", "min cosine");
        // ONNX Runtime is the project's reference engine for parity; otherwise the first engine named.
        String ref = names.contains("onnxruntime") ? "onnxruntime" : names.getFirst();
        Map<String, Double> medians = new LinkedHashMap<>();
        for (String n : names) {
            List<long[]> ts = times.get(n);
            medians.put(n, median(ts, 0));
            out.printf(Locale.ROOT, "%-18s %9.2f %9.2f %9.2f %9.2f %12s%n", n, median(ts, 0), median(ts, 1), median(ts, 2), median(ts, 3),
                    n.equals(ref) ? "(reference)" : minCosine(templates.get(ref), templates.get(n)));
        }
        out.println("min cosine: the lowest, over the photos, of the cosine between this engine's embedding and "
                + ref + "'s; the parity target is >= 0.9999");
        return medians;
    }

    private static String minCosine(List<Template> a, List<Template> b) {
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).isFailed() || b.get(i).isFailed()) {
                // A face found by one engine and missed by the other is itself a parity failure worth seeing.
                if (a.get(i).isFailed() != b.get(i).isFailed()) {
                    return "enrolment differs on photo " + (i + 1);
                }
                continue;
            }
            min = Math.min(min, a.get(i).embedding().dot(b.get(i).embedding()));
        }
        return min == Double.POSITIVE_INFINITY ? "n/a (no face)" : String.format(Locale.ROOT, "%.6f", min);
    }

    private static double median(List<long[]> rows, int column) {
        long[] v = rows.stream().mapToLong(r -> r[column]).sorted().toArray();
        int m = v.length / 2;
        return (v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2.0) / 1e6;
    }

    private static int positive(String v) {
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "--rounds needs a positive whole number, got '" + v + "'", e);
        }
        if (n < 1) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "--rounds needs a positive whole number, got " + n);
        }
        return n;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
