package dev.sameface.evaluation;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures scoring speed the way {@code evaluate} scores: LFW-sized matrix (13,233 x 512 unit vectors), 2,000,000
 * sorted random impostor pairs, one thread, each kernel with and without tiling, after warm-up; prints the median
 * of several repetitions. Run: {@code java --add-modules jdk.incubator.vector -cp ... dev.sameface.evaluation.ScoringBenchmark [rows dim pairs reps]}.
 */
public final class ScoringBenchmark {
    private ScoringBenchmark() {
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 13_233;
        int dim = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 2_000_000;
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        SplittableRandom r = new SplittableRandom(1);
        float[] data = new float[rows * dim];
        for (int i = 0; i < rows; i++) {
            double norm = 0;
            for (int k = 0; k < dim; k++) {
                float v = (float) r.nextGaussian();
                data[i * dim + k] = v;
                norm += v * v;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int k = 0; k < dim; k++) {
                data[i * dim + k] *= inv;
            }
        }
        TemplateMatrix m = new TemplateMatrix(rows, dim, data, new boolean[rows]);
        long[] keys = IdentityFolderProtocol.sampleImpostors(rows, identity(rows), pairs, (long) rows * (rows - 1) / 2, 42);
        int[] a = new int[pairs];
        int[] b = new int[pairs];
        for (int i = 0; i < pairs; i++) {
            a[i] = (int) (keys[i] / rows);
            b[i] = (int) (keys[i] % rows);
        }
        System.out.printf(Locale.ROOT, "%,d x %d matrix, %,d pairs, one thread, median of %d%n", rows, dim, pairs, reps);
        for (DotKernel k : new DotKernel[]{new ScalarDotKernel(), DotKernel.best()}) {
            for (int tile : new int[]{PairScorer.DEFAULT_TILE_ROWS, Integer.MAX_VALUE}) {
                PairScorer s = new PairScorer(k, tile);
                double[] secs = new double[reps];
                double[] cpu = new double[reps];
                java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
                for (int i = 0; i < reps + 2; i++) {
                    long c0 = mx.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    s.score(m, a, b, Progress.silent().start("", pairs));
                    if (i >= 2) {
                        secs[i - 2] = (System.nanoTime() - t0) / 1e9;
                        cpu[i - 2] = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
                    }
                }
                Arrays.sort(secs);
                Arrays.sort(cpu);
                double med = secs[reps / 2];
                double medCpu = cpu[reps / 2];
                // On a shared machine wall time includes waiting for a core; CPU time is what the scoring costs.
                System.out.printf(Locale.ROOT, "%-28s tile %-6s wall %.3f s = %,.0f comparisons/s; CPU %.3f s = %,.0f comparisons/CPU-s%n",
                        k.name(), tile == Integer.MAX_VALUE ? "none" : tile, med, pairs / med, medCpu, pairs / medCpu);
            }
        }
    }

    private static int[] identity(int n) {
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = i;
        }
        return s;
    }
}
