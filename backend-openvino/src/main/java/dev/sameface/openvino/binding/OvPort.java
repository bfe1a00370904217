package dev.sameface.openvino.binding;

import java.util.Arrays;

/**
 * A model input or output: its tensor name, element type and partial shape as per-dimension bounds
 * ({@code max == -1}: unbounded). A dimension is static when {@code min == max}.
 */
public record OvPort(String name, OvElementType elementType, long[] minDims, long[] maxDims) {
    public OvPort {
        minDims = minDims.clone();
        maxDims = maxDims.clone();
    }

    @Override
    public long[] minDims() {
        return minDims.clone();
    }

    @Override
    public long[] maxDims() {
        return maxDims.clone();
    }

    public int rank() {
        return minDims.length;
    }

    /** The shape with -1 for every dimension fixed only at run time. */
    public long[] shape() {
        long[] s = new long[minDims.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = minDims[i] == maxDims[i] ? minDims[i] : -1;
        }
        return s;
    }

    /** Whether a concrete shape fits this port's bounds. */
    public boolean accepts(long[] shape) {
        if (shape.length != minDims.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < minDims[i] || (maxDims[i] >= 0 && shape[i] > maxDims[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OvPort p && p.name.equals(name) && p.elementType == elementType
                && Arrays.equals(p.minDims, minDims) && Arrays.equals(p.maxDims, maxDims);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(minDims);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape()) + " " + elementType;
    }
}
