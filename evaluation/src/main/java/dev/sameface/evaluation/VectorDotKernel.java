package dev.sameface.evaluation;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Dot product with the Vector API: fused multiply-adds on the widest vectors this CPU has, two accumulators. */
public final class VectorDotKernel implements DotKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @Override
    public float dot(float[] d, int a, int b, int n) {
        int lanes = SPECIES.length();
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i + 2 * lanes <= n; i += 2 * lanes) {
            acc0 = FloatVector.fromArray(SPECIES, d, a + i).fma(FloatVector.fromArray(SPECIES, d, b + i), acc0);
            acc1 = FloatVector.fromArray(SPECIES, d, a + i + lanes).fma(FloatVector.fromArray(SPECIES, d, b + i + lanes), acc1);
        }
        for (; i + lanes <= n; i += lanes) {
            acc0 = FloatVector.fromArray(SPECIES, d, a + i).fma(FloatVector.fromArray(SPECIES, d, b + i), acc0);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += d[a + i] * d[b + i];
        }
        return s;
    }

    @Override
    public String name() {
        return "Vector API (" + SPECIES.vectorBitSize() + "-bit)";
    }
}
