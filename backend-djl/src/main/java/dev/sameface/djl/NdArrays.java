package dev.sameface.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.Tensor;
import dev.sameface.api.engine.TensorInfo;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Moves sameface tensors in and out of DJL NDArrays with as few copies as DJL allows. */
final class NdArrays {
    private NdArrays() {
    }

    /** The tensor's own memory as a direct float buffer covering all of it (position 0, limit = size). */
    static FloatBuffer floats(Tensor t) {
        return t.buffer().duplicate().clear();
    }

    /**
     * The tensor's own memory as a direct byte buffer: DJL's PyTorch manager wraps a direct ByteBuffer with
     * torch::from_blob (no copy), but copies any other buffer type, and a FloatBuffer view cannot give back its
     * ByteBuffer, so the memory is re-viewed through a MemorySegment.
     */
    static ByteBuffer bytes(Tensor t) {
        return MemorySegment.ofBuffer(floats(t)).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    /** Copies an output into a tensor the caller owns (DJL's arrays die with the run's NDManager). */
    static Tensor toTensor(NDArray nd, String modelId, String name) {
        if (nd.getDataType() != DataType.FLOAT32) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "model " + modelId + " output " + name + " is "
                    + nd.getDataType() + "; float32 expected");
        }
        Tensor t = Tensor.allocate(nd.getShape().getShape());
        ByteBuffer raw = nd.toByteBuffer(true).order(ByteOrder.nativeOrder());
        t.buffer().put(0, raw.asFloatBuffer(), 0, t.size());
        return t;
    }

    /** Checks the caller's inputs against the declared ones (names, rank, fixed dimensions) for a clear error. */
    static void checkInputs(String modelId, List<TensorInfo> declared, Map<String, Tensor> given) {
        for (TensorInfo info : declared) {
            Tensor t = given.get(info.name());
            if (t == null) {
                throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "model " + modelId + " needs input '" + info.name()
                        + "' (given " + given.keySet() + ")");
            }
            long[] want = info.shape();
            long[] have = t.shape();
            boolean ok = want.length == have.length;
            for (int i = 0; ok && i < want.length; i++) {
                ok = want[i] < 0 || want[i] == have[i];
            }
            if (!ok) {
                throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "model " + modelId + " input " + info.name() + " has shape "
                        + Arrays.toString(want) + " (-1 = any), given " + Arrays.toString(have));
            }
        }
        if (given.size() != declared.size()) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "model " + modelId + " takes inputs "
                    + declared.stream().map(TensorInfo::name).toList() + ", given " + given.keySet());
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // libtorch messages carry a multi-line C++ backtrace; the first line says what went wrong.
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
