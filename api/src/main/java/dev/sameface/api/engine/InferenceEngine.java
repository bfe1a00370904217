package dev.sameface.api.engine;

import java.util.List;

/** A live inference engine. Holds native resources: close it; use after close throws IllegalStateException. */
public interface InferenceEngine extends AutoCloseable {
    /** The provider name, e.g. {@code onnxruntime}. */
    String name();

    /** Version and device, e.g. {@code ONNX Runtime 1.23.2 CPU, 1 intra-op thread}. */
    String description();

    /** The model file formats this engine loads, most preferred first. */
    List<ModelFormat> formats();

    /** Loads and compiles a model. The caller owns the result and closes it. */
    CompiledModel load(ModelSource source);

    @Override
    void close();
}
