package dev.sameface.openvino.binding;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;

/** {@code ov_infer_request_t}: one synchronous inference context of a compiled model. */
public final class OvInferRequest extends NativeObject {
    OvInferRequest(OpenVino ov, MemorySegment pointer) {
        super(ov, "OpenVINO infer request", pointer);
    }

    /** Binds input {@code index} to {@code tensor}; the request reads the tensor's memory on the next infer. */
    public void setInputTensor(int index, OvTensor tensor) {
        try {
            int status = (int) ov.api.inferRequestSetInputTensorByIndex.invokeExact(pointer(), (long) index, tensor.pointer());
            ov.check(status, ErrorCode.MODEL_INCOMPATIBLE, "ov_infer_request_set_input_tensor_by_index(" + index + ")");
        } catch (FaceException | IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw OvErrors.unexpected("ov_infer_request_set_input_tensor_by_index", t);
        }
    }

    /** Runs inference on the calling thread (with INFERENCE_NUM_THREADS=1, NUM_STREAMS=1). */
    public void infer() {
        try {
            ov.check((int) ov.api.inferRequestInfer.invokeExact(pointer()), ErrorCode.INFERENCE_ERROR, "ov_infer_request_infer");
        } catch (FaceException | IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw OvErrors.unexpected("ov_infer_request_infer", t);
        }
    }

    /** Output {@code index} of the last inference; the caller closes it (the data stays owned by the request). */
    public OvTensor outputTensor(int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            int status = (int) ov.api.inferRequestGetOutputTensorByIndex.invokeExact(pointer(), (long) index, out);
            ov.check(status, ErrorCode.INFERENCE_ERROR, "ov_infer_request_get_output_tensor_by_index(" + index + ")");
            return new OvTensor(ov, out.get(ADDRESS, 0), null);
        } catch (FaceException | IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw OvErrors.unexpected("ov_infer_request_get_output_tensor_by_index", t);
        }
    }

    @Override
    void free(MemorySegment p) throws Throwable {
        ov.api.inferRequestFree.invokeExact(p);
    }
}
