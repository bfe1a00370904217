package dev.sameface.djl;

import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.Denormals;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.FloatingPointMode;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.testing.DenormalOutputSuite;
import dev.sameface.djl.Fixtures.TestModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The floating-point rule (docs/floating-point.md) on engine djl-onnxruntime, and order independence with
 * djl-pytorch on one thread (each test class runs in a JVM of its own, so DJL's OnnxRuntime engine starts first).
 */
class DjlOnnxRuntimeFloatingPointTest extends DenormalOutputSuite {
    @Override
    protected InferenceEngine create(EngineOptions options) {
        return Fixtures.engine(DjlOnnxRuntimeEngineProvider.NAME, options);
    }

    @Test
    void onnxRuntimeKeepsDenormalsAfterPyTorchFlushedOnTheSameThread(@TempDir Path dir) throws IOException {
        float[] ieee = ieeeOutput();
        FloatingPointMode before = FloatingPointMode.current();
        try (InferenceEngine ort = create(options(Denormals.KEEP));
             InferenceEngine torch = Fixtures.engine(DjlPyTorchEngineProvider.NAME, options(Denormals.FLUSH));
             CompiledModel landmarks = torch.load(Fixtures.source(TestModel.LANDMARKS))) {
            for (int round = 0; round < 2; round++) {
                landmarks.run(DjlPyTorchFloatingPointTest.landmarkInput());
                assertThat(output(ort, dir)).as("djl-onnxruntime keep after djl-pytorch flush, round " + round).containsExactly(ieee);
            }
        }
        assertThat(FloatingPointMode.current()).isEqualTo(before);
    }
}
