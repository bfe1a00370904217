package dev.sameface.kit;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * {@link RowBlend} with the Vector API at the width the CPU reports ({@code SPECIES_PREFERRED}): a channel unpacked
 * from the packed taps lane by lane (shift, mask, exact int-to-float), then the same multiplications and additions
 * as the scalar code (no fused multiply-add), stored into the tensor's memory.
 *
 * <p>One channel per loop: with all three in one loop body C2 stops inlining the Vector API's helpers (its node
 * count cut-off), every vector is then boxed and the loop runs at half the scalar speed. Re-reading the taps per
 * channel costs little; they are in L1.
 */
final class VectorRowBlend implements RowBlend {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    // Ints of the same shape: as many lanes as FLOATS, so one int vector of taps feeds one float vector.
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, FLOATS.vectorShape());
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    public void rgb(int[] top, int[] bottom, float[] lw, float[] rw, float topW, float bottomW, int dw, int from, int to,
                    MemorySegment out, long redAt, long greenAt, long blueAt, float mean, float scale) {
        channel(top, bottom, lw, rw, topW, bottomW, dw, from, to, 0, out, redAt, mean, scale);
        channel(top, bottom, lw, rw, topW, bottomW, dw, from, to, 8, out, greenAt, mean, scale);
        channel(top, bottom, lw, rw, topW, bottomW, dw, from, to, 16, out, blueAt, mean, scale);
    }

    @Override
    public void grey(int[] top, int[] bottom, float[] lw, float[] rw, float topW, float bottomW, int dw, int from, int to,
                     MemorySegment out, long at, float mean, float scale, float[] scratch) {
        // The three blended channels (exact floats, as the scalar code holds them in registers), then luma.
        channel(top, bottom, lw, rw, topW, bottomW, dw, from, to, 0, scratch, 0);
        channel(top, bottom, lw, rw, topW, bottomW, dw, from, to, 8, scratch, dw);
        channel(top, bottom, lw, rw, topW, bottomW, dw, from, to, 16, scratch, 2 * dw);
        // Luma in place of red, then one copy of the row into the tensor: storing each vector into the segment in this
        // loop made C2 deoptimise it again and again (a loop-predicate trap), leaving it in C1 code that boxes vectors.
        int x = from;
        for (int bound = from + FLOATS.loopBound(to - from); x < bound; x += FLOATS.length()) {
            FloatVector red = FloatVector.fromArray(FLOATS, scratch, x);
            FloatVector green = FloatVector.fromArray(FLOATS, scratch, dw + x);
            FloatVector blue = FloatVector.fromArray(FLOATS, scratch, 2 * dw + x);
            // TensorPacker.grey, lane by lane: (0.299 r + 0.587 g) + 0.114 b.
            red.mul(0.299f).add(green.mul(0.587f)).add(blue.mul(0.114f)).sub(mean).mul(scale).intoArray(scratch, x);
        }
        for (; x < to; x++) {
            scratch[x] = (TensorPacker.grey(scratch[x], scratch[dw + x], scratch[2 * dw + x]) - mean) * scale;
        }
        MemorySegment.copy(scratch, from, out, FLOAT, at + 4L * from, to - from);
    }

    /** Columns from..to of one channel of one row, {@code (v - mean) * scale}, into the tensor's memory. */
    private static void channel(int[] top, int[] bottom, float[] lw, float[] rw, float topW, float bottomW, int dw,
                                int from, int to, int shift, MemorySegment out, long at, float mean, float scale) {
        int x = from;
        for (int bound = from + FLOATS.loopBound(to - from); x < bound; x += FLOATS.length()) {
            blend(top, bottom, lw, rw, topW, bottomW, dw, shift, x).sub(mean).mul(scale).intoMemorySegment(out, at + 4L * x, ORDER);
        }
        for (; x < to; x++) {
            out.set(FLOAT, at + 4L * x, (RowBlend.blend(top, bottom, lw, rw, topW, bottomW, dw, shift, x) - mean) * scale);
        }
    }

    /** Columns from..to of one channel of one row, as blended (no mean or scale), into {@code dst} at {@code base + x}. */
    private static void channel(int[] top, int[] bottom, float[] lw, float[] rw, float topW, float bottomW, int dw,
                                int from, int to, int shift, float[] dst, int base) {
        int x = from;
        for (int bound = from + FLOATS.loopBound(to - from); x < bound; x += FLOATS.length()) {
            blend(top, bottom, lw, rw, topW, bottomW, dw, shift, x).intoArray(dst, base + x);
        }
        for (; x < to; x++) {
            dst[base + x] = RowBlend.blend(top, bottom, lw, rw, topW, bottomW, dw, shift, x);
        }
    }

    /** Lanes x.. of one channel: {@link RowBlend#blend}'s operations in its order. */
    private static FloatVector blend(int[] top, int[] bottom, float[] lw, float[] rw, float topW, float bottomW, int dw,
                                     int shift, int x) {
        FloatVector l = FloatVector.fromArray(FLOATS, lw, x);
        FloatVector r = FloatVector.fromArray(FLOATS, rw, x);
        return unpack(IntVector.fromArray(INTS, top, x), shift).mul(l.mul(topW))
                .add(unpack(IntVector.fromArray(INTS, top, dw + x), shift).mul(r.mul(topW)))
                .add(unpack(IntVector.fromArray(INTS, bottom, x), shift).mul(l.mul(bottomW)))
                .add(unpack(IntVector.fromArray(INTS, bottom, dw + x), shift).mul(r.mul(bottomW)));
    }

    /** One channel of packed pixels as floats (exact: 0..255). */
    private static FloatVector unpack(IntVector packed, int shift) {
        return (FloatVector) packed.lanewise(VectorOperators.LSHR, shift).and(0xff).convert(VectorOperators.I2F, 0);
    }
}
