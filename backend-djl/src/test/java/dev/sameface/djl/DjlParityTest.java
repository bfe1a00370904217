package dev.sameface.djl;

import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.Tensor;
import dev.sameface.api.engine.TensorInfo;
import dev.sameface.djl.Fixtures.TestModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every model the product uses, on real LFW photos, through both DJL engines and through engine onnxruntime (the
 * reference): the same tensor in, outputs that agree by name, shape and value (embedding cosine >= 0.9999;
 * decoded detector coordinates within 0.5 px on a 4096-px photo; detector scores within 1e-4).
 */
@Tag("slow") // needs the TorchScript export
class DjlParityTest {
    private static final int PHOTOS = 4;
    /** YuNet is traced at 320x320; 480x640 checks that the traced graph still follows the input's size. */
    private static final int[][] YUNET_SIZES = {{320, 320}, {480, 640}};

    private static InferenceEngine reference;
    private static InferenceEngine pytorch;
    private static InferenceEngine djlOnnx;

    @BeforeAll
    static void startEngines() {
        // DJL's OnnxRuntime engine must be the one that starts ONNX Runtime in a process (DjlOnnxRuntimeOrderTest).
        djlOnnx = Fixtures.provider(DjlOnnxRuntimeEngineProvider.NAME).create(EngineOptions.singleThreaded());
        pytorch = Fixtures.provider(DjlPyTorchEngineProvider.NAME).create(EngineOptions.singleThreaded());
        reference = Fixtures.provider("onnxruntime").create(EngineOptions.singleThreaded());
    }

    @AfterAll
    static void closeEngines() {
        for (InferenceEngine e : new InferenceEngine[] {reference, pytorch, djlOnnx}) {
            if (e != null) {
                e.close();
            }
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(DjlPyTorchEngineProvider.NAME, DjlOnnxRuntimeEngineProvider.NAME)
                .flatMap(engine -> Stream.of(TestModel.values()).map(m -> Arguments.of(engine, m)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void sameOutputsAsOnnxRuntime(String engineName, TestModel m) {
        InferenceEngine engine = engineName.equals(DjlPyTorchEngineProvider.NAME) ? pytorch : djlOnnx;
        ModelSource source = Fixtures.source(m);
        try (CompiledModel ref = reference.load(source); CompiledModel got = engine.load(source)) {
            assertThat(names(got.inputs())).isEqualTo(names(ref.inputs()));
            assertThat(names(got.outputs())).as("output names, in order").isEqualTo(names(ref.outputs()));
            String input = ref.inputs().getFirst().name();
            long[] declared = ref.inputs().getFirst().shape();
            int[][] sizes = switch (m) {
                case YUNET -> YUNET_SIZES;
                case ONET -> new int[][] {{(int) declared[2], (int) declared[1]}}; // [N, W, H, 3]
                default -> new int[][] {{(int) declared[2], (int) declared[3]}};
            };

            double minCos = 1, maxPx = 0, maxScore = 0, maxAbs = 0;
            int runs = 0;
            for (int[] hw : sizes) {
                Map<String, Tensor> inputs = new LinkedHashMap<>();
                for (Path photo : Fixtures.photos(PHOTOS)) {
                    inputs.put(photo.getFileName().toString(), Fixtures.input(m, photo, hw[0], hw[1]));
                }
                if (m == TestModel.ONET) {
                    // The cascade runs all crops of a stage in one call: a batch other than the traced one.
                    inputs.put("a batch of " + PHOTOS, Fixtures.batch(List.copyOf(inputs.values())));
                }
                for (var in : inputs.entrySet()) {
                    Tensor x = in.getValue();
                    Map<String, Tensor> a = ref.run(Map.of(input, x));
                    Map<String, Tensor> b = got.run(Map.of(input, x));
                    if (m == TestModel.ONET) {
                        // Points and boxes are compared where O-Net sees a face: the crops must be faces to it.
                        assertThat(OutputCheck.faceProbabilities(a)).as("O-Net face probabilities on %s", in.getKey())
                                .allSatisfy(p -> assertThat(p).isGreaterThan(0.5f));
                    }
                    assertThat(b.keySet()).containsExactlyInAnyOrderElementsOf(a.keySet());
                    for (String k : a.keySet()) {
                        assertThat(b.get(k).shape()).as("shape of %s", k).isEqualTo(a.get(k).shape());
                    }
                    OutputCheck.Result r = switch (m) {
                        case EMBEDDER -> OutputCheck.embedding(a, b);
                        case LANDMARKS -> OutputCheck.landmarks(a, b);
                        case ULFG -> OutputCheck.ulfg(a, b);
                        case YUNET -> OutputCheck.yunet(a, b, hw[0], hw[1]);
                        case ONET -> OutputCheck.mtcnn(a, b);
                    };
                    assertThat(r.ok()).as("%s %s on %s at %dx%d differs from onnxruntime: %s", engineName, m.id,
                            in.getKey(), hw[1], hw[0], r).isTrue();
                    minCos = Math.min(minCos, r.cosine());
                    maxPx = Math.max(maxPx, r.maxPx());
                    maxScore = Math.max(maxScore, r.maxScoreDiff());
                    maxAbs = Math.max(maxAbs, r.maxAbsDiff());
                    runs++;
                }
            }
            System.out.printf("parity %-16s %-15s %2d inputs: 1 - min cosine %.1e, max %.4f px @4096, max score diff %.2e, max abs diff %.2e%n",
                    engineName, m.id, runs, 1 - minCos, maxPx, maxScore, maxAbs);
        }
    }

    private static List<String> names(List<TensorInfo> infos) {
        return infos.stream().map(TensorInfo::name).toList();
    }
}
