package dev.sameface.openvino.binding;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;

/** {@code ov_core_t}: reads and compiles models. */
public final class OvCore extends NativeObject {
    OvCore(OpenVino ov, MemorySegment pointer) {
        super(ov, "OpenVINO core", pointer);
    }

    /**
     * {@code ov_core_read_model}: an ONNX, TFLite or IR file ({@code weights} is the IR's .bin, or null to use the
     * file next to it). A file OpenVINO cannot parse gives MODEL_INCOMPATIBLE with OpenVINO's message.
     */
    public OvModel readModel(Path model, Path weights) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment bin = weights == null ? MemorySegment.NULL : arena.allocateFrom(weights.toString());
            int status = (int) ov.api.coreReadModel.invokeExact(pointer(), arena.allocateFrom(model.toString()), bin, out);
            ov.check(status, ErrorCode.MODEL_INCOMPATIBLE, "ov_core_read_model(" + model + ")");
            return new OvModel(ov, out.get(ADDRESS, 0));
        } catch (FaceException | IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw OvErrors.unexpected("ov_core_read_model", t);
        }
    }

    /** {@code ov_core_compile_model} with string properties, e.g. {@code INFERENCE_NUM_THREADS=1}. */
    public OvCompiledModel compileModel(OvModel model, String device, Map<String, String> properties) {
        return compile("ov_core_compile_model", model.pointer(), device, properties, "model");
    }

    /**
     * {@code ov_core_compile_model_from_file}: with {@code CACHE_DIR} set, a cache hit imports the compiled blob
     * without reading or compiling the model file again.
     */
    public OvCompiledModel compileModelFromFile(Path model, String device, Map<String, String> properties) {
        try (Arena arena = Arena.ofConfined()) {
            return compile("ov_core_compile_model_from_file", arena.allocateFrom(model.toString()), device, properties,
                    model.toString());
        }
    }

    private OvCompiledModel compile(String function, MemorySegment modelArg, String device,
                                    Map<String, String> properties, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            List<Object> args = new ArrayList<>();
            args.add(pointer());
            args.add(modelArg);
            args.add(arena.allocateFrom(device));
            args.add((long) properties.size() * 2);
            args.add(out);
            for (var e : properties.entrySet()) {
                args.add(arena.allocateFrom(e.getKey()));
                args.add(arena.allocateFrom(e.getValue()));
            }
            MethodHandle h = ov.api.compileVariadic(function, properties.size() * 2);
            int status = (int) h.invokeWithArguments(args);
            ov.check(status, ErrorCode.MODEL_INCOMPATIBLE, function + "(" + what + ", " + device + ", " + properties + ")");
            return new OvCompiledModel(ov, out.get(ADDRESS, 0));
        } catch (FaceException | IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw OvErrors.unexpected(function, t);
        }
    }

    /** {@code ov_core_get_property}, e.g. ("CPU", "FULL_DEVICE_NAME"). */
    public String property(String device, String key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            int status = (int) ov.api.coreGetProperty.invokeExact(pointer(), arena.allocateFrom(device),
                    arena.allocateFrom(key), out);
            ov.check(status, ErrorCode.INFERENCE_ERROR, "ov_core_get_property(" + device + ", " + key + ")");
            return ov.takeString(out.get(ADDRESS, 0));
        } catch (FaceException | IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw OvErrors.unexpected("ov_core_get_property", t);
        }
    }

    @Override
    void free(MemorySegment p) throws Throwable {
        ov.api.coreFree.invokeExact(p);
    }
}
