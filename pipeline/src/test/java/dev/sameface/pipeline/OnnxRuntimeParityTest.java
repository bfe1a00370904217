package dev.sameface.pipeline;

import org.junit.jupiter.api.Tag;
import dev.sameface.pipeline.testing.EngineParitySuite;

/**
 * The parity suite on the reference engine itself: trivially equal in f32, and the int8 and bf16 checks per
 * precision (int8 on ONNX Runtime is the copy the gate measured).
 */
@Tag("slow") // a parity suite over LFW photos per precision; needs the int8 copy
class OnnxRuntimeParityTest extends EngineParitySuite {
    @Override
    protected String engine() {
        return "onnxruntime";
    }

    @Override
    protected String engineDescriptionHint() {
        return "ONNX Runtime";
    }
}
