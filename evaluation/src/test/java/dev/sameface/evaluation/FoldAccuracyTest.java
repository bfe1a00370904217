package dev.sameface.evaluation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FoldAccuracyTest {
    /** 10 folds x (30 genuine at 0.8 + 30 impostor at 0.2). */
    private static float[][] data() {
        int n = 600;
        float[] s = new float[n];
        float[] fold = new float[n];
        float[] gen = new float[n];
        for (int i = 0; i < n; i++) {
            fold[i] = i / 60;
            gen[i] = (i % 60) < 30 ? 1 : 0;
            s[i] = gen[i] == 1 ? 0.8f : 0.2f;
        }
        return new float[][]{s, fold, gen};
    }

    private static FoldAccuracy run(float[] s, float[] fold, float[] gen) {
        int[] f = new int[s.length];
        boolean[] g = new boolean[s.length];
        for (int i = 0; i < s.length; i++) {
            f[i] = (int) fold[i];
            g[i] = gen[i] == 1;
        }
        return FoldAccuracy.compute(s, g, f, 10);
    }

    @Test
    void separableScoresGivePerfectAccuracyAndAThresholdBetweenTheClasses() {
        float[][] d = data();
        FoldAccuracy a = run(d[0], d[1], d[2]);
        assertThat(a.mean()).isEqualTo(1.0);
        assertThat(a.std()).isZero();
        for (float t : a.threshold()) {
            assertThat(t).isGreaterThan(0.2f).isLessThanOrEqualTo(0.8f);
        }
    }

    @Test
    void errorsInOneFoldShowInItsAccuracyAndInTheSpread() {
        float[][] d = data();
        // Fold 0: three genuine pairs score like impostors, one fails to enrol (-inf); fold 1: one impostor scores high.
        d[0][0] = 0.1f;
        d[0][1] = 0.1f;
        d[0][2] = 0.1f;
        d[0][3] = Float.NEGATIVE_INFINITY;
        d[0][60 + 45] = 0.9f;
        FoldAccuracy a = run(d[0], d[1], d[2]);
        assertThat(a.accuracy()[0]).isCloseTo(56 / 60.0, within(1e-12));
        assertThat(a.accuracy()[1]).isCloseTo(59 / 60.0, within(1e-12));
        for (int f = 2; f < 10; f++) {
            assertThat(a.accuracy()[f]).isEqualTo(1.0);
        }
        double mean = (56 / 60.0 + 59 / 60.0 + 8) / 10;
        assertThat(a.mean()).isCloseTo(mean, within(1e-12));
        double ss = Math.pow(56 / 60.0 - mean, 2) + Math.pow(59 / 60.0 - mean, 2) + 8 * Math.pow(1 - mean, 2);
        assertThat(a.std()).isCloseTo(Math.sqrt(ss / 9), within(1e-12));
        assertThat(a.standardError()).isCloseTo(a.std() / Math.sqrt(10), within(1e-12));
    }

    @Test
    void bestThresholdMaximisesCorrectDecisions() {
        float[] s = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        boolean[] g = {false, false, true, false, true, true};
        // T in (0.4, 0.5]: 5 of 6 right; T in (0.2, 0.3]: also 5 of 6. The first best gap is taken.
        float t = FoldAccuracy.bestThreshold(s, g);
        assertThat(t).isCloseTo(0.25f, within(1e-6f));
    }
}
