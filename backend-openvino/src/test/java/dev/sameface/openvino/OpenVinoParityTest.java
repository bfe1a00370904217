package dev.sameface.openvino;

import org.junit.jupiter.api.Tag;
import dev.sameface.pipeline.testing.EngineParitySuite;

/** The shared pipeline-level parity suite (ONNX Runtime f32 as reference), run on OpenVINO found by ServiceLoader. */
@Tag("slow") // a parity suite over LFW photos, about 2 min
class OpenVinoParityTest extends EngineParitySuite {
    @Override
    protected String engine() {
        return OpenVinoEngineProvider.NAME;
    }

    @Override
    protected String engineDescriptionHint() {
        return "OpenVINO";
    }
}
