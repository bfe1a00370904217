package dev.sameface.openvino.binding;

import java.lang.foreign.MemorySegment;

/** {@code ov_model_t}: a model read but not compiled. */
public final class OvModel extends NativeObject {
    OvModel(OpenVino ov, MemorySegment pointer) {
        super(ov, "OpenVINO model", pointer);
    }

    @Override
    void free(MemorySegment p) throws Throwable {
        ov.api.modelFree.invokeExact(p);
    }
}
