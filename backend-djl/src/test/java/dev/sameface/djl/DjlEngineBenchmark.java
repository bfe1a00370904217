package dev.sameface.djl;

import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.Tensor;
import dev.sameface.djl.Fixtures.TestModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Single-thread latency per model on onnxruntime (direct binding, the baseline), djl-onnxruntime, djl-pytorch
 * and djl-pytorch with TorchScript's profiling graph optimizer. Engines are interleaved: every iteration runs each
 * engine once on the same LFW-derived input, the order rotating, so drift on a shared machine hits all alike.
 * Also prints the first-call latency of a freshly loaded model (what a one-shot `sameface verify` pays).
 *
 * <pre>
 * mvn -q -pl backend-djl dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/djl.cp
 * java --enable-native-access=ALL-UNNAMED -Dsameface.shared=../shared \
 *   -cp backend-djl/target/test-classes:backend-djl/target/classes:$(cat /tmp/djl.cp) \
 *   dev.sameface.djl.DjlEngineBenchmark [iterations=200] [warmup=30] [overhead-only]
 * </pre>
 */
public final class DjlEngineBenchmark {
    private record Spec(String label, String engine, Map<String, String> properties) {
    }

    private record Workload(TestModel model, int height, int width) {
        String input() {
            return (model == TestModel.LANDMARKS ? "1x1x" : "1x3x") + height + "x" + width;
        }
    }

