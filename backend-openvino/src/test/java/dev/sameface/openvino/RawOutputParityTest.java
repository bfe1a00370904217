package dev.sameface.openvino;

import dev.sameface.api.Embedding;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.Tensor;
import dev.sameface.kit.testing.Tensors;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same real inputs (LFW photos prepared per model spec) through OpenVINO and the ONNX Runtime reference give
 * the same raw outputs: same names and shapes, embeddings with cosine >= 0.9999, other outputs within tight
 * absolute tolerances.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RawOutputParityTest {
    private InferenceEngine openVino;
    private InferenceEngine reference;

    @BeforeAll
    void engines() {
        openVino = TestSetup.openVino(EngineOptions.singleThreaded());
        reference = TestSetup.onnxRuntime();
    }

    @AfterAll
    void close() {
        openVino.close();
        reference.close();
    }

    @Test
    void embedderGivesTheSameEmbeddings() {
        List<Path> photos = TestData.lfwPhotos(20);
        try (CompiledModel ov = openVino.load(TestSetup.cachedModel("fr-feature-512"));
             CompiledModel ort = reference.load(TestSetup.cachedModel("fr-feature-512"))) {
            double worst = 1;
            for (Path photo : photos) {
                Map<String, Tensor> in = Map.of("input", TestData.modelInput("fr-feature-512", photo));
                Tensor a = ov.run(in).get("output");
                Tensor b = ort.run(in).get("output");
                assertThat(a.shape()).containsExactly(1, 512);
                // The cosine the pipeline's matcher would see between the two engines' embeddings.
                worst = Math.min(worst, Embedding.normalised(a.toArray()).dot(Embedding.normalised(b.toArray())));
            }
            assertThat(worst).as("lowest cosine OpenVINO vs ONNX Runtime over %d LFW crops", photos.size())
                    .isGreaterThanOrEqualTo(0.9999);
        }
    }

    @Test
    void landmarkModelGivesTheSamePoints() {
        compare("fr-landmark-68", 10, p -> TestData.modelInput("fr-landmark-68", p), 1e-4);
    }

    @Test
    void ulfgDetectorGivesTheSameScoresAndBoxes() {
        compare("ulfg-rfb-320", 10, p -> TestData.modelInput("ulfg-rfb-320", p), 1e-4);
    }

    @Test
    void yunetGivesTheSameRawOutputsAtChangingSizes() {
        List<Path> photos = TestData.lfwPhotos(6);
        try (CompiledModel ov = openVino.load(TestSetup.yunet()); CompiledModel ort = reference.load(TestSetup.yunet())) {
            for (int i = 0; i < photos.size(); i++) {
                // Alternating sizes: the dynamic model gets a new input shape on every call.
                Tensor input = i % 2 == 0 ? TestData.modelInput("yunet-n", photos.get(i), 256, 256)
                        : TestData.modelInput("yunet-n", photos.get(i), 640, 480);
                assertSame(ort.run(Map.of("input", input)), ov.run(Map.of("input", input)), 1e-3, "yunet " + photos.get(i));
            }
        }
    }

    private void compare(String id, int count, Function<Path, Tensor> input, double tolerance) {
        try (CompiledModel ov = openVino.load(TestSetup.cachedModel(id)); CompiledModel ort = reference.load(TestSetup.cachedModel(id))) {
            for (Path photo : TestData.lfwPhotos(count)) {
                Map<String, Tensor> in = Map.of("input", input.apply(photo));
                assertSame(ort.run(in), ov.run(in), tolerance, id + " " + photo.getFileName());
            }
        }
    }

    private static void assertSame(Map<String, Tensor> expected, Map<String, Tensor> actual, double tolerance, String what) {
        assertThat(actual.keySet()).as("output names of %s", what).isEqualTo(expected.keySet());
        for (var e : expected.entrySet()) {
            Tensor a = actual.get(e.getKey());
            assertThat(a.shape()).as("shape of %s %s", what, e.getKey()).isEqualTo(e.getValue().shape());
            assertThat(Tensors.maxAbsDiff(a, e.getValue())).as("max |OpenVINO - ONNX Runtime| of %s %s", what, e.getKey())
                    .isLessThanOrEqualTo(tolerance);
        }
    }
}
