package dev.sameface.openvino;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.Denormals;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.FloatingPointMode;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.testing.DenormalModel;
import dev.sameface.api.engine.testing.DenormalOutputSuite;
import dev.sameface.onnx.OnnxRuntimeEngineProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The floating-point rule (docs/floating-point.md) on engine openvino, and order independence with ONNX Runtime in
 * one thread: OpenVINO's CPU_DENORMALS_OPTIMIZATION used to leave FTZ/DAZ set on the caller's thread, which made
 * ONNX Runtime run flushed afterwards (and the other way round).
 */
class OpenVinoFloatingPointTest extends DenormalOutputSuite {
    @Override
    protected InferenceEngine create(EngineOptions options) {
        return TestSetup.openVino(options);
    }

    private static InferenceEngine onnxRuntime(Denormals denormals) {
        TestSetup.onnxRuntime().close();  // fails the test with the reason when ONNX Runtime is unavailable
        return new OnnxRuntimeEngineProvider().create(options(denormals));
    }

    @Test
    void onnxRuntimeKeepsDenormalsAfterOpenVinoFlushedOnTheSameThread(@TempDir Path dir) throws IOException {
        float[] ieee = ieeeOutput();
        FloatingPointMode before = FloatingPointMode.current();
        try (InferenceEngine openVino = create(options(Denormals.FLUSH)); InferenceEngine ort = onnxRuntime(Denormals.KEEP)) {
            for (int round = 0; round < 2; round++) {
                assertThat(output(openVino, dir)).as("openvino flush, round " + round).containsExactly(0f, 0f);
                assertThat(output(ort, dir)).as("onnxruntime keep, round " + round).containsExactly(ieee);
            }
        }
        assertThat(FloatingPointMode.current()).isEqualTo(before);
    }

    @Test
    void openVinoKeepsDenormalsAfterOnnxRuntimeFlushedOnTheSameThread(@TempDir Path dir) throws IOException {
        float[] ieee = ieeeOutput();
        FloatingPointMode before = FloatingPointMode.current();
        try (InferenceEngine ort = onnxRuntime(Denormals.FLUSH); InferenceEngine openVino = create(options(Denormals.KEEP))) {
            for (int round = 0; round < 2; round++) {
                assertThat(output(ort, dir)).as("onnxruntime flush, round " + round).containsExactly(0f, 0f);
                assertThat(output(openVino, dir)).as("openvino keep, round " + round).containsExactly(ieee);
            }
        }
        assertThat(FloatingPointMode.current()).isEqualTo(before);
    }

    /** OpenVINO keeps a thread's first mode while any core is open: the other setting is refused, not wrong. */
    @Override
    @Test
    protected void twoEnginesWithOppositeSettingsOnOneThreadKeepTheirOwn(@TempDir Path dir) throws IOException {
        float[] ieee = ieeeOutput();
        for (int round = 0; round < 2; round++) {
            try (InferenceEngine flush = create(options(Denormals.FLUSH))) {
                assertThat(output(flush, dir)).as("flush, round " + round).containsExactly(0f, 0f);
                assertThatThrownBy(() -> create(options(Denormals.KEEP)))
                        .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR))
                        .hasMessageContainingAll("denormals=flush", "denormals=keep");
            }
            try (InferenceEngine keep = create(options(Denormals.KEEP))) {
                assertThat(output(keep, dir)).as("keep after the flush engine closed, round " + round).containsExactly(ieee);
                assertThatThrownBy(() -> create(options(Denormals.FLUSH)))
                        .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR));
            }
        }
    }

    @Test
    void aModelOutlivingItsEngineStillHoldsItsSetting(@TempDir Path dir) throws IOException {
        InferenceEngine flush = create(options(Denormals.FLUSH));
        CompiledModel model = flush.load(DenormalModel.write(dir));
        flush.close();
        try {
            assertThatThrownBy(() -> create(options(Denormals.KEEP))).isInstanceOf(FaceException.class);
        } finally {
            model.close();
        }
        try (InferenceEngine keep = create(options(Denormals.KEEP))) {
            assertThat(output(keep, dir)).containsExactly(ieeeOutput());
        }
    }

    @Test
    void compilePropertiesCarryTheSetting() {
        assertThat(OpenVinoEngine.compileProperties(EngineOptions.singleThreaded())).containsEntry("CPU_DENORMALS_OPTIMIZATION", "YES");
        assertThat(OpenVinoEngine.compileProperties(options(Denormals.KEEP))).containsEntry("CPU_DENORMALS_OPTIMIZATION", "NO");
    }
}
