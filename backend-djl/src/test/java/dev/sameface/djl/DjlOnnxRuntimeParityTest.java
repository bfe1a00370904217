package dev.sameface.djl;

import dev.sameface.pipeline.testing.EngineParitySuite;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared pipeline-level parity suite (ONNX Runtime f32 as reference) on djl-onnxruntime. */
@Tag("slow") // a parity suite over LFW photos, about 2 min
class DjlOnnxRuntimeParityTest extends EngineParitySuite {
    /**
     * The suite builds its onnxruntime reference first; DJL's OnnxRuntime engine must be the one that starts ONNX
     * Runtime in a process (DjlOnnxRuntimeOrderTest), so it is started before any test of this class (own JVM).
     */
    @BeforeAll
    static void startDjlOnnxRuntimeFirst() {
        Fixtures.quietOnnxRuntimeEnvironmentWarnings();
        var availability = Fixtures.provider(DjlOnnxRuntimeEngineProvider.NAME).availability();
        assertThat(availability.available()).as(availability.reason()).isTrue();
    }

    @Override
    protected String engine() {
        return DjlOnnxRuntimeEngineProvider.NAME;
    }

    @Override
    protected String engineDescriptionHint() {
        return "DJL";
    }
}
