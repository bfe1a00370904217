package dev.sameface.djl;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.InferenceEngineProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DJL's OnnxRuntime engine insists on creating ONNX Runtime's process-wide environment itself. When engine
 * onnxruntime has started ONNX Runtime first, djl-onnxruntime must say so (unavailable, with the remedy) instead of
 * failing with DJL's ExceptionInInitializerError. Runs in its own JVM (surefire reuseForks=false).
 */
class DjlOnnxRuntimeOrderTest {
    @Test
    void djlOnnxRuntimeAfterOnnxRuntimeIsUnavailableWithTheReason() {
        try (InferenceEngine reference = Fixtures.provider("onnxruntime").create(EngineOptions.singleThreaded())) {
            assertThat(reference.description()).contains("ONNX Runtime");
            InferenceEngineProvider djl = Fixtures.provider(DjlOnnxRuntimeEngineProvider.NAME);
            assertThat(djl.availability().available()).isFalse();
            assertThat(djl.availability().reason()).contains("before onnxruntime");
            assertThatThrownBy(() -> djl.create(EngineOptions.singleThreaded()))
                    .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENGINE_UNAVAILABLE))
                    .hasMessageContaining("before onnxruntime");
            // libtorch is independent of ONNX Runtime: djl-pytorch still starts.
            try (InferenceEngine pytorch = Fixtures.provider(DjlPyTorchEngineProvider.NAME).create(EngineOptions.singleThreaded())) {
                assertThat(pytorch.description()).contains("PyTorch 2.7.1");
            }
        }
    }
}
