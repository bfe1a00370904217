package dev.sameface.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.Denormals;
import dev.sameface.api.engine.FloatingPointMode;
import dev.sameface.api.engine.Tensor;
import dev.sameface.api.engine.TensorInfo;
import dev.sameface.torchscript.TorchScriptSidecar;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One TorchScript module. Inputs are handed to libtorch as the caller's own memory (torch::from_blob); each
 * output is copied once into a tensor the caller owns. TorchScript has no output names: they come positionally
 * from the export's sidecar (the original ONNX names).
 */
final class DjlPyTorchModel implements CompiledModel {
    private final String id;
    private final Model model;
    private final List<TensorInfo> inputs;
    private final List<TensorInfo> outputs;
    private final boolean graphOptimizer;
    private final Denormals denormals;
    private boolean closed;

    DjlPyTorchModel(String id, Model model, List<TensorInfo> inputs, List<TensorInfo> outputs, boolean graphOptimizer,
                    Denormals denormals) {
        this.id = id;
        this.model = model;
        this.inputs = inputs;
        this.outputs = outputs;
        this.graphOptimizer = graphOptimizer;
        this.denormals = denormals;
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
        // Every array of this run (inputs, outputs, temporaries) dies with this manager.
        try (var fp = FloatingPointMode.enter(denormals); NDManager run = model.getNDManager().newSubManager()) {
            NDList in = new NDList(inputs.size());
            for (TensorInfo info : inputs) {
                Tensor t = given.get(info.name());
                in.add(run.create(NdArrays.bytes(t), new Shape(t.shape()), DataType.FLOAT32));
            }
            // The executor mode is thread-local in libtorch, so it is set on the calling thread before each run.
            JniUtils.setGraphExecutorOptimize(graphOptimizer);
            NDList out = model.getBlock().forward(new ParameterStore(run, false), in, false);
            if (out.size() != outputs.size()) {
                throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "TorchScript model " + id + " returned " + out.size()
                        + " outputs but its sidecar names " + outputs.size() + "; run: " + TorchScriptSidecar.PREPARE);
            }
            Map<String, Tensor> result = new LinkedHashMap<>();
            for (int i = 0; i < out.size(); i++) {
                NDArray nd = out.get(i);
                String name = outputs.get(i).name();
                result.put(name, NdArrays.toTensor(nd, id, name));
            }
            return result;
        } catch (FaceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new FaceException(ErrorCode.INFERENCE_ERROR, "libtorch failed running " + id + ": " + NdArrays.rootMessage(e), e);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            model.close();
        }
    }
}
