package dev.sameface.kit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;

/**
 * The inner loop of {@link TensorPacker}: one output row from the packed RGB taps of the source rows above and below
 * ({@code top}/{@code bottom}: {@code [left taps of dw columns, right taps of dw columns]}, each an int holding
 * {@code r | g << 8 | b << 16} in its low three bytes), per channel {@link #blend}, then {@code (v - mean) * scale}
 * (for grey, of BT.601 luma of the three), written straight into the tensor's memory. Every implementation performs
 * exactly these float operations in this order, so they agree bit for bit with each other and with
 * {@link ImageOps#bilinear}.
 */
interface RowBlend {
    ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /**
     * Columns {@code from} (inclusive) to {@code to} (exclusive) of a row of {@code dw} into three planes (byte offsets
     * of the row's first value in the red, green and blue planes); the other columns are left as they are.
     */
    void rgb(int[] top, int[] bottom, float[] lw, float[] rw, float topW, float bottomW, int dw, int from, int to,
             MemorySegment out, long redAt, long greenAt, long blueAt, float mean, float scale);

    /** Columns {@code from} to {@code to} into one grey plane; {@code scratch} holds at least 3 x dw floats. */
    void grey(int[] top, int[] bottom, float[] lw, float[] rw, float topW, float bottomW, int dw, int from, int to,
              MemorySegment out, long at, float mean, float scale, float[] scratch);

    /**
     * Column x of the channel at bit {@code shift}:
     * {@code ((t_l * (topW * lw) + t_r * (topW * rw)) + b_l * (bottomW * lw)) + b_r * (bottomW * rw)}.
     */
    static float blend(int[] top, int[] bottom, float[] lw, float[] rw, float topW, float bottomW, int dw, int shift, int x) {
        return (top[x] >>> shift & 0xff) * (topW * lw[x]) + (top[dw + x] >>> shift & 0xff) * (topW * rw[x])
                + (bottom[x] >>> shift & 0xff) * (bottomW * lw[x]) + (bottom[dw + x] >>> shift & 0xff) * (bottomW * rw[x]);
    }

    /** The Vector API version when the JVM has the module ({@link VectorApi}), else plain Java. */
    static RowBlend best() {
        return VectorApi.orPlain(MethodHandles.lookup(), "dev.sameface.kit.VectorRowBlend", RowBlend.class, RowBlend::scalar);
    }

    /** Plain Java for every column (also what the tests compare the Vector API version with). */
    static RowBlend scalar() {
        return new RowBlend() {
            @Override
            public void rgb(int[] top, int[] bottom, float[] lw, float[] rw, float topW, float bottomW, int dw, int from,
                            int to, MemorySegment out, long redAt, long greenAt, long blueAt, float mean, float scale) {
                for (int x = from; x < to; x++) {
                    long o = 4L * x;
                    out.set(FLOAT, redAt + o, (blend(top, bottom, lw, rw, topW, bottomW, dw, 0, x) - mean) * scale);
                    out.set(FLOAT, greenAt + o, (blend(top, bottom, lw, rw, topW, bottomW, dw, 8, x) - mean) * scale);
                    out.set(FLOAT, blueAt + o, (blend(top, bottom, lw, rw, topW, bottomW, dw, 16, x) - mean) * scale);
                }
            }

            @Override
            public void grey(int[] top, int[] bottom, float[] lw, float[] rw, float topW, float bottomW, int dw, int from,
                             int to, MemorySegment out, long at, float mean, float scale, float[] scratch) {
                for (int x = from; x < to; x++) {
                    float r = blend(top, bottom, lw, rw, topW, bottomW, dw, 0, x);
                    float g = blend(top, bottom, lw, rw, topW, bottomW, dw, 8, x);
                    float b = blend(top, bottom, lw, rw, topW, bottomW, dw, 16, x);
                    out.set(FLOAT, at + 4L * x, (TensorPacker.grey(r, g, b) - mean) * scale);
                }
            }
        };
    }
}
