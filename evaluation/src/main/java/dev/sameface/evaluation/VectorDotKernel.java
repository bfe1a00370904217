package dev.sameface.evaluation;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Dot product with the Vector API: fused multiply-adds on the widest vectors this CPU has. */
public final class VectorDotKernel implements DotKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /**
     * One accumulator, summed in exactly the order of {@link #dot4}'s per-row accumulators: a pair scores the same
     * bits whether it was scored alone or in a group of four, so a score never depends on which pairs were scored
     * beside it (a distributed scorer groups pairs differently from a single machine and must find the same
     * thresholds). Singles are rare in {@link PairScorer}, so the longer FMA chain costs little.
     */
    @Override
    public float dot(float[] d, int a, int b, int n) {
        int lanes = SPECIES.length();
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            acc = FloatVector.fromArray(SPECIES, d, a + i).fma(FloatVector.fromArray(SPECIES, d, b + i), acc);
        }
        float s = sum(acc);
        for (; i < n; i++) {
            s += d[a + i] * d[b + i];
        }
        return s;
    }

    /** Row a's chunk is loaded once for four rows: 1.25 loads per FMA instead of 2. */
    @Override
    public void dot4(float[] d, int a, int b0, int b1, int b2, int b3, int n, float[] out) {
        int lanes = SPECIES.length();
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        FloatVector s2 = FloatVector.zero(SPECIES);
        FloatVector s3 = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            FloatVector va = FloatVector.fromArray(SPECIES, d, a + i);
            s0 = va.fma(FloatVector.fromArray(SPECIES, d, b0 + i), s0);
            s1 = va.fma(FloatVector.fromArray(SPECIES, d, b1 + i), s1);
            s2 = va.fma(FloatVector.fromArray(SPECIES, d, b2 + i), s2);
            s3 = va.fma(FloatVector.fromArray(SPECIES, d, b3 + i), s3);
        }
        float r0 = sum(s0);
        float r1 = sum(s1);
        float r2 = sum(s2);
        float r3 = sum(s3);
        for (; i < n; i++) {
            float x = d[a + i];
            r0 += x * d[b0 + i];
            r1 += x * d[b1 + i];
            r2 += x * d[b2 + i];
            r3 += x * d[b3 + i];
        }
        out[0] = r0;
        out[1] = r1;
        out[2] = r2;
        out[3] = r3;
    }

    /**
     * The lanes summed first to last. Not {@code reduceLanes(ADD)}: its order is unspecified and does differ between
     * the interpreter and C2 (seen: the same pair 2 ulps apart before and after compilation), so a score would
     * depend on how warm the JIT was.
     */
    private static float sum(FloatVector v) {
        float[] lanes = new float[SPECIES.length()];
        v.intoArray(lanes, 0);
        float s = 0;
        for (float x : lanes) {
            s += x;
        }
        return s;
    }

    @Override
    public String name() {
        return "Vector API (" + SPECIES.vectorBitSize() + "-bit)";
    }
}
