package dev.sameface.spark;

import dev.sameface.evaluation.ScoreSet;

import java.util.ArrayList;
import java.util.List;

/**
 * The DET curve and the score histograms of a report, from pass 1's impostor counts (the impostor scores are never
 * gathered). DET points sit at bucket edges, where the false-match count is exact, log-spaced in false matches as
 * {@link ScoreSet#det} spaces them. Impostor histogram bins take each bucket whole by its lower edge: a bucket
 * (1/128 of a power of two wide, about 0.002 around 0.3) can straddle a bin edge, so a bin may be off by part of a
 * bucket; the histogram is for the eye, every reported number comes from exact counts.
 */
final class Curves {
    private Curves() {
    }

    static List<ScoreSet.DetPoint> det(long[] coarse, long impostors, ScoreSet genuine, int points) {
        List<ScoreSet.DetPoint> out = new ArrayList<>();
        if (impostors == 0 || genuine.genuineCount() == 0) {
            return out;
        }
        long lastFm = -1;
        for (int p = 0; p <= points; p++) {
            long j = Math.max(1, Math.min(impostors, Math.round(Math.exp(Math.log(impostors) * p / points))));
            ExactSelection.Place place = ExactSelection.place(coarse, j - 1);
            float t = ExactSelection.value(place.bucket() << 16);
            if (t == Float.NEGATIVE_INFINITY || Float.isNaN(t)) {
                break;
            }
            long fm = place.above() + coarse[place.bucket()];
            if (fm == lastFm) {
                continue;
            }
            lastFm = fm;
            out.add(new ScoreSet.DetPoint((double) fm / impostors, genuine.fnmr(t), t));
        }
        return out;
    }

    static ScoreSet.Histogram histogram(long[] coarse, float[] genuine, int bins) {
        int negInf = ExactSelection.high(Float.NEGATIVE_INFINITY);
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float s : genuine) {
            if (s != Float.NEGATIVE_INFINITY) {
                lo = Math.min(lo, s);
                hi = Math.max(hi, s);
            }
        }
        for (int b = 0; b < coarse.length; b++) {
            if (coarse[b] > 0 && b != negInf) {
                lo = Math.min(lo, ExactSelection.value(b << 16));
                hi = Math.max(hi, ExactSelection.value(b << 16));
            }
        }
        double[] range = ScoreSet.histogramRange(lo, hi, bins);
        double from = range[0];
        double width = range[1];
        double[] g = new double[bins];
        int genuineFailed = 0;
        for (float s : genuine) {
            if (s == Float.NEGATIVE_INFINITY) {
                genuineFailed++;
            } else {
                g[bin(s, from, width, bins)]++;
            }
        }
        double[] im = new double[bins];
        long finite = 0;
        for (int b = 0; b < coarse.length; b++) {
            if (coarse[b] > 0 && b != negInf) {
                im[bin(ExactSelection.value(b << 16), from, width, bins)] += coarse[b];
                finite += coarse[b];
            }
        }
        normalise(g, genuine.length - genuineFailed);
        normalise(im, finite);
        return new ScoreSet.Histogram(from, width, g, im, genuineFailed, (int) Math.min(Integer.MAX_VALUE, coarse[negInf]));
    }

    private static int bin(float s, double from, double width, int bins) {
        return Math.max(0, Math.min(bins - 1, (int) Math.floor((s - from) / width)));
    }

    private static void normalise(double[] h, long total) {
        if (total > 0) {
            for (int i = 0; i < h.length; i++) {
                h[i] /= total;
            }
        }
    }
}
