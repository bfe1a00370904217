package dev.sameface.openvino.binding;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** {@code ov_compiled_model_t}: a model compiled for one device. */
public final class OvCompiledModel extends NativeObject {
    OvCompiledModel(OpenVino ov, MemorySegment pointer) {
        super(ov, "OpenVINO compiled model", pointer);
    }

    public List<OvPort> inputs() {
        return ports(ov.api.compiledModelInputsSize, ov.api.compiledModelInputByIndex, "input");
    }

    public List<OvPort> outputs() {
        return ports(ov.api.compiledModelOutputsSize, ov.api.compiledModelOutputByIndex, "output");
    }

    /** The input that has tensor name {@code name} among its names (not only its "any" name), if any. */
    public Optional<OvPort> inputByName(String name) {
        return portByName(ov.api.compiledModelInputByName, name);
    }

    /** The output that has tensor name {@code name} among its names, if any. */
    public Optional<OvPort> outputByName(String name) {
        return portByName(ov.api.compiledModelOutputByName, name);
    }

    private Optional<OvPort> portByName(MethodHandle byName, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            int status = (int) byName.invokeExact(pointer(), arena.allocateFrom(name), out);
            if (status != 0) {
                // Not found is an answer here, not an error; OpenVINO's message for it is not needed.
                return Optional.empty();
            }
            MemorySegment port = out.get(ADDRESS, 0);
            try {
                return Optional.of(describe(arena, port, name));
            } finally {
                ov.api.outputConstPortFree.invokeExact(port);
            }
        } catch (FaceException | IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw OvErrors.unexpected("ov_compiled_model port by name", t);
        }
    }

    private List<OvPort> ports(MethodHandle size, MethodHandle byIndex, String kind) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_LONG);
            ov.check((int) size.invokeExact(pointer(), count), ErrorCode.MODEL_INCOMPATIBLE, "ov_compiled_model_" + kind + "s_size");
            List<OvPort> ports = new ArrayList<>();
            for (long i = 0; i < count.get(JAVA_LONG, 0); i++) {
                MemorySegment out = arena.allocate(ADDRESS);
                ov.check((int) byIndex.invokeExact(pointer(), i, out), ErrorCode.MODEL_INCOMPATIBLE,
                        "ov_compiled_model_" + kind + "_by_index(" + i + ")");
                MemorySegment port = out.get(ADDRESS, 0);
                try {
                    ports.add(describe(arena, port, kind + " " + i));
                } finally {
                    ov.api.outputConstPortFree.invokeExact(port);
                }
            }
            return List.copyOf(ports);
        } catch (FaceException | IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw OvErrors.unexpected("ov_compiled_model ports", t);
        }
    }

    private OvPort describe(Arena arena, MemorySegment port, String what) throws Throwable {
        MemorySegment name = arena.allocate(ADDRESS);
        ov.check((int) ov.api.portGetAnyName.invokeExact(port, name), ErrorCode.MODEL_INCOMPATIBLE,
                "ov_port_get_any_name(" + what + ")");
        String tensorName = ov.takeString(name.get(ADDRESS, 0));
        MemorySegment type = arena.allocate(JAVA_INT);
        ov.check((int) ov.api.portGetElementType.invokeExact(port, type), ErrorCode.MODEL_INCOMPATIBLE,
                "ov_port_get_element_type(" + tensorName + ")");
        MemorySegment ps = arena.allocate(OvNative.PARTIAL_SHAPE);
        ov.check((int) ov.api.portGetPartialShape.invokeExact(port, ps), ErrorCode.MODEL_INCOMPATIBLE,
                "ov_port_get_partial_shape(" + tensorName + ")");
        try {
            long rankMin = ps.get(JAVA_LONG, 0);
            long rankMax = ps.get(JAVA_LONG, 8);
            if (rankMin != rankMax) {
                throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "model " + what + " " + tensorName + " has a dynamic rank");
            }
            MemorySegment dims = ps.get(ADDRESS, 16).reinterpret(rankMin * OvNative.DIMENSION.byteSize());
            long[] min = new long[(int) rankMin];
            long[] max = new long[(int) rankMin];
            for (int d = 0; d < rankMin; d++) {
                min[d] = dims.get(JAVA_LONG, d * 16L);
                max[d] = dims.get(JAVA_LONG, d * 16L + 8);
            }
            return new OvPort(tensorName, OvElementType.of(type.get(JAVA_INT, 0)), min, max);
        } finally {
            ov.api.partialShapeFree.invokeExact(ps);
        }
    }

    public OvInferRequest createInferRequest() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            ov.check((int) ov.api.compiledModelCreateInferRequest.invokeExact(pointer(), out), ErrorCode.INFERENCE_ERROR,
                    "ov_compiled_model_create_infer_request");
            return new OvInferRequest(ov, out.get(ADDRESS, 0));
        } catch (FaceException | IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw OvErrors.unexpected("ov_compiled_model_create_infer_request", t);
        }
    }

    /** {@code ov_compiled_model_get_property}: the value the plugin actually uses, e.g. INFERENCE_PRECISION_HINT. */
    public String property(String key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            ov.check((int) ov.api.compiledModelGetProperty.invokeExact(pointer(), arena.allocateFrom(key), out),
                    ErrorCode.INFERENCE_ERROR, "ov_compiled_model_get_property(" + key + ")");
            return ov.takeString(out.get(ADDRESS, 0));
        } catch (FaceException | IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw OvErrors.unexpected("ov_compiled_model_get_property", t);
        }
    }

    @Override
    void free(MemorySegment p) throws Throwable {
        ov.api.compiledModelFree.invokeExact(p);
    }
}
