package dev.sameface.openvino;

import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.Denormals;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.Tensor;
import dev.sameface.pipeline.testing.TestData;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code denormals=flush} against {@code keep} for one model on onnxruntime and openvino, one thread, on LFW inputs.
 * The settings alternate in blocks (a fresh engine per block, since OpenVINO refuses both settings open at once), so
 * drift on a shared machine hits both alike. A benchmark, not a test: quote the CPU and the load beside its figures.
 *
 * <pre>
 * mvn -q -pl backend-openvino dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/ov.cp
 * java --enable-native-access=ALL-UNNAMED -Dsameface.shared=../shared \
 *   -cp backend-openvino/target/test-classes:backend-openvino/target/classes:$(cat /tmp/ov.cp) \
 *   dev.sameface.openvino.DenormalsBenchmark [model=fr-feature-512] [blocks=5] [runs-per-block=10]
 * </pre>
 */
public final class DenormalsBenchmark {
    private static final int WARMUP_PER_BLOCK = 3;

    private DenormalsBenchmark() {
    }

    public static void main(String[] args) {
        String modelId = args.length > 0 ? args[0] : "fr-feature-512";
        int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int perBlock = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        ModelSource source = TestSetup.cachedModel(modelId);
        List<Tensor> inputs = TestData.lfwPhotos(perBlock).stream().map(p -> TestData.modelInput(modelId, p)).toList();
        Map<String, Function<EngineOptions, InferenceEngine>> engines = Map.of(
                "onnxruntime", options -> new dev.sameface.onnx.OnnxRuntimeEngineProvider().create(options),
                "openvino", TestSetup::openVino);
        System.out.printf(Locale.ROOT, "%s, %d blocks x %d runs per setting, settings alternating by block%n", modelId, blocks, perBlock);
        for (String name : List.of("onnxruntime", "openvino")) {
            Map<Denormals, List<Double>> ms = new EnumMap<>(Denormals.class);
            for (int b = 0; b < blocks; b++) {
                List<Denormals> order = b % 2 == 0 ? List.of(Denormals.FLUSH, Denormals.KEEP) : List.of(Denormals.KEEP, Denormals.FLUSH);
                for (Denormals d : order) {
                    EngineOptions options = EngineOptions.singleThreaded().withProperties(Map.of(Denormals.PROPERTY, d.value()));
                    try (InferenceEngine engine = engines.get(name).apply(options); CompiledModel model = engine.load(source)) {
                        String input = model.inputs().getFirst().name();
                        for (int i = 0; i < WARMUP_PER_BLOCK; i++) {
                            model.run(Map.of(input, inputs.get(i % inputs.size())));
                        }
                        for (Tensor t : inputs) {
                            long start = System.nanoTime();
                            model.run(Map.of(input, t));
                            ms.computeIfAbsent(d, k -> new ArrayList<>()).add((System.nanoTime() - start) / 1e6);
                        }
                    }
                }
            }
            double flush = median(ms.get(Denormals.FLUSH));
            double keep = median(ms.get(Denormals.KEEP));
            System.out.printf(Locale.ROOT, "%-12s flush median %.2f ms, keep median %.2f ms, keep/flush %.2f (%d runs each)%n",
                    name, flush, keep, keep / flush, ms.get(Denormals.FLUSH).size());
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
