package dev.sameface.api.engine;

import java.util.List;
import java.util.Map;

/**
 * A model ready to run on one engine. Used by one thread at a time. Inputs and outputs are float32 tensors keyed
 * by the model's own tensor names; the returned tensors belong to the caller and stay valid after close.
 */
public interface CompiledModel extends AutoCloseable {
    List<TensorInfo> inputs();

    List<TensorInfo> outputs();

    /**
     * Runs the model once. Throws {@link dev.sameface.api.FaceException} with INFERENCE_ERROR (engine failure) or
     * MODEL_INCOMPATIBLE (wrong input names or shapes) instead of engine-specific exceptions.
     */
    Map<String, Tensor> run(Map<String, Tensor> inputs);

    @Override
    void close();
}
