package dev.sameface.evaluation;

import java.util.Arrays;

/**
 * LFW's n-fold verification accuracy: each fold is tested with the threshold that maximises accuracy on the other
 * folds; reported as the mean over folds ± the sample standard deviation (n−1), plus the standard error of the mean.
 * A comparison with a failed template (score −∞) is a "different" decision.
 *
 * @param mean          mean accuracy over folds
 * @param std           sample standard deviation over folds
 * @param standardError std / √folds
 * @param accuracy      per fold
 * @param threshold     per fold, the threshold chosen on the other folds
 */
public record FoldAccuracy(double mean, double std, double standardError, double[] accuracy, float[] threshold) {

    public static FoldAccuracy compute(float[] scores, boolean[] genuine, int[] fold, int folds) {
        if (folds < 2) {
            throw new IllegalArgumentException("need at least two folds");
        }
        double[] acc = new double[folds];
        float[] thresholds = new float[folds];
        for (int f = 0; f < folds; f++) {
            int train = 0;
            for (int x : fold) {
                if (x != f) {
                    train++;
                }
            }
            float[] s = new float[train];
            boolean[] g = new boolean[train];
            for (int i = 0, j = 0; i < scores.length; i++) {
                if (fold[i] != f) {
                    s[j] = scores[i];
                    g[j++] = genuine[i];
                }
            }
            float t = bestThreshold(s, g);
            thresholds[f] = t;
            int correct = 0;
            int total = 0;
            for (int i = 0; i < scores.length; i++) {
                if (fold[i] == f) {
                    total++;
                    if (same(scores[i], t) == genuine[i]) {
                        correct++;
                    }
                }
            }
            acc[f] = total == 0 ? Double.NaN : (double) correct / total;
        }
        double mean = Arrays.stream(acc).average().orElse(Double.NaN);
        double ss = 0;
        for (double a : acc) {
            ss += (a - mean) * (a - mean);
        }
        double std = Math.sqrt(ss / (folds - 1));
        return new FoldAccuracy(mean, std, std / Math.sqrt(folds), acc, thresholds);
    }

    /**
     * The threshold (score &ge; T means same) with the most correct decisions; among equally good ones the middle
     * of the first best gap between consecutive distinct scores.
     */
    static float bestThreshold(float[] scores, boolean[] genuine) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Float.compare(scores[x], scores[y]));
        // Failed comparisons (-inf, sorted first) are "different" whatever T is. Start with T just below the
        // lowest real score: every other pair is "same".
        int i = 0;
        int correct = 0;
        while (i < n && scores[order[i]] == Float.NEGATIVE_INFINITY) {
            correct += genuine[order[i]] ? 0 : 1;
            i++;
        }
        for (int k = i; k < n; k++) {
            correct += genuine[order[k]] ? 1 : 0;
        }
        int best = correct;
        float bestT = i < n ? Math.nextDown(scores[order[i]]) : 0;
        while (i < n) {
            float v = scores[order[i]];
            // Move T just above v: every pair scoring v turns into "different".
            while (i < n && scores[order[i]] == v) {
                correct += genuine[order[i]] ? -1 : 1;
                i++;
            }
            if (correct > best) {
                best = correct;
                if (i < n) {
                    float next = scores[order[i]];
                    bestT = (float) ((v + (double) next) / 2);
                    if (!(bestT > v)) {
                        bestT = next;
                    }
                } else {
                    bestT = Math.nextUp(v);
                }
            }
        }
        return bestT;
    }

    /** The decision: a failed comparison is never "same". */
    static boolean same(float score, float threshold) {
        return score != Float.NEGATIVE_INFINITY && score >= threshold;
    }
}
