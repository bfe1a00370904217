package dev.sameface.spark;

import java.io.Serializable;

/**
 * Exact order statistics of billions of float scores that never sit in one place, in two passes of counting:
 * every float maps to a 32-bit key that sorts like the float; pass 1 counts scores per high 16 bits of the key
 * (65,536 buckets), which finds the bucket holding the wanted rank; pass 2 counts only that bucket's scores per low
 * 16 bits, which gives the exact score at that rank. No approximation, no sort, 512 KB of counters per task.
 */
final class ExactSelection {
    static final int BUCKETS = 1 << 16;

    private ExactSelection() {
    }

    /** An unsigned-order key: a &lt; b as floats (and -0 &lt; +0, as {@code Arrays.sort} orders them) iff key(a) &lt; key(b) unsigned. */
    static int key(float f) {
        int bits = Float.floatToIntBits(f);
        return (bits ^ ((bits >> 31) & 0x7fffffff)) ^ 0x80000000;
    }

    static float value(int key) {
        int k = key ^ 0x80000000;
        return Float.intBitsToFloat(k ^ ((k >> 31) & 0x7fffffff));
    }

    static int high(float f) {
        return key(f) >>> 16;
    }

    /** Counters of one task, merged across tasks: pass 1 over all buckets, pass 2 over the chosen buckets' low bits. */
    static final class Counts implements Serializable {
        final long[] coarse;
        final int[] chosen;
        final long[][] fine;
        long scores;
        long cpuNanos;

        /** Pass 1. */
        Counts() {
            this.coarse = new long[BUCKETS];
            this.chosen = null;
            this.fine = null;
        }

        /** Pass 2: low-bit counts of the scores whose high bits are one of {@code chosen} (distinct). */
        Counts(int[] chosen) {
            this.coarse = null;
            this.chosen = chosen.clone();
            this.fine = new long[chosen.length][BUCKETS];
        }

        void add(float score) {
            scores++;
            int k = key(score);
            if (coarse != null) {
                coarse[k >>> 16]++;
                return;
            }
            int h = k >>> 16;
            for (int i = 0; i < chosen.length; i++) {
                if (chosen[i] == h) {
                    fine[i][k & 0xffff]++;
                    return;
                }
            }
        }

        Counts merge(Counts o) {
            if (coarse != null) {
                for (int i = 0; i < BUCKETS; i++) {
                    coarse[i] += o.coarse[i];
                }
            } else {
                for (int c = 0; c < fine.length; c++) {
                    for (int i = 0; i < BUCKETS; i++) {
                        fine[c][i] += o.fine[c][i];
                    }
                }
            }
            scores += o.scores;
            cpuNanos += o.cpuNanos;
            return this;
        }
    }

    /** Where rank r (0 = the highest score) falls in pass 1: its bucket and the scores in higher buckets. */
    record Place(int bucket, long above) {
    }

    static Place place(long[] coarse, long rankFromTop) {
        long above = 0;
        for (int b = BUCKETS - 1; b >= 0; b--) {
            if (rankFromTop < above + coarse[b]) {
                return new Place(b, above);
            }
            above += coarse[b];
        }
        throw new IllegalArgumentException("rank " + rankFromTop + " beyond " + above + " scores");
    }

    /**
     * The score at rank r from the top and how many scores are strictly above it, from pass 2's counts of its bucket.
     */
    record Exact(float score, long strictlyAbove) {
    }

    static Exact exact(Place place, long[] fine, long rankFromTop) {
        long above = place.above();
        for (int low = BUCKETS - 1; low >= 0; low--) {
            if (rankFromTop < above + fine[low]) {
                return new Exact(value((place.bucket() << 16) | low), above);
            }
            above += fine[low];
        }
        throw new IllegalStateException("pass 2 counted fewer scores in bucket " + place.bucket() + " than pass 1");
    }
}
