package dev.sameface.evaluation;

import dev.sameface.api.Embedding;
import dev.sameface.api.Matcher;

/**
 * Scores through the {@link Matcher} SPI, pair by pair: what any configured matcher other than cosine gets, so the
 * evaluation measures the matcher the configuration will use in production. Slower than the cosine kernel (one
 * call per pair), which is why cosine keeps {@link PairScorer}.
 */
public final class MatcherScoring implements PairScoring {
    private final String matcherName;
    private final Matcher matcher;

    public MatcherScoring(String matcherName, Matcher matcher) {
        this.matcherName = matcherName;
        this.matcher = matcher;
    }

    @Override
    public String name() {
        return "matcher " + matcherName + " (Matcher SPI, one call per pair)";
    }

    @Override
    public void warmUp(TemplateMatrix m) {
        // Nothing to warm that matters: a plugin's speed is its own, and the figure is reported as measured.
    }

    @Override
    public float[] score(TemplateMatrix m, int[] left, int[] right, Progress.Bar bar) {
        if (left.length != right.length) {
            throw new IllegalArgumentException("left and right differ in length");
        }
        Embedding[] rows = new Embedding[m.rows()];
        float[] data = m.data();
        int dim = m.dimension();
        float[] out = new float[left.length];
        int reportEvery = 1 << 14;
        int done = 0;
        for (int i = 0; i < left.length; i++) {
            int a = left[i];
            int b = right[i];
            if (m.isFailed(a) || m.isFailed(b)) {
                out[i] = Float.NEGATIVE_INFINITY;
            } else {
                out[i] = (float) matcher.similarity(row(rows, data, a, dim), row(rows, data, b, dim));
            }
            if (++done >= reportEvery) {
                bar.stepBy(done);
                done = 0;
            }
        }
        bar.stepBy(done);
        return out;
    }

    /** Each row becomes an Embedding once, when first needed. */
    private static Embedding row(Embedding[] rows, float[] data, int r, int dim) {
        Embedding e = rows[r];
        if (e == null) {
            e = new Embedding(java.util.Arrays.copyOfRange(data, r * dim, (r + 1) * dim));
            rows[r] = e;
        }
        return e;
    }
}
