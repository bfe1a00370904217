package dev.sameface.api.engine;

/**
 * Service interface for inference engines: list an implementation in
 * {@code META-INF/services/dev.sameface.api.engine.InferenceEngineProvider}. Keep it tiny: creating the provider
 * must not load native code; {@link #availability()} may probe for it but must not throw.
 */
public interface InferenceEngineProvider {
    /** The name configurations use: {@code onnxruntime}, {@code openvino}, {@code djl-pytorch}, ... */
    String name();

    /** Preference when nothing is named; higher wins among available engines. */
    int rank();

    /** Whether the engine can run here, and if not, a one-line reason that says how to fix it. Never throws. */
    Availability availability();

    default boolean isAvailable() {
        return availability().available();
    }

    /** Creates an engine. Throws {@link dev.sameface.api.FaceException} with ENGINE_UNAVAILABLE if it cannot. */
    InferenceEngine create(EngineOptions options);
}
