package dev.sameface.djl;

import dev.sameface.api.engine.Availability;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.InferenceEngineProvider;

/**
 * Registers DJL's ONNX Runtime engine as {@code djl-onnxruntime}: the same ONNX Runtime as engine
 * {@code onnxruntime}, reached through DJL's NDManager / NDArray / SymbolBlock layer, to measure what that layer costs.
 */
public final class DjlOnnxRuntimeEngineProvider implements InferenceEngineProvider {
    public static final String NAME = "djl-onnxruntime";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rank() {
        return 10;
    }

    /**
     * Starts DJL's OnnxRuntime engine (loading ONNX Runtime), since that is the only way to know: it fails when
     * another engine has already started ONNX Runtime in this process (see {@link DjlRuntime#engine}).
     */
    @Override
    public Availability availability() {
        String problem = DjlRuntime.platformProblem();
        if (problem != null) {
            return Availability.unavailable(NAME + ": " + problem);
        }
        try {
            DjlRuntime.configure(EngineOptions.singleThreaded());
            DjlRuntime.engine("OnnxRuntime", NAME);
            return Availability.ok();
        } catch (dev.sameface.api.FaceException e) {
            return Availability.unavailable(e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable(NAME + ": ONNX Runtime failed to load: " + NdArrays.rootMessage(e));
        }
    }

    @Override
    public InferenceEngine create(EngineOptions options) {
        return new DjlOnnxRuntimeEngine(options);
    }
}
