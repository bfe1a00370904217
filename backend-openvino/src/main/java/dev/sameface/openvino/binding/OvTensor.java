package dev.sameface.openvino.binding;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** {@code ov_tensor_t}. A host tensor shares the caller's memory; it keeps that memory reachable while open. */
public final class OvTensor extends NativeObject {
    /** The Java-owned memory a host tensor points at, held so that it cannot be freed under OpenVINO. */
    @SuppressWarnings("unused")
    private final MemorySegment host;

    OvTensor(OpenVino ov, MemorySegment pointer, MemorySegment host) {
        super(ov, "OpenVINO tensor", pointer);
        this.host = host;
    }

    /**
     * {@code ov_tensor_create_from_host_ptr}: an f32 tensor over {@code data} (native memory, e.g. a direct
     * buffer's segment) without copying it.
     */
    public static OvTensor ofHostFloats(OpenVino ov, MemorySegment data, long[] shape) {
        if (!data.isNative()) {
            throw new IllegalArgumentException("host tensor memory must be native (a direct buffer)");
        }
        long elements = 1;
        for (long d : shape) {
            elements = Math.multiplyExact(elements, d);
        }
        if (data.byteSize() < elements * JAVA_FLOAT.byteSize()) {
            throw new IllegalArgumentException("host memory of " + data.byteSize() + " bytes is too small for "
                    + elements + " floats");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dims = arena.allocateFrom(JAVA_LONG, shape);
            MemorySegment ovShape = arena.allocate(OvNative.SHAPE);
            ovShape.set(JAVA_LONG, 0, shape.length);
            ovShape.set(ADDRESS, 8, dims);
            MemorySegment out = arena.allocate(ADDRESS);
            int status = (int) ov.api.tensorCreateFromHostPtr.invokeExact(OvElementType.F32.ordinal(), ovShape, data, out);
            ov.check(status, ErrorCode.INFERENCE_ERROR, "ov_tensor_create_from_host_ptr");
            return new OvTensor(ov, out.get(ADDRESS, 0), data);
        } catch (FaceException e) {
            throw e;
        } catch (Throwable t) {
            throw OvErrors.unexpected("ov_tensor_create_from_host_ptr", t);
        }
    }

    public long[] shape() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(OvNative.SHAPE);
            ov.check((int) ov.api.tensorGetShape.invokeExact(pointer(), s), ErrorCode.INFERENCE_ERROR, "ov_tensor_get_shape");
            try {
                long rank = s.get(JAVA_LONG, 0);
                return s.get(ADDRESS, 8).reinterpret(rank * 8).toArray(JAVA_LONG);
            } finally {
                int ignoredStatus = (int) ov.api.shapeFree.invokeExact(s);
            }
        } catch (FaceException | IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw OvErrors.unexpected("ov_tensor_get_shape", t);
        }
    }

    public OvElementType elementType() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocate(JAVA_INT);
            ov.check((int) ov.api.tensorGetElementType.invokeExact(pointer(), t), ErrorCode.INFERENCE_ERROR,
                    "ov_tensor_get_element_type");
            return OvElementType.of(t.get(JAVA_INT, 0));
        } catch (FaceException | IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw OvErrors.unexpected("ov_tensor_get_element_type", t);
        }
    }

    /** The tensor's memory, valid while this tensor (and for outputs, its request) is open and not re-run. */
    public MemorySegment data() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            ov.check((int) ov.api.tensorGetByteSize.invokeExact(pointer(), size), ErrorCode.INFERENCE_ERROR,
                    "ov_tensor_get_byte_size");
            MemorySegment out = arena.allocate(ADDRESS);
            ov.check((int) ov.api.tensorData.invokeExact(pointer(), out), ErrorCode.INFERENCE_ERROR, "ov_tensor_data");
            return out.get(ADDRESS, 0).reinterpret(size.get(JAVA_LONG, 0));
        } catch (FaceException | IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw OvErrors.unexpected("ov_tensor_data", t);
        }
    }

    @Override
    void free(MemorySegment p) throws Throwable {
        ov.api.tensorFree.invokeExact(p);
    }
}
