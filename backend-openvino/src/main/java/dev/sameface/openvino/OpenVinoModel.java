package dev.sameface.openvino;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.Denormals;
import dev.sameface.api.engine.FloatingPointMode;
import dev.sameface.api.engine.Tensor;
import dev.sameface.api.engine.TensorInfo;
import dev.sameface.openvino.binding.OpenVino;
import dev.sameface.openvino.binding.OvCompiledModel;
import dev.sameface.openvino.binding.OvElementType;
import dev.sameface.openvino.binding.OvInferRequest;
import dev.sameface.openvino.binding.OvPort;
import dev.sameface.openvino.binding.OvTensor;

import java.lang.foreign.MemorySegment;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One compiled model with one infer request. Inputs are handed to OpenVINO as the caller's own direct buffers
 * (host-pointer tensors, no copy); each output is copied once into a new Tensor the caller owns. Dynamic inputs
 * (YuNet's H and W) take whatever shape fits the model's bounds on each call.
 */
public final class OpenVinoModel implements CompiledModel {
    private final OpenVino ov;
    private final String id;
    private final OvCompiledModel compiled;
    private final OvInferRequest request;
    private final List<OvPort> inputPorts;
    private final List<OvPort> outputPorts;
    private final List<TensorInfo> inputs;
    private final List<TensorInfo> outputs;
    private final String precision;
    private final Denormals denormals;
    private boolean closed;

    /**
     * @param inputNames  the names callers use for the inputs (the ONNX graph's), resolved to ports by name; a port
     *                    none of them names keeps OpenVINO's "any" name
     * @param outputNames the same for outputs
     * @param denormals   the floating-point mode each inference runs under
     */
    OpenVinoModel(OpenVino ov, String id, OvCompiledModel compiled, List<String> inputNames, List<String> outputNames,
                  Denormals denormals) {
        this.ov = ov;
        this.denormals = denormals;
        this.id = id;
        this.compiled = compiled;
        this.inputPorts = rename(compiled.inputs(), inputNames, compiled::inputByName);
        this.outputPorts = rename(compiled.outputs(), outputNames, compiled::outputByName);
        for (OvPort p : inputPorts) {
            requireF32(p, "input");
        }
        for (OvPort p : outputPorts) {
            requireF32(p, "output");
        }
        this.inputs = inputPorts.stream().map(p -> new TensorInfo(p.name(), p.shape())).toList();
        this.outputs = outputPorts.stream().map(p -> new TensorInfo(p.name(), p.shape())).toList();
        this.precision = compiled.property("INFERENCE_PRECISION_HINT");
        this.request = compiled.createInferRequest();
    }

    /** Ports keyed by the public names: a name whose port has the same "any" name as port i renames port i. */
    private static List<OvPort> rename(List<OvPort> ports, List<String> names, Function<String, Optional<OvPort>> byName) {
        List<OvPort> renamed = new ArrayList<>(ports);
        for (String name : names) {
            Optional<OvPort> found = byName.apply(name);
            if (found.isEmpty()) {
                continue;
            }
            for (int i = 0; i < ports.size(); i++) {
                OvPort p = ports.get(i);
                if (p.name().equals(found.get().name())) {
                    renamed.set(i, new OvPort(name, p.elementType(), p.minDims(), p.maxDims()));
                }
            }
        }
        return List.copyOf(renamed);
    }

    private void requireF32(OvPort p, String kind) {
        if (p.elementType() != OvElementType.F32) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "model " + id + " " + kind + " " + p.name() + " is "
                    + p.elementType() + "; sameface engines exchange float32 tensors only");
        }
    }

    @Override
    public List<TensorInfo> inputs() {
        return inputs;
    }

    @Override
    public List<TensorInfo> outputs() {
        return outputs;
    }

    /** The precision OpenVINO actually compiled the model for, e.g. {@code f32}. */
    public String precision() {
        return precision;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> in) {
        if (closed) {
            throw new IllegalStateException("model " + id + " is closed");
        }
        checkNames(in);
        List<OvTensor> bound = new ArrayList<>(inputPorts.size());
        try (var fp = FloatingPointMode.enter(denormals)) {
            for (int i = 0; i < inputPorts.size(); i++) {
                OvPort port = inputPorts.get(i);
                Tensor t = in.get(port.name());
                if (!port.accepts(t.shape())) {
                    throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "model " + id + " input " + port.name()
                            + " takes shape " + Arrays.toString(port.shape()) + ", got " + Arrays.toString(t.shape()));
                }
                // The whole buffer, whatever the caller left its position at.
                FloatBuffer whole = t.buffer().duplicate().clear();
                OvTensor ovt = OvTensor.ofHostFloats(ov, MemorySegment.ofBuffer(whole), t.shape());
                bound.add(ovt);
                request.setInputTensor(i, ovt);
            }
            request.infer();
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < outputPorts.size(); i++) {
                try (OvTensor o = request.outputTensor(i)) {
                    Tensor copy = Tensor.allocate(o.shape());
                    MemorySegment src = o.data();
                    MemorySegment dst = MemorySegment.ofBuffer(copy.buffer().duplicate().clear());
                    if (src.byteSize() != dst.byteSize()) {
                        throw new FaceException(ErrorCode.INFERENCE_ERROR, "model " + id + " output "
                                + outputPorts.get(i).name() + " holds " + src.byteSize() + " bytes for shape "
                                + Arrays.toString(copy.shape()));
                    }
                    MemorySegment.copy(src, 0, dst, 0, dst.byteSize());
                    out.put(outputPorts.get(i).name(), copy);
                }
            }
            return out;
        } finally {
            // The request keeps its own reference to each ov::Tensor; these handles are ours to free.
            bound.forEach(OvTensor::close);
        }
    }

    private void checkNames(Map<String, Tensor> in) {
        for (OvPort p : inputPorts) {
            if (!in.containsKey(p.name())) {
                throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "model " + id + " needs input " + p.name()
                        + "; got " + in.keySet());
            }
        }
        if (in.size() != inputPorts.size()) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "model " + id + " takes inputs "
                    + inputPorts.stream().map(OvPort::name).toList() + "; got " + in.keySet());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            request.close();
            compiled.close();
        } finally {
            OpenDenormalsSetting.release();
        }
    }
}
