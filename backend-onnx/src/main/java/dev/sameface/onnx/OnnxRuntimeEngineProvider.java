package dev.sameface.onnx;

import dev.sameface.api.engine.Availability;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.InferenceEngineProvider;

/** Registers ONNX Runtime as engine {@code onnxruntime}, the reference engine and the default. */
public final class OnnxRuntimeEngineProvider implements InferenceEngineProvider {
    public static final String NAME = "onnxruntime";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rank() {
        return 100;
    }

    @Override
    public Availability availability() {
        try {
            // Loading the environment extracts and links the native library bundled in the jar.
            OnnxRuntimeEngine.environment();
            return Availability.ok();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Availability.unavailable("ONNX Runtime native library failed to load: " + e.getMessage());
        }
    }

    @Override
    public InferenceEngine create(EngineOptions options) {
        return new OnnxRuntimeEngine(options);
    }
}
