package dev.sameface.stages;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link AreaKernel} with the Vector API at the width the CPU reports ({@code SPECIES_PREFERRED}), one lane per
 * sample: the same products and additions as the plain loops (exact int-to-float, no fused multiply-add), the sum
 * kept in a register across the taps. The samples past the last whole vector take the plain loop.
 */
final class VectorAreaKernel implements AreaKernel {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    // Ints of the same shape: as many lanes as FLOATS, so one int vector of packed pixels feeds one float vector.
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, FLOATS.vectorShape());

    @Override
    public void horizontal(int[] packed, float[] weight, int taps, int n, int shift, float[] plane, int at) {
        int i = 0;
        for (int whole = FLOATS.loopBound(n); i < whole; i += FLOATS.length()) {
            FloatVector sum = FloatVector.zero(FLOATS);
            for (int t = 0, k = i; t < taps; t++, k += n) {
                FloatVector v = (FloatVector) IntVector.fromArray(INTS, packed, k)
                        .lanewise(VectorOperators.LSHR, shift).lanewise(VectorOperators.AND, 0xff)
                        .convertShape(VectorOperators.I2F, FLOATS, 0);
                sum = sum.add(v.mul(FloatVector.fromArray(FLOATS, weight, k)));
            }
            sum.intoArray(plane, at + i);
        }
        for (; i < n; i++) {
            plane[at + i] = AreaKernel.horizontalSum(packed, weight, taps, n, shift, i);
        }
    }

    @Override
    public void vertical(float[] plane, int[] rowAt, float[] rowWeight, int first, int step, int taps, int n, float[] row) {
        int i = 0;
        for (int whole = FLOATS.loopBound(n); i < whole; i += FLOATS.length()) {
            FloatVector sum = FloatVector.zero(FLOATS);
            for (int t = 0, k = first; t < taps; t++, k += step) {
                sum = sum.add(FloatVector.fromArray(FLOATS, plane, rowAt[k] + i).mul(rowWeight[k]));
            }
            sum.intoArray(row, i);
        }
        for (; i < n; i++) {
            row[i] = AreaKernel.verticalSum(plane, rowAt, rowWeight, first, step, taps, i);
        }
    }
}
