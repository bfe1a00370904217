package dev.sameface.stages;

import dev.sameface.kit.VectorApi;

import java.lang.invoke.MethodHandles;

/**
 * The inner loops of {@link AreaResample}: the sums of its two passes for a run of {@code n} consecutive samples.
 * Every implementation performs exactly these float operations in this order (each product rounded, then added to a
 * sum that starts at 0, tap after tap; no fused multiply-add), so they agree bit for bit.
 */
interface AreaKernel {
    /**
     * Horizontal pass, one channel: {@code plane[at + i] = sum over t of channel(packed[t * n + i]) * weight[t * n + i]}
     * for {@code i < n}, where a channel is the byte at bit {@code shift} of a packed pixel.
     */
    void horizontal(int[] packed, float[] weight, int taps, int n, int shift, float[] plane, int at);

    /**
     * Vertical pass, one channel: {@code row[i] = sum over t of plane[rowAt[tap] + i] * rowWeight[tap]} for
     * {@code i < n}, tap {@code t} at index {@code first + t * step} of {@code rowAt} and {@code rowWeight}.
     */
    void vertical(float[] plane, int[] rowAt, float[] rowWeight, int first, int step, int taps, int n, float[] row);

    /** Sample {@code i} of {@link #horizontal}. */
    static float horizontalSum(int[] packed, float[] weight, int taps, int n, int shift, int i) {
        float sum = 0;
        for (int t = 0, k = i; t < taps; t++, k += n) {
            sum += (packed[k] >>> shift & 0xff) * weight[k];
        }
        return sum;
    }

    /** Sample {@code i} of {@link #vertical}. */
    static float verticalSum(float[] plane, int[] rowAt, float[] rowWeight, int first, int step, int taps, int i) {
        float sum = 0;
        for (int t = 0, k = first; t < taps; t++, k += step) {
            sum += plane[rowAt[k] + i] * rowWeight[k];
        }
        return sum;
    }

    /** The Vector API version when the JVM has the module ({@link VectorApi}), else plain Java. */
    static AreaKernel best() {
        return VectorApi.orPlain(MethodHandles.lookup(), "dev.sameface.stages.VectorAreaKernel", AreaKernel.class, AreaKernel::plain);
    }

    /** Plain Java, sample by sample (also what the tests compare the Vector API version with). */
    static AreaKernel plain() {
        return new AreaKernel() {
            @Override
            public void horizontal(int[] packed, float[] weight, int taps, int n, int shift, float[] plane, int at) {
                for (int i = 0; i < n; i++) {
                    plane[at + i] = horizontalSum(packed, weight, taps, n, shift, i);
                }
            }

            @Override
            public void vertical(float[] plane, int[] rowAt, float[] rowWeight, int first, int step, int taps, int n, float[] row) {
                for (int i = 0; i < n; i++) {
                    row[i] = verticalSum(plane, rowAt, rowWeight, first, step, taps, i);
                }
            }
        };
    }
}
