package dev.sameface.evaluation;

/**
 * Cosine scores of many pairs, the fast way over a {@link TemplateMatrix} (rows are unit vectors, so cosine = dot product).
 * Pairs are visited tile by tile — both rows of a pair inside one block of {@code tileRows} x {@code tileRows}
 * rows — so the rows being read stay in cache however the pairs were sampled. A comparison with a failed template
 * scores {@link Float#NEGATIVE_INFINITY}: below every threshold, i.e. a non-match, NIST's convention.
 */
public final class PairScorer implements PairScoring {
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

    @Override
    public String name() {
        return kernel.name();
    }

    /**
     * Runs the kernels long enough for the JIT to compile them, so that a measured scoring speed is the steady one
     * and not the interpreter's (matters for small protocols, where compilation would dominate).
     */
    @Override
    public void warmUp(TemplateMatrix m) {
        if (m.rows() == 0) {
            return;
        }
        int n = 100_000;
        int[] a = new int[n];
        int[] b = new int[n];
        for (int i = 0; i < n; i++) {
            // Runs of one left row against nearby rows: both the one-pair and the four-pair kernel get hot.
            a[i] = (i / 32) % m.rows();
            b[i] = (a[i] + 1 + (i % 32) * ((i / 1024) % 3)) % m.rows();
        }
        for (int rep = 0; rep < 5; rep++) {
            score(m, a, b, Progress.silent().start("", n));
        }
    }

    @Override
    public float[] score(TemplateMatrix m, int[] left, int[] right, Progress.Bar bar) {
        if (left.length != right.length) {
            throw new IllegalArgumentException("left and right differ in length");
        }
        int n = left.length;
        float[] out = new float[n];
        int[] order = tileOrder(m.rows(), left, right);
        float[] data = m.data();
        int dim = m.dimension();
        float[] four = new float[4];
        int reportEvery = 1 << 16;
        int done = 0;
        int k = 0;
        while (k < n) {
            int p = order[k];
            int a = left[p];
            // Four pairs in a row that share their left row (the usual case: protocols list pairs by row) share
            // its loads; failed templates take the one-by-one path.
            if (k + 4 <= n && !m.isFailed(a)) {
                int p1 = order[k + 1];
                int p2 = order[k + 2];
                int p3 = order[k + 3];
                if (left[p1] == a && left[p2] == a && left[p3] == a && !m.isFailed(right[p]) && !m.isFailed(right[p1])
                        && !m.isFailed(right[p2]) && !m.isFailed(right[p3])) {
                    kernel.dot4(data, a * dim, right[p] * dim, right[p1] * dim, right[p2] * dim, right[p3] * dim, dim, four);
                    out[p] = four[0];
                    out[p1] = four[1];
                    out[p2] = four[2];
                    out[p3] = four[3];
                    k += 4;
                    done += 4;
                    if (done >= reportEvery) {
                        bar.stepBy(done);
                        done = 0;
                    }
                    continue;
                }
            }
            int b = right[p];
            out[p] = m.isFailed(a) || m.isFailed(b) ? Float.NEGATIVE_INFINITY : kernel.dot(data, a * dim, b * dim, dim);
            k++;
            done++;
            if (done >= reportEvery) {
                bar.stepBy(done);
                done = 0;
            }
        }
        bar.stepBy(done);
        return out;
    }

    /**
     * Pair indices grouped by (tile of the lower row, tile of the higher row) with a counting sort: linear time, and
     * stable, so pairs a protocol listed by row stay by row inside a tile.
     */
    private int[] tileOrder(int rows, int[] left, int[] right) {
        int n = left.length;
        long tilesPerSide = (rows + (long) tileRows - 1) / tileRows;
        int[] order = new int[n];
        if (tilesPerSide * tilesPerSide > 1 << 24) {
            // Too many tiles to count (millions of rows): the given order it is.
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            return order;
        }
        int tiles = (int) tilesPerSide;
        int[] tileOf = new int[n];
        int[] start = new int[tiles * tiles + 1];
        for (int i = 0; i < n; i++) {
            int a = Math.min(left[i], right[i]);
            int b = Math.max(left[i], right[i]);
            int t = (a / tileRows) * tiles + (b / tileRows);
            tileOf[i] = t;
            start[t + 1]++;
        }
        for (int t = 0; t < tiles * tiles; t++) {
            start[t + 1] += start[t];
        }
        for (int i = 0; i < n; i++) {
            order[start[tileOf[i]]++] = i;
        }
        return order;
    }
}
