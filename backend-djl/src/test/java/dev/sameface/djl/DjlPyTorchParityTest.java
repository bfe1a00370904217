package dev.sameface.djl;

import org.junit.jupiter.api.Tag;
import dev.sameface.pipeline.testing.EngineParitySuite;

/**
 * The shared pipeline-level parity suite (ONNX Runtime f32 as reference) on djl-pytorch, found by ServiceLoader,
 * with the TorchScript exports the model cache holds (tools/torchscript/prepare.sh).
 */
@Tag("slow") // a parity suite over LFW photos; needs the TorchScript export
class DjlPyTorchParityTest extends EngineParitySuite {
    @Override
    protected String engine() {
        return DjlPyTorchEngineProvider.NAME;
    }

    /** TorchScript is exported from the f32 ONNX model; there is no int8 TorchScript, and the engine says so. */
    @Override
    protected boolean runsInt8() {
        return false;
    }

    @Override
    protected String engineDescriptionHint() {
        return "PyTorch 2.7.1";
    }
}
