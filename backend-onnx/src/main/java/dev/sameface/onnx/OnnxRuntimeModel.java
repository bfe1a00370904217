package dev.sameface.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.Denormals;
import dev.sameface.api.engine.FloatingPointMode;
import dev.sameface.api.engine.Tensor;
import dev.sameface.onnxruntime.OnnxRuntimeSessions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One ONNX Runtime session. Inputs are handed over as the caller's direct buffers; outputs are copied once. */
final class OnnxRuntimeModel implements CompiledModel {
    private final String id;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<dev.sameface.api.engine.TensorInfo> inputs;
    private final List<dev.sameface.api.engine.TensorInfo> outputs;
    private final Denormals denormals;
    private boolean closed;

    OnnxRuntimeModel(String id, OrtEnvironment env, OrtSession session, Denormals denormals) throws OrtException {
        this.id = id;
        this.env = env;
        this.session = session;
        this.denormals = denormals;
        this.inputs = OnnxRuntimeSessions.describe(session.getInputInfo());
        this.outputs = OnnxRuntimeSessions.describe(session.getOutputInfo());
    }

    @Override
    public List<dev.sameface.api.engine.TensorInfo> inputs() {
        return inputs;
    }

    @Override
    public List<dev.sameface.api.engine.TensorInfo> outputs() {
        return outputs;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> in) {
        if (closed) {
            throw new IllegalStateException("model " + id + " is closed");
        }
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try (var fp = FloatingPointMode.enter(denormals)) {
            for (var e : in.entrySet()) {
                Tensor t = e.getValue();
                FloatBuffer fb = t.buffer().duplicate().rewind();
                feeds.put(e.getKey(), OnnxTensor.createTensor(env, fb, t.shape()));
            }
            try (OrtSession.Result result = session.run(feeds)) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    if (!(e.getValue() instanceof OnnxTensor ot)) {
                        throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "model " + id + " output " + e.getKey() + " is not a tensor");
                    }
                    out.put(e.getKey(), copy(ot));
                }
                return out;
            }
        } catch (OrtException e) {
            ErrorCode code = e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT
                    ? ErrorCode.MODEL_INCOMPATIBLE : ErrorCode.INFERENCE_ERROR;
            throw new FaceException(code, "ONNX Runtime failed running " + id + ": " + e.getMessage(), e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private Tensor copy(OnnxTensor ot) {
        long[] shape = ot.getInfo().getShape();
        if (ot.getInfo().type != ai.onnxruntime.OnnxJavaType.FLOAT) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "model " + id + " gives " + ot.getInfo().type + " outputs; float32 expected");
        }
        ByteBuffer raw = ot.getByteBuffer().order(ByteOrder.nativeOrder());
        Tensor t = Tensor.allocate(shape);
        t.buffer().put(0, raw.asFloatBuffer(), 0, t.size());
        return t;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            throw new FaceException(ErrorCode.INFERENCE_ERROR, "ONNX Runtime failed to release model " + id + ": " + e.getMessage(), e);
        }
    }
}
