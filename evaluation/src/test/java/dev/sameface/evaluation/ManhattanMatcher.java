package dev.sameface.evaluation;

import dev.sameface.api.Embedding;
import dev.sameface.api.Matcher;
import dev.sameface.api.MatcherProvider;
import dev.sameface.api.StageContext;

/**
 * A second matcher, registered in this module's test resources through META-INF/services exactly as a third-party
 * matcher plugin would be: minus the L1 distance, so its scores are never positive and rank pairs differently from
 * cosine. Whatever the evaluation reports for a configuration naming it must come from this class.
 */
public final class ManhattanMatcher implements Matcher {
    @Override
    public double similarity(Embedding a, Embedding b) {
        float[] x = a.vector();
        float[] y = b.vector();
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            d += Math.abs(x[i] - y[i]);
        }
        return -d;
    }

    public static final class Provider implements MatcherProvider {
        @Override
        public String name() {
            return "manhattan";
        }

        @Override
        public boolean needsModel() {
            return false;
        }

        @Override
        public Matcher create(StageContext context) {
            return new ManhattanMatcher();
        }
    }
}
