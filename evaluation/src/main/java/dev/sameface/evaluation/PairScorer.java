package dev.sameface.evaluation;

import java.util.Arrays;

/**
 * Cosine scores of many pairs over a {@link TemplateMatrix} (rows are unit vectors, so cosine = dot product).
 * Pairs are visited tile by tile — both rows of a pair inside one block of {@code tileRows} x {@code tileRows}
 * rows — so the rows being read stay in cache however the pairs were sampled. A comparison with a failed template
 * scores {@link Float#NEGATIVE_INFINITY}: below every threshold, i.e. a non-match, NIST's convention.
 */
public final class PairScorer {
    public static final int DEFAULT_TILE_ROWS = 256;
    private final DotKernel kernel;
    private final int tileRows;

    public PairScorer(DotKernel kernel, int tileRows) {
        if (tileRows < 1) {
            throw new IllegalArgumentException("tileRows must be positive");
        }
        this.kernel = kernel;
        this.tileRows = tileRows;
    }

    public PairScorer() {
        this(DotKernel.best(), DEFAULT_TILE_ROWS);
    }

    public DotKernel kernel() {
        return kernel;
    }

    /** Scores of pairs {@code (left[i], right[i])}, in the order given. */
    public float[] score(TemplateMatrix m, int[] left, int[] right, Progress.Bar bar) {
        if (left.length != right.length) {
            throw new IllegalArgumentException("left and right differ in length");
        }
        int n = left.length;
        float[] out = new float[n];
        long[] order = tileOrder(m.rows(), left, right);
        float[] data = m.data();
        int dim = m.dimension();
        int reportEvery = 1 << 16;
        for (int k = 0; k < n; k++) {
            int p = (int) order[k];
            int a = left[p];
            int b = right[p];
            out[p] = m.isFailed(a) || m.isFailed(b) ? Float.NEGATIVE_INFINITY : kernel.dot(data, a * dim, b * dim, dim);
            if ((k & (reportEvery - 1)) == reportEvery - 1) {
                bar.stepBy(reportEvery);
            }
        }
        bar.stepBy(n & (reportEvery - 1));
        return out;
    }

    /** Pair indices sorted by (tile of left row, tile of right row); the index sits in the low 32 bits. */
    private long[] tileOrder(int rows, int[] left, int[] right) {
        long tiles = (rows + tileRows - 1) / tileRows;
        long[] order = new long[left.length];
        if (tiles * tiles > Integer.MAX_VALUE) {
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            return order;
        }
        for (int i = 0; i < left.length; i++) {
            int a = Math.min(left[i], right[i]);
            int b = Math.max(left[i], right[i]);
            long tile = (a / tileRows) * tiles + (b / tileRows);
            order[i] = (tile << 32) | i;
        }
        Arrays.sort(order);
        for (int i = 0; i < order.length; i++) {
            order[i] &= 0xFFFF_FFFFL;
        }
        return order;
    }
}
