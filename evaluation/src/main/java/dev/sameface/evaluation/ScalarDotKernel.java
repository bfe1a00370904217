package dev.sameface.evaluation;

/**
 * Plain Java dot product with eight independent accumulators: C2 does not vectorise a float reduction (that would
 * reorder additions), but independent chains let the CPU overlap the multiply-adds.
 */
public final class ScalarDotKernel implements DotKernel {
    @Override
    public float dot(float[] d, int a, int b, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            s0 += d[a + i] * d[b + i];
            s1 += d[a + i + 1] * d[b + i + 1];
            s2 += d[a + i + 2] * d[b + i + 2];
            s3 += d[a + i + 3] * d[b + i + 3];
            s4 += d[a + i + 4] * d[b + i + 4];
            s5 += d[a + i + 5] * d[b + i + 5];
            s6 += d[a + i + 6] * d[b + i + 6];
            s7 += d[a + i + 7] * d[b + i + 7];
        }
        for (; i < n; i++) {
            s0 += d[a + i] * d[b + i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    @Override
    public String name() {
        return "scalar (8 accumulators)";
    }
}