    private DjlEngineBenchmark() {
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        boolean overheadOnly = args.length > 2 && args[2].equals("overhead-only");
        // Created in this order on purpose: DJL's OnnxRuntime engine must start ONNX Runtime (see DjlRuntime).
        List<Spec> creation = List.of(
                new Spec("djl-onnxruntime", DjlOnnxRuntimeEngineProvider.NAME, Map.of()),
                new Spec("djl-pytorch", DjlPyTorchEngineProvider.NAME, Map.of()),
                new Spec("djl-pytorch[graph-optimizer]", DjlPyTorchEngineProvider.NAME, Map.of("graph-optimizer", "true")),
                new Spec("onnxruntime", "onnxruntime", Map.of()));
        Map<Spec, InferenceEngine> created = new LinkedHashMap<>();
        for (Spec s : creation) {
            created.put(s, Fixtures.provider(s.engine()).create(EngineOptions.singleThreaded().withProperties(s.properties())));
        }
        // Reported with the baseline first.
        List<Spec> specs = List.of(creation.get(3), creation.get(0), creation.get(1), creation.get(2));
        List<InferenceEngine> engines = specs.stream().map(created::get).toList();
        try {
            System.out.println("engines (default single-threaded options):");
            for (int e = 0; e < specs.size(); e++) {
                System.out.printf(Locale.ROOT, "  %-30s %s%n", specs.get(e).label(), engines.get(e).description());
            }
            System.out.printf(Locale.ROOT, "%d warm-up + %d timed iterations, engines interleaved, %d cores, %s%n%n", warmup,
                    iterations, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            List<Workload> workloads = List.of(new Workload(TestModel.ULFG, 240, 320), new Workload(TestModel.LANDMARKS, 64, 64),
                    new Workload(TestModel.EMBEDDER, 112, 112), new Workload(TestModel.YUNET, 480, 640),
                    new Workload(TestModel.YUNET, 256, 256));
            System.out.println("| model | input | engine | first call ms | median ms | p95 ms | median vs onnxruntime |");
            System.out.println("|---|---|---|---:|---:|---:|---:|");
            List<Path> photos = Fixtures.photos(10);
            for (Workload w : overheadOnly ? List.<Workload>of() : workloads) {
                time(w, photos, specs, engines, iterations, warmup);
            }
            overhead(engines.get(0), engines.get(1), engines.get(2), photos.getFirst(), iterations * 5);
        } finally {
            engines.forEach(InferenceEngine::close);
        }
    }

    private static void time(Workload w, List<Path> photos, List<Spec> specs, List<InferenceEngine> engines, int iterations, int warmup) {
        ModelSource source = Fixtures.source(w.model());
        List<Map<String, Tensor>> inputs = photos.stream()
                .map(p -> Map.of("input", Fixtures.input(w.model(), p, w.height(), w.width()))).toList();
        List<CompiledModel> compiled = new ArrayList<>();
        try {
            int n = engines.size();
            double[] first = new double[n];
            for (int e = 0; e < n; e++) {
                CompiledModel m = engines.get(e).load(source);
                compiled.add(m);
                long t0 = System.nanoTime();
                m.run(inputs.getFirst());
                first[e] = (System.nanoTime() - t0) / 1e6;
            }
            double[][] ms = new double[n][iterations];
            for (int it = -warmup; it < iterations; it++) {
                Map<String, Tensor> in = inputs.get(Math.floorMod(it, inputs.size()));
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
            double base = percentile(ms[0], 50);
            for (int e = 0; e < n; e++) {
                double median = percentile(ms[e], 50);
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %.1f | %.2f | %.2f | %.2f |%n", w.model().id, w.input(), specs.get(e).label(),
                        first[e], median, percentile(ms[e], 95), median / base);
            }
        } finally {
            compiled.forEach(CompiledModel::close);
        }
    }

    /**
     * What the DJL layer itself costs per call, on the smallest model (fr-landmark-68, ~1 ms of compute):
     * onnxruntime vs djl-onnxruntime (same ONNX Runtime, same session options), and djl-pytorch's run() vs a bare
     * DJL forward of the same TorchScript file on an NDArray made once (no per-run NDManager, from_blob, output copy).
     */
    private static void overhead(InferenceEngine ort, InferenceEngine djlOrt, InferenceEngine pytorch, Path photo, int n) {
        ModelSource source = Fixtures.source(TestModel.LANDMARKS);
        Map<String, Tensor> in = Map.of("input", Fixtures.input(TestModel.LANDMARKS, photo, 64, 64));
        try (CompiledModel a = ort.load(source); CompiledModel b = djlOrt.load(source); CompiledModel c = pytorch.load(source);
             ai.djl.Model bare = ai.djl.Model.newInstance("bare", ai.djl.Device.cpu(), "PyTorch")) {
            bare.load(TestModel.LANDMARKS.torchScript());
            ai.djl.ndarray.NDManager manager = bare.getNDManager();
            ai.djl.ndarray.NDArray x = manager.create(in.get("input").toArray(), new ai.djl.ndarray.types.Shape(1, 1, 64, 64));
            double[][] ms = new double[4][n];
            for (int it = -n / 10; it < n; it++) {
                for (int k = 0; k < 4; k++) {
                    int e = Math.floorMod(it + k, 4);
                    long t0 = System.nanoTime();
                    switch (e) {
                        case 0 -> a.run(in);
                        case 1 -> b.run(in);
                        case 2 -> c.run(in);
                        default -> {
                            ai.djl.pytorch.jni.JniUtils.setGraphExecutorOptimize(false);
                            bare.getBlock().forward(new ai.djl.training.ParameterStore(manager, false), new ai.djl.ndarray.NDList(x), false)
                                    .close();
                        }
                    }
                    long t1 = System.nanoTime();
                    if (it >= 0) {
                        ms[e][it] = (t1 - t0) / 1e6;
                    }
                }
            }
            double[] med = new double[4];
            for (int e = 0; e < 4; e++) {
                med[e] = percentile(ms[e], 50);
            }
            System.out.printf(Locale.ROOT, "%nper-call overhead, fr-landmark-68, %d interleaved runs (medians):%n", n);
            System.out.printf(Locale.ROOT, "  onnxruntime %.3f ms, djl-onnxruntime %.3f ms: DJL's layer %+.0f us%n", med[0], med[1], (med[1] - med[0]) * 1000);
            System.out.printf(Locale.ROOT, "  bare DJL forward of the .pt %.3f ms, djl-pytorch run() %.3f ms: sameface's wrapping %+.0f us%n",
                    med[3], med[2], (med[2] - med[3]) * 1000);
        } catch (java.io.IOException | ai.djl.MalformedModelException e) {
            throw new IllegalStateException("cannot load " + TestModel.LANDMARKS.torchScript(), e);
        }
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] values, double p) {
        double[] v = values.clone();
        Arrays.sort(v);
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }
}
