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
        // Only checks that the binding is on the class path, without initialising it: creating ONNX Runtime's
        // environment here would stop DJL's OnnxRuntime engine from creating its own later in the same process.
        // A native library that fails to link is reported by create() as ENGINE_UNAVAILABLE.
        try {
            Class.forName("ai.onnxruntime.OrtEnvironment", false, OnnxRuntimeEngineProvider.class.getClassLoader());
            return Availability.ok();
        } catch (ClassNotFoundException | LinkageError e) {
            return Availability.unavailable("ONNX Runtime's Java binding (com.microsoft.onnxruntime:onnxruntime) is not on the class path");
        }
    }

    @Override
    public InferenceEngine create(EngineOptions options) {
        return new OnnxRuntimeEngine(options);
    }
}
