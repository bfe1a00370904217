package dev.sameface.openvino.binding;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Hand-written downcall handles for the part of OpenVINO's C API ({@code openvino/c/*.h}) that sameface uses.
 * Signatures follow the 2026.4 headers; {@code ov_status_e} and {@code ov_element_type_e} are C enums (int),
 * {@code size_t} is 64-bit on the only platform the runtime is fetched for (linux x86_64).
 */
final class OvNative {
    /** {@code ov_shape_t}: {@code int64_t rank; int64_t* dims;}, passed by value to the tensor constructors. */
    static final StructLayout SHAPE = MemoryLayout.structLayout(JAVA_LONG.withName("rank"), ADDRESS.withName("dims"));
    /** {@code ov_dimension_t}: {@code int64_t min, max;} ({@code max == -1}: unbounded). */
    static final StructLayout DIMENSION = MemoryLayout.structLayout(JAVA_LONG.withName("min"), JAVA_LONG.withName("max"));
    /** {@code ov_partial_shape_t}: {@code ov_rank_t rank; ov_dimension_t* dims;}. */
    static final StructLayout PARTIAL_SHAPE = MemoryLayout.structLayout(DIMENSION.withName("rank"), ADDRESS.withName("dims"));
    /** {@code ov_version_t}: {@code const char* buildNumber; const char* description;}. */
    static final StructLayout VERSION = MemoryLayout.structLayout(ADDRESS.withName("buildNumber"), ADDRESS.withName("description"));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final int COMPILE_FIXED_ARGS = 5;

    private final SymbolLookup lookup;

    final MethodHandle free;
    final MethodHandle getLastErrMsg;
    final MethodHandle getErrorInfo;
    final MethodHandle getOpenvinoVersion;
    final MethodHandle versionFree;

    final MethodHandle coreCreate;
    final MethodHandle coreFree;
    final MethodHandle coreReadModel;
    final MethodHandle coreGetProperty;

    final MethodHandle modelFree;

    final MethodHandle compiledModelInputsSize;
    final MethodHandle compiledModelOutputsSize;
    final MethodHandle compiledModelInputByIndex;
    final MethodHandle compiledModelOutputByIndex;
    final MethodHandle compiledModelInputByName;
    final MethodHandle compiledModelOutputByName;
    final MethodHandle compiledModelCreateInferRequest;
    final MethodHandle compiledModelGetProperty;
    final MethodHandle compiledModelFree;

    final MethodHandle portGetAnyName;
    final MethodHandle portGetPartialShape;
    final MethodHandle portGetElementType;
    final MethodHandle outputConstPortFree;
    final MethodHandle partialShapeFree;

    final MethodHandle inferRequestSetInputTensorByIndex;
    final MethodHandle inferRequestGetOutputTensorByIndex;
    final MethodHandle inferRequestInfer;
    final MethodHandle inferRequestFree;

    final MethodHandle tensorCreateFromHostPtr;
    final MethodHandle tensorGetShape;
    final MethodHandle tensorGetElementType;
    final MethodHandle tensorGetByteSize;
    final MethodHandle tensorData;
    final MethodHandle tensorFree;
    final MethodHandle shapeFree;

    /** The variadic compile functions need one handle per number of variadic arguments. */
    private final Map<String, MethodHandle> variadic = new ConcurrentHashMap<>();

    OvNative(SymbolLookup lookup) {
        this.lookup = lookup;
        free = handle("ov_free", FunctionDescriptor.ofVoid(ADDRESS));
        getLastErrMsg = handle("ov_get_last_err_msg", FunctionDescriptor.of(ADDRESS));
        getErrorInfo = handle("ov_get_error_info", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        getOpenvinoVersion = handle("ov_get_openvino_version", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        versionFree = handle("ov_version_free", FunctionDescriptor.ofVoid(ADDRESS));

        coreCreate = handle("ov_core_create", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        coreFree = handle("ov_core_free", FunctionDescriptor.ofVoid(ADDRESS));
        coreReadModel = handle("ov_core_read_model", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        coreGetProperty = handle("ov_core_get_property", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

        modelFree = handle("ov_model_free", FunctionDescriptor.ofVoid(ADDRESS));

        compiledModelInputsSize = handle("ov_compiled_model_inputs_size", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        compiledModelOutputsSize = handle("ov_compiled_model_outputs_size", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        compiledModelInputByIndex = handle("ov_compiled_model_input_by_index", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
        compiledModelOutputByIndex = handle("ov_compiled_model_output_by_index", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
        compiledModelInputByName = handle("ov_compiled_model_input_by_name", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        compiledModelOutputByName = handle("ov_compiled_model_output_by_name", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        compiledModelCreateInferRequest = handle("ov_compiled_model_create_infer_request", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        compiledModelGetProperty = handle("ov_compiled_model_get_property", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        compiledModelFree = handle("ov_compiled_model_free", FunctionDescriptor.ofVoid(ADDRESS));

        portGetAnyName = handle("ov_port_get_any_name", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        portGetPartialShape = handle("ov_port_get_partial_shape", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        portGetElementType = handle("ov_port_get_element_type", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        outputConstPortFree = handle("ov_output_const_port_free", FunctionDescriptor.ofVoid(ADDRESS));
        partialShapeFree = handle("ov_partial_shape_free", FunctionDescriptor.ofVoid(ADDRESS));

        inferRequestSetInputTensorByIndex = handle("ov_infer_request_set_input_tensor_by_index", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
        inferRequestGetOutputTensorByIndex = handle("ov_infer_request_get_output_tensor_by_index", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
        inferRequestInfer = handle("ov_infer_request_infer", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        inferRequestFree = handle("ov_infer_request_free", FunctionDescriptor.ofVoid(ADDRESS));

        tensorCreateFromHostPtr = handle("ov_tensor_create_from_host_ptr", FunctionDescriptor.of(JAVA_INT, JAVA_INT, SHAPE, ADDRESS, ADDRESS));
        tensorGetShape = handle("ov_tensor_get_shape", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        tensorGetElementType = handle("ov_tensor_get_element_type", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        tensorGetByteSize = handle("ov_tensor_get_byte_size", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        tensorData = handle("ov_tensor_data", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        tensorFree = handle("ov_tensor_free", FunctionDescriptor.ofVoid(ADDRESS));
        shapeFree = handle("ov_shape_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private MethodHandle handle(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = lookup.find(name).orElseThrow(
                () -> new UnsatisfiedLinkError("symbol " + name + " not found in libopenvino_c"));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    /**
     * {@code ov_core_compile_model(core, model, device, size_t n, ov_compiled_model_t** out, ...)} and
     * {@code ov_core_compile_model_from_file(core, path, device, n, out, ...)}: after the five fixed arguments come
     * {@code n} variadic {@code const char*} values, alternating property key and value.
     */
    MethodHandle compileVariadic(String function, int variadicCount) {
        return variadic.computeIfAbsent(function + "/" + variadicCount, k -> {
            MemoryLayout[] args = new MemoryLayout[COMPILE_FIXED_ARGS + variadicCount];
            Arrays.fill(args, ADDRESS);
            args[3] = JAVA_LONG;
            FunctionDescriptor d = FunctionDescriptor.of(JAVA_INT, args);
            MemorySegment symbol = lookup.find(function).orElseThrow(
                    () -> new UnsatisfiedLinkError("symbol " + function + " not found in libopenvino_c"));
            return LINKER.downcallHandle(symbol, d, Linker.Option.firstVariadicArg(COMPILE_FIXED_ARGS));
        });
    }
}
