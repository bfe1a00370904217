package dev.sameface.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.onnxruntime.engine.OrtSymbolBlock;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.Denormals;
import dev.sameface.api.engine.FloatingPointMode;
import dev.sameface.api.engine.Tensor;
import dev.sameface.api.engine.TensorInfo;
import dev.sameface.onnxruntime.OnnxRuntimeSessions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ONNX Runtime session run through DJL's block. Inputs reach ONNX Runtime as the caller's direct buffers
 * (OnnxTensor.createTensor does not copy those); outputs are copied twice, once by DJL (OrtNDArray.toByteBuffer
 * copies the OnnxTensor) and once into the caller's tensor.
 */
final class DjlOnnxRuntimeModel implements CompiledModel {
    private final String id;
    private final NDManager manager;
    private final OrtSymbolBlock block;
    private final List<TensorInfo> inputs;
    private final List<TensorInfo> outputs;
    private final Denormals denormals;
    private boolean closed;

    DjlOnnxRuntimeModel(String id, NDManager manager, OrtSymbolBlock block, OrtSession session, Denormals denormals) throws OrtException {
        this.id = id;
        this.denormals = denormals;
        this.manager = manager;
        this.block = block;
        this.inputs = OnnxRuntimeSessions.describe(session.getInputInfo());
        this.outputs = OnnxRuntimeSessions.describe(session.getOutputInfo());
    }

    @Override
    public List<TensorInfo> inputs() {
        return inputs;
    }

    @Override
    public List<TensorInfo> outputs() {
        return outputs;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> given) {
        if (closed) {
            throw new IllegalStateException("model " + id + " is closed");
        }
        NdArrays.checkInputs(id, inputs, given);
        try (var fp = FloatingPointMode.enter(denormals); NDManager run = manager.newSubManager()) {
            NDList in = new NDList(inputs.size());
            for (TensorInfo info : inputs) {
                Tensor t = given.get(info.name());
                NDArray nd = run.create(NdArrays.floats(t), new Shape(t.shape()));
                nd.setName(info.name());
                in.add(nd);
            }
            NDList out = block.forward(new ParameterStore(run, false), in, false);
            Map<String, Tensor> result = new LinkedHashMap<>();
            for (NDArray nd : out) {
                result.put(nd.getName(), NdArrays.toTensor(nd, id, nd.getName()));
            }
            return result;
        } catch (FaceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new FaceException(ErrorCode.INFERENCE_ERROR, "DJL's ONNX Runtime failed running " + id + ": "
                    + NdArrays.rootMessage(e), e);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }
}
