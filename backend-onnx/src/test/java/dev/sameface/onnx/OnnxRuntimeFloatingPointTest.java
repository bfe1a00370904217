package dev.sameface.onnx;

import dev.sameface.api.engine.Availability;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.testing.DenormalOutputSuite;

import static org.junit.jupiter.api.Assertions.fail;

/** The floating-point rule (docs/floating-point.md) on engine onnxruntime. */
class OnnxRuntimeFloatingPointTest extends DenormalOutputSuite {
    @Override
    protected InferenceEngine create(EngineOptions options) {
        OnnxRuntimeEngineProvider provider = new OnnxRuntimeEngineProvider();
        Availability a = provider.availability();
        if (!a.available()) {
            fail("ONNX Runtime unavailable: " + a.reason());
        }
        return provider.create(options);
    }
}
