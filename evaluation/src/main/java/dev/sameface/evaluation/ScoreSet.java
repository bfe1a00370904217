package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Genuine and impostor scores of one configuration, and the FRVT metrics over them. A comparison involving a failed
 * template carries {@link Float#NEGATIVE_INFINITY}: it never reaches a threshold, so a genuine one is a false
 * non-match and an impostor one a correct rejection, and both stay in their denominators.
 * Convention: a score &ge; T is a match.
 */
public final class ScoreSet {
    public static final double CONFIDENCE = 0.95;
    public static final int BOOTSTRAP_SAMPLES = 1000;
    private final float[] genuine;
    private final int[] genuineSubject;
    private final int subjects;
    private final float[] genuineSorted;
    private final float[] impostorSorted;

    /**
     * @param genuine        genuine scores
     * @param genuineSubject per genuine score, the subject (0..subjects-1) it belongs to, or null when unknown
     * @param impostor       impostor scores
     */
    public ScoreSet(float[] genuine, int[] genuineSubject, float[] impostor) {
        if (genuineSubject != null && genuineSubject.length != genuine.length) {
            throw new IllegalArgumentException("one subject per genuine score");
        }
        for (float s : genuine) {
            requireScore(s);
        }
        for (float s : impostor) {
            requireScore(s);
        }
        this.genuine = genuine.clone();
        this.genuineSubject = genuineSubject == null ? null : genuineSubject.clone();
        this.subjects = genuineSubject == null ? 0 : Arrays.stream(genuineSubject).max().orElse(-1) + 1;
        this.genuineSorted = genuine.clone();
        Arrays.sort(genuineSorted);
        this.impostorSorted = impostor.clone();
        Arrays.sort(impostorSorted);
    }

    private static void requireScore(float s) {
        if (Float.isNaN(s) || s == Float.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("a score must be a number or -Infinity (failed template), got " + s);
        }
    }

    public int genuineCount() {
        return genuineSorted.length;
    }

    public int impostorCount() {
        return impostorSorted.length;
    }

    float[] genuineSorted() {
        return genuineSorted;
    }

    float[] impostorSorted() {
        return impostorSorted;
    }

    /** Impostor comparisons scoring &ge; t. */
    public long falseMatches(float t) {
        return impostorSorted.length - lowerBound(impostorSorted, t);
    }

    /** Genuine comparisons scoring &lt; t (failed ones always). */
    public long falseNonMatches(float t) {
        return lowerBound(genuineSorted, t);
    }

    public double fmr(float t) {
        return impostorSorted.length == 0 ? Double.NaN : (double) falseMatches(t) / impostorSorted.length;
    }

    public double fnmr(float t) {
        return genuineSorted.length == 0 ? Double.NaN : (double) falseNonMatches(t) / genuineSorted.length;
    }

    /**
     * The default reporting rule: a target FMR is reported only when the impostor set is expected to hold at least
     * 100 false matches there (impostors &times; target &ge; 100), so the threshold rests on many order statistics.
     */
    public static final int DEFAULT_MIN_FALSE_MATCHES = 100;
    /**
     * The most relaxed rule accepted: Doddington's "rule of 30" (at least 30 errors for 90% confidence that the true
     * rate is within &plusmn;30% of the measured one). Fewer would report thresholds that rest on a handful of scores.
     */
    public static final int LOWEST_MIN_FALSE_MATCHES = 30;

    /**
     * @param name what the user set, for the message (e.g. {@code --min-false-matches})
     * @throws FaceException CONFIG_ERROR below {@link #LOWEST_MIN_FALSE_MATCHES}
     */
    public static void checkMinFalseMatches(String name, int minFalseMatches) {
        if (minFalseMatches < LOWEST_MIN_FALSE_MATCHES) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, name + " must be at least " + LOWEST_MIN_FALSE_MATCHES
                    + " (Doddington's rule of 30), got " + minFalseMatches);
        }
    }

    /** 100 / target: the impostor count below which a target FMR is not reported under the default rule. */
    public static long impostorsNeeded(double targetFmr) {
        return impostorsNeeded(targetFmr, DEFAULT_MIN_FALSE_MATCHES);
    }

    /** minFalseMatches / target: the impostor count below which a target FMR is not reported under that rule. */
    public static long impostorsNeeded(double targetFmr, int minFalseMatches) {
        return (long) Math.ceil(minFalseMatches / targetFmr - 1e-6);
    }

    /**
     * The lowest threshold T with FMR(T) &le; target: at most k = floor(target·N) impostor scores may reach it, so
     * T sits just above the (k+1)-th highest impostor score. When that score is tied with higher ones, T must clear
     * the whole tie and the FMR achieved is below the target; the lowest such T is kept because it minimises FNMR.
     */
    public float thresholdAtFmr(double targetFmr) {
        if (!(targetFmr > 0 && targetFmr < 1)) {
            throw new IllegalArgumentException("target FMR must be in (0,1): " + targetFmr);
        }
        int n = impostorSorted.length;
        if (n == 0) {
            throw new IllegalStateException("no impostor scores");
        }
        // The tiny relative slack keeps 1e-3 x 2,000,000 at 2000 despite binary fractions.
        long allowed = (long) Math.floor(targetFmr * n * (1 + 1e-12));
        float kth = impostorSorted[n - 1 - (int) allowed];
        return Math.nextUp(kth);
    }

    /** Operating point at a target FMR under the default rule, or its "not enough impostors" stand-in. */
    public OperatingPoint operatingPoint(double targetFmr, long seed) {
        return operatingPoint(targetFmr, seed, DEFAULT_MIN_FALSE_MATCHES);
    }

    /**
     * Operating point at a target FMR, or its "not enough impostors" stand-in when fewer than
     * minFalseMatches / target impostor comparisons are available.
     */
    public OperatingPoint operatingPoint(double targetFmr, long seed, int minFalseMatches) {
        checkMinFalseMatches("minimum expected false matches", minFalseMatches);
        int ng = genuineSorted.length;
        int ni = impostorSorted.length;
        if (ni < impostorsNeeded(targetFmr, minFalseMatches) || ng == 0) {
            return OperatingPoint.notMeasured(targetFmr, minFalseMatches, ni, ng);
        }
        float t = thresholdAtFmr(targetFmr);
        return operatingPointAt(targetFmr, t, falseMatches(t), ni, seed, minFalseMatches);
    }

    /**
     * The operating point at a threshold chosen over impostor scores this set does not hold (a distributed scorer
     * selects it exactly over billions of them); the genuine side, intervals and per-identity figures are this set's.
     *
     * @param t  the threshold: the lowest with FMR &le; target
     * @param fm false matches: impostor scores &ge; t
     * @param ni impostor comparisons, failed ones included
     * @param minFalseMatches the reporting rule the caller checked ni against (recorded in the point)
     */
    public OperatingPoint operatingPointAt(double targetFmr, float t, long fm, long ni, long seed, int minFalseMatches) {
        int ng = genuineSorted.length;
        long fnm = falseNonMatches(t);
        Interval cp = Interval.clopperPearson(fnm, ng, CONFIDENCE);
        Interval pooledBoot = null;
        Double perIdentity = null;
        Interval perIdentityBoot = null;
        Integer identities = null;
        if (genuineSubject != null) {
            SubjectErrors se = subjectErrors(t);
            identities = se.present;
            perIdentity = se.perIdentityFnmr();
            double[][] boot = se.bootstrap(BOOTSTRAP_SAMPLES, seed);
            pooledBoot = percentile(boot[0], "bootstrap over subjects");
            perIdentityBoot = percentile(boot[1], "bootstrap over subjects");
        }
        return new OperatingPoint(targetFmr, OperatingPoint.OK, minFalseMatches, impostorsNeeded(targetFmr, minFalseMatches),
                ni * targetFmr, ni, ng, t, fm, (double) fm / ni, fnm,
                (double) fnm / ng, cp, pooledBoot, perIdentity, perIdentityBoot, identities);
    }

    /** Per person: genuine comparisons and false non-matches at threshold t. */
    private SubjectErrors subjectErrors(float t) {
        long[] errors = new long[subjects];
        long[] total = new long[subjects];
        for (int i = 0; i < genuine.length; i++) {
            int s = genuineSubject[i];
            total[s]++;
            if (genuine[i] < t) {
                errors[s]++;
            }
        }
        int present = 0;
        for (long n : total) {
            if (n > 0) {
                present++;
            }
        }
        long[] e = new long[present];
        long[] n = new long[present];
        for (int s = 0, j = 0; s < subjects; s++) {
            if (total[s] > 0) {
                e[j] = errors[s];
                n[j++] = total[s];
            }
        }
        return new SubjectErrors(e, n, present);
    }

    private record SubjectErrors(long[] errors, long[] total, int present) {
        double perIdentityFnmr() {
            double sum = 0;
            for (int i = 0; i < present; i++) {
                sum += (double) errors[i] / total[i];
            }
            return sum / present;
        }

        /** [0]: pooled FNMR per resample, [1]: per-identity FNMR per resample; subjects drawn with replacement. */
        double[][] bootstrap(int samples, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            double[] pooled = new double[samples];
            double[] perId = new double[samples];
            for (int b = 0; b < samples; b++) {
                long e = 0;
                long n = 0;
                double rates = 0;
                for (int k = 0; k < present; k++) {
                    int s = random.nextInt(present);
                    e += errors[s];
                    n += total[s];
                    rates += (double) errors[s] / total[s];
                }
                pooled[b] = (double) e / n;
                perId[b] = rates / present;
            }
            return new double[][]{pooled, perId};
        }
    }

    private static Interval percentile(double[] values, String method) {
        double[] v = values.clone();
        Arrays.sort(v);
        double alpha = 1 - CONFIDENCE;
        int lo = (int) Math.floor(alpha / 2 * (v.length - 1));
        int hi = (int) Math.ceil((1 - alpha / 2) * (v.length - 1));
        return new Interval(v[lo], v[hi], method);
    }

    /** One point of a DET curve. */
    public record DetPoint(double fmr, double fnmr, float threshold) {
    }

    /**
     * The DET curve at about {@code points} thresholds, log-spaced in the number of false matches (1 .. all), so
     * the low-FMR end a DET plot is read for gets as many points as the rest.
     */
    public List<DetPoint> det(int points) {
        int n = impostorSorted.length;
        List<DetPoint> out = new ArrayList<>();
        if (n == 0 || genuineSorted.length == 0) {
            return out;
        }
        long lastFm = -1;
        for (int p = 0; p <= points; p++) {
            int j = (int) Math.round(Math.exp(Math.log(n) * p / points));
            j = Math.max(1, Math.min(n, j));
            float t = impostorSorted[n - j];
            if (t == Float.NEGATIVE_INFINITY) {
                break;
            }
            long fm = falseMatches(t);
            if (fm == lastFm) {
                continue;
            }
            lastFm = fm;
            out.add(new DetPoint((double) fm / n, fnmr(t), t));
        }
        return out;
    }

    /**
     * Score histograms, each class normalised to fractions of its own comparisons (impostors outnumber genuine
     * pairs ten to one). Failed comparisons are not drawn; they are counted apart.
     *
     * @param from     lower edge of the first bin
     * @param binWidth bin width
     * @param genuine  fraction of finite genuine scores per bin
     * @param impostor fraction of finite impostor scores per bin
     */
    public record Histogram(double from, double binWidth, double[] genuine, double[] impostor,
                            int genuineFailed, int impostorFailed) {
    }

    public Histogram histogram(int bins) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float[] a : new float[][]{genuineSorted, impostorSorted}) {
            int first = lowerBound(a, -Float.MAX_VALUE);
            if (first < a.length) {
                lo = Math.min(lo, a[first]);
                hi = Math.max(hi, a[a.length - 1]);
            }
        }
        double[] range = histogramRange(lo, hi, bins);
        double from = range[0];
        double width = range[1];
        return new Histogram(from, width, fill(genuineSorted, from, width, bins), fill(impostorSorted, from, width, bins),
                lowerBound(genuineSorted, -Float.MAX_VALUE), lowerBound(impostorSorted, -Float.MAX_VALUE));
    }

    /**
     * A histogram's first bin edge and bin width for finite scores in [lo, hi] (lo &gt; hi: none): edges on multiples
     * of 0.05, so charts of different runs line up.
     */
    public static double[] histogramRange(float lo, float hi, int bins) {
        if (lo > hi) {
            lo = -1;
            hi = 1;
        }
        double from = Math.floor(lo * 20) / 20;
        double to = Math.ceil(hi * 20) / 20;
        if (to <= from) {
            to = from + 0.05;
        }
        return new double[]{from, (to - from) / bins};
    }

    private static double[] fill(float[] sorted, double from, double width, int bins) {
        double[] h = new double[bins];
        int finite = 0;
        for (float s : sorted) {
            if (s == Float.NEGATIVE_INFINITY) {
                continue;
            }
            int b = (int) Math.floor((s - from) / width);
            h[Math.max(0, Math.min(bins - 1, b))]++;
            finite++;
        }
        if (finite > 0) {
            for (int i = 0; i < bins; i++) {
                h[i] /= finite;
            }
        }
        return h;
    }

    /** First index whose value is &ge; t. */
    static int lowerBound(float[] sorted, float t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
