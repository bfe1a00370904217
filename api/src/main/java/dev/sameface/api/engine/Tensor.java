package dev.sameface.api.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A dense float32 tensor in row-major order, backed by a direct, native-order buffer so that engines can hand its
 * memory to native code without a copy (ONNX Runtime's {@code OnnxTensor}, OpenVINO's host-pointer tensors).
 */
public final class Tensor {
    private final long[] shape;
    private final FloatBuffer data;

    private Tensor(long[] shape, FloatBuffer data) {
        this.shape = shape;
        this.data = data;
    }

    /** A zero-filled tensor of the given shape. */
    public static Tensor allocate(long... shape) {
        long n = elementCount(shape);
        if (n > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("tensor too large: " + Arrays.toString(shape));
        }
        FloatBuffer fb = ByteBuffer.allocateDirect((int) n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        return new Tensor(shape.clone(), fb);
    }

    /** Wraps a direct native-order buffer holding exactly the shape's element count (position 0). */
    public static Tensor wrap(FloatBuffer data, long... shape) {
        if (!data.isDirect() || data.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("tensor data must be a direct, native-order buffer");
        }
        if (data.capacity() != elementCount(shape)) {
            throw new IllegalArgumentException("buffer holds " + data.capacity() + " floats, shape "
                    + Arrays.toString(shape) + " needs " + elementCount(shape));
        }
        return new Tensor(shape.clone(), data);
    }

    /** A tensor holding a copy of {@code values}. */
    public static Tensor of(float[] values, long... shape) {
        Tensor t = allocate(shape);
        if (values.length != t.size()) {
            throw new IllegalArgumentException(values.length + " values do not fill shape " + Arrays.toString(shape));
        }
        t.data.put(0, values);
        return t;
    }

    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape has a negative dimension: " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int size() {
        return data.capacity();
    }

    /** The backing buffer (absolute get/put recommended; position is not relied upon). */
    public FloatBuffer buffer() {
        return data;
    }

    public float get(int index) {
        return data.get(index);
    }

    public float[] toArray() {
        float[] out = new float[data.capacity()];
        data.get(0, out);
        return out;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
