package dev.sameface.openvino.binding;

import java.lang.foreign.MemorySegment;

/**
 * An OpenVINO C object owned by Java. Closing frees it once; closing again does nothing; any other use after close
 * throws IllegalStateException instead of handing a dangling pointer to native code.
 */
public abstract class NativeObject implements AutoCloseable {
    final OpenVino ov;
    private final String kind;
    private MemorySegment pointer;

    NativeObject(OpenVino ov, String kind, MemorySegment pointer) {
        this.ov = ov;
        this.kind = kind;
        this.pointer = pointer;
    }

    /** The live pointer; throws IllegalStateException after close. */
    final synchronized MemorySegment pointer() {
        if (pointer == null) {
            throw new IllegalStateException(kind + " is closed");
        }
        return pointer;
    }

    public final synchronized boolean isClosed() {
        return pointer == null;
    }

    @Override
    public final synchronized void close() {
        if (pointer == null) {
            return;
        }
        MemorySegment p = pointer;
        pointer = null;
        try {
            free(p);
        } catch (Throwable t) {
            throw OvErrors.unexpected("free " + kind, t);
        }
    }

    abstract void free(MemorySegment p) throws Throwable;
}
