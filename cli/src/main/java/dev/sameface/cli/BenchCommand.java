package dev.sameface.cli;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Template;
import dev.sameface.pipeline.Enrolment;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.models.ModelCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "bench", description = {"Per-stage latency of the pipeline on one thread, engines interleaved image by image.",
        "Prints median and p95 of decode, detect, align, embed, match and the whole template, per engine, and each",
        "engine's median relative to the first. Quote ratios from one run: these machines are noisy.",
        "With --peer the Python peer (tools/peer: the same pipeline in onnxruntime + OpenCV + numpy, InsightFace-style)",
        "runs as one more column, interleaved photo by photo, and its parity with the first engine is printed."})
final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A folder of photos (searched recursively), e.g. ../shared/data/lfw/images_deepfunneled")
    Path dir;

    @Option(names = "--engines", split = ",", paramLabel = "NAME", description = "Engines to compare (default: the configured one).")
    List<String> engines = new ArrayList<>();

    @Option(names = "--images", paramLabel = "N", defaultValue = "200", description = "Photos to time (default ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "30", description = "Untimed photos first, per engine (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--peer", description = {"Also run the Python peer benchmark (tools/peer, a venv under SAMEFACE_HOME made on first use)",
            "on the same photos and model files, and print its timings and its parity with the first engine."})
    boolean peer;

    @Option(names = "--peer-keep-denormals", description = "Run the peer without ONNX Runtime's session.set_denormal_as_zero (default: flushed, as sameface does).")
    boolean peerKeepDenormals;

    @Mixin
    PipelineOptions pipeline;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private static final String[] STAGES = {"decode", "detect", "align", "embed", "match", "template"};

    @Override
    public Integer call() {
        List<Path> photos = photos();
        PipelineConfig base = pipeline.resolve();
        List<String> names = engines.isEmpty() ? List.of(base.engine()) : engines;
        Map<String, FacePipeline> live = new LinkedHashMap<>();
        PeerProcess python = null;
        try {
            // Refused before anything is built when the configuration is not one the peer implements.
            PeerProcess.Settings peerSettings = peer ? PeerComparison.settings(base, ModelCache.standard().home())
                    .withFlushDenormals(!peerKeepDenormals) : null;
            for (String e : dev.sameface.pipeline.registry.EngineRegistry.load().creationOrder(names)) {
                live.put(e, Pipelines.create(base.withEngine(e)));
            }
            if (peer) {
                // The peer mirrors the first engine's pipeline, with which its parity is measured.
                python = PeerProcess.start(tools(), PeerComparison.forPrecisions(peerSettings, live.get(names.getFirst()),
                        ModelCache.standard()));
            }
            for (int i = 0; i < Math.min(warmup, photos.size()); i++) {
                for (FacePipeline p : live.values()) {
                    p.enrol(photos.get(i));
                }
                if (python != null) {
                    python.enrol(photos.get(i));
                }
            }
            PeerComparison peerRun = python == null ? null : new PeerComparison(python, photos.size());
            Map<String, long[][]> samples = new LinkedHashMap<>();
            names.forEach(n -> samples.put(n, new long[STAGES.length][photos.size()]));
            int[] counts = new int[names.size()];
            for (int i = Math.min(warmup, photos.size()); i < photos.size(); i++) {
                // Interleave engines photo by photo so drift in machine load hits all of them alike.
                for (int k = 0; k < names.size(); k++) {
                    FacePipeline p = live.get(names.get(k));
                    Enrolment e = p.enrol(photos.get(i));
                    if (k == 0 && peerRun != null) {
                        peerRun.reference(e.template());
                    }
                    if (e.template().isFailed()) {
                        continue;
                    }
                    Template t = e.template();
                    long m0 = System.nanoTime();
                    p.similarity(t, t);
                    long match = System.nanoTime() - m0;
                    long[][] s = samples.get(names.get(k));
                    int c = counts[k]++;
                    var tm = e.timings();
                    s[0][c] = tm.decodeNanos();
                    s[1][c] = tm.detectNanos();
                    s[2][c] = tm.alignNanos();
                    s[3][c] = tm.embedNanos();
                    s[4][c] = match;
                    s[5][c] = tm.totalNanos();
                }
                if (peerRun != null) {
                    peerRun.run(photos.get(i));
                }
            }
            print(names, samples, counts, live, photos.size() - Math.min(warmup, photos.size()), base, peerRun);
            return 0;
        } finally {
            live.values().forEach(FacePipeline::close);
            if (python != null) {
                python.close();
            }
        }
    }

    private void print(List<String> names, Map<String, long[][]> samples, int[] counts, Map<String, FacePipeline> live, int n, PipelineConfig base,
                       PeerComparison peerRun) {
        var out = spec.commandLine().getOut();
        double[][] medians = new double[names.size()][STAGES.length];
        var root = Json.object();
        root.put("photos", n);
        root.put("detector", base.detector().plugin());
        // Every engine runs the same embedder configuration; the embedder says whether it mirrors.
        String flipTta = String.valueOf(live.get(names.getFirst()).mirrorsCrops());
        root.put("flip_tta", flipTta);
        var engs = root.putObject("engines");
        for (int k = 0; k < names.size(); k++) {
            var node = engs.putObject(names.get(k));
            node.put("description", live.get(names.get(k)).describe());
            node.put("templates", counts[k]);
            for (int s = 0; s < STAGES.length; s++) {
                long[] v = Arrays.copyOf(samples.get(names.get(k))[s], counts[k]);
                Arrays.sort(v);
                medians[k][s] = percentile(v, 0.5) / 1e6;
                node.putObject(STAGES[s]).put("median_ms", medians[k][s]).put("p95_ms", percentile(v, 0.95) / 1e6);
            }
        }
        double[] peerMedians = null;
        if (peerRun != null) {
            var node = root.putObject("peer");
            peerRun.describe(node, names.getFirst());
            peerMedians = new double[STAGES.length];
            for (int s = 0; s < STAGES.length; s++) {
                double[] v = peerRun.stageMillis(s);
                peerMedians[s] = percentile(v, 0.5);
                node.putObject(STAGES[s]).put("median_ms", peerMedians[s]).put("p95_ms", percentile(v, 0.95));
            }
        }
        if (json) {
            out.println(Json.write(root));
            return;
        }
        out.printf(Locale.ROOT, "%d photos, detector %s, flip-tta %s, one thread; median / p95 in ms%n", n, base.detector().plugin(),
                flipTta);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "| %-8s |", "stage"));
        StringBuilder rule = new StringBuilder("|----------|");
        for (String e : names) {
            header.append(String.format(Locale.ROOT, " %-19s |", e));
            rule.append("---------------------|");
        }
        if (peerRun != null) {
            header.append(String.format(Locale.ROOT, " %-19s |", "python peer"));
            rule.append("---------------------|");
        }
        out.println(header);
        out.println(rule);
        for (int s = 0; s < STAGES.length; s++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %-8s |", STAGES[s]));
            for (int k = 0; k < names.size(); k++) {
                var node = engs.get(names.get(k)).get(STAGES[s]);
                String cell = String.format(Locale.ROOT, "%.2f / %.2f", node.get("median_ms").asDouble(), node.get("p95_ms").asDouble());
                if (k > 0 && medians[0][s] > 0) {
                    cell += String.format(Locale.ROOT, " (%.2fx)", medians[k][s] / medians[0][s]);
                }
                row.append(String.format(Locale.ROOT, " %-19s |", cell));
            }
            if (peerMedians != null) {
                var node = root.get("peer").get(STAGES[s]);
                String cell = String.format(Locale.ROOT, "%.2f / %.2f", node.get("median_ms").asDouble(), node.get("p95_ms").asDouble());
                if (medians[0][s] > 0) {
                    cell += String.format(Locale.ROOT, " (%.2fx)", peerMedians[s] / medians[0][s]);
                }
                row.append(String.format(Locale.ROOT, " %-19s |", cell));
            }
            out.println(row);
        }
        for (String e : names) {
            out.println(e + ": " + live.get(e).describe());
        }
        if (peerRun != null) {
            out.println(peerRun.summary(names.getFirst()));
        }
    }

    private static double percentile(long[] sorted, double q) {
        double[] d = new double[sorted.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = sorted[i];
        }
        return percentile(d, q);
    }

    /** The q-quantile (nearest rank) of sorted values; NaN when there are none. */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static Path tools() {
        String t = System.getProperty("sameface.tools");
        if (t == null) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "--peer needs the source checkout's tools/peer/; run ./sameface from the checkout");
        }
        return Path.of(t);
    }

    private List<Path> photos() {
        if (!Files.isDirectory(dir)) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "not a folder: " + dir);
        }
        return BenchInputs.photos(dir, images + warmup);
    }
}
