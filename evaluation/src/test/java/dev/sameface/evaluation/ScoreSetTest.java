package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ScoreSetTest {
    private static final float NI = Float.NEGATIVE_INFINITY;

    /** 1000 distinct impostor scores 0.000, 0.001, ..., 0.999. */
    private static float[] ladder() {
        float[] s = new float[1000];
        for (int i = 0; i < s.length; i++) {
            s[i] = i / 1000f;
        }
        return s;
    }

    @Test
    void thresholdLetsExactlyTheAllowedNumberOfImpostorsThrough() {
        ScoreSet set = new ScoreSet(new float[]{0.5f, 0.989f, 0.9895f, 0.995f}, null, ladder());
        // FMR 1e-2 of 1000 allows 10 false matches: 0.990..0.999; T sits just above the 11th highest, 0.989.
        float t = set.thresholdAtFmr(1e-2);
        assertThat(t).isEqualTo(Math.nextUp(0.989f));
        assertThat(set.falseMatches(t)).isEqualTo(10);
        assertThat(set.fmr(t)).isEqualTo(0.01);
        // 0.5 and 0.989 are below T; 0.9895 and 0.995 are matches.
        assertThat(set.falseNonMatches(t)).isEqualTo(2);
        assertThat(set.fnmr(t)).isEqualTo(0.5);
    }

    @Test
    void tiedImpostorScoresPushTheThresholdAboveTheWholeTie() {
        float[] imp = new float[1000];
        for (int i = 0; i < imp.length; i++) {
            imp[i] = i < 15 ? 0.9f : 0.1f;
        }
        ScoreSet set = new ScoreSet(new float[]{0.95f, 0.9f}, null, imp);
        float t = set.thresholdAtFmr(1e-2);
        // 15 tied at 0.9 > the 10 allowed: no threshold inside the tie works, so T clears it and FMR drops to 0.
        assertThat(t).isGreaterThan(0.9f);
        assertThat(set.fmr(t)).isZero();
        assertThat(set.fmr(0.9f)).isEqualTo(0.015);
        assertThat(set.falseNonMatches(t)).isEqualTo(1);
    }

    @Test
    void thresholdIsTheLowestThatHoldsTheTargetOnRandomScores() {
        SplittableRandom r = new SplittableRandom(7);
        float[] imp = new float[200_000];
        for (int i = 0; i < imp.length; i++) {
            // Rounded to 3 decimals so that ties are common.
            imp[i] = Math.round((float) (r.nextGaussian() * 0.1) * 1000) / 1000f;
        }
        float[] gen = new float[5000];
        for (int i = 0; i < gen.length; i++) {
            gen[i] = (float) (0.5 + r.nextGaussian() * 0.15);
        }
        ScoreSet set = new ScoreSet(gen, null, imp);
        for (double target : List.of(1e-1, 1e-2, 1e-3, 1e-4, 5e-5)) {
            float t = set.thresholdAtFmr(target);
            assertThat(set.fmr(t)).as("FMR at target %s", target).isLessThanOrEqualTo(target);
            assertThat(set.fmr(Math.nextDown(t))).as("one step lower breaks target %s", target).isGreaterThan(target);
        }
    }

    @Test
    void theRuleIsASettingWithTheRuleOfThirtyAsItsFloor() {
        // impostors x target must reach the rule's expected false matches.
        assertThat(ScoreSet.impostorsNeeded(1e-6, 30)).isEqualTo(30_000_000);
        assertThat(ScoreSet.impostorsNeeded(1e-6, ScoreSet.DEFAULT_MIN_FALSE_MATCHES)).isEqualTo(ScoreSet.impostorsNeeded(1e-6));
        assertThatThrownBy(() -> ScoreSet.checkMinFalseMatches("--min-false-matches", 29))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR))
                .hasMessage("--min-false-matches must be at least 30 (Doddington's rule of 30), got 29");
        ScoreSet set = new ScoreSet(new float[]{0.5f}, null, ladder());
        assertThatThrownBy(() -> set.operatingPoint(1e-2, 1, 29)).isInstanceOf(FaceException.class);
    }

    @Test
    void targetsWithTooFewImpostorsAreNotMeasured() {
        assertThat(ScoreSet.impostorsNeeded(1e-2)).isEqualTo(10_000);
        assertThat(ScoreSet.impostorsNeeded(1e-3)).isEqualTo(100_000);
        assertThat(ScoreSet.impostorsNeeded(1e-4)).isEqualTo(1_000_000);
        assertThat(ScoreSet.impostorsNeeded(1e-5)).isEqualTo(10_000_000);
        float[] gen = {0.8f, 0.7f};
        ScoreSet short1 = new ScoreSet(gen, null, new float[9_999]);
        OperatingPoint p = short1.operatingPoint(1e-2, 1);
        assertThat(p.measured()).isFalse();
        assertThat(p.status()).isEqualTo("not enough impostors");
        assertThat(p.threshold()).isNull();
        assertThat(p.fnmr()).isNull();
        assertThat(p.fnmrInterval()).isNull();
        assertThat(p.impostors()).isEqualTo(9_999);
        ScoreSet enough = new ScoreSet(gen, null, new float[10_000]);
        assertThat(enough.operatingPoint(1e-2, 1).measured()).isTrue();
    }

    @Test
    void failedTemplatesAreNonMatchesOnBothSides() {
        float[] imp = ladder();
        imp[0] = NI;
        imp[1] = NI;
        ScoreSet set = new ScoreSet(new float[]{NI, 0.999f, 0.2f, NI}, null, imp);
        float t = set.thresholdAtFmr(1e-2);
        // Failed impostor comparisons stay in the denominator and never match.
        assertThat(set.impostorCount()).isEqualTo(1000);
        assertThat(set.falseMatches(-Float.MAX_VALUE)).isEqualTo(998);
        // Failed genuine comparisons are false non-matches at any threshold.
        assertThat(set.falseNonMatches(-Float.MAX_VALUE)).isEqualTo(2);
        assertThat(set.falseNonMatches(t)).isEqualTo(3);
    }

    @Test
    void allFailedImpostorsGiveAThresholdThatStillRejectsFailedGenuines() {
        float[] imp = new float[100];
        java.util.Arrays.fill(imp, NI);
        ScoreSet set = new ScoreSet(new float[]{NI, -0.5f}, null, imp);
        float t = set.thresholdAtFmr(1e-2);
        assertThat(set.falseMatches(t)).isZero();
        assertThat(set.falseNonMatches(t)).isEqualTo(1);
    }

    @Test
    void fnmrOverAllPairsAndPerIdentityDiffer() {
        // Person 0: 8 genuine pairs, all match. Person 1: 2 pairs, one misses.
        float[] gen = {0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.0f};
        int[] subject = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
        float[] imp = new float[10_000];
        for (int i = 0; i < imp.length; i++) {
            imp[i] = i / 100_000f; // all below 0.1
        }
        ScoreSet set = new ScoreSet(gen, subject, imp);
        OperatingPoint p = set.operatingPoint(1e-2, 3);
        assertThat(p.fnmr()).isEqualTo(0.1);
        assertThat(p.fnmrPerIdentity()).isEqualTo(0.25);
        assertThat(p.identities()).isEqualTo(2);
        assertThat(p.fnmrInterval()).isEqualTo(Interval.clopperPearson(1, 10, 0.95));
        assertThat(p.fnmrPerIdentityInterval().low()).isLessThanOrEqualTo(0.25);
        assertThat(p.fnmrPerIdentityInterval().high()).isGreaterThanOrEqualTo(0.25);
        // Resampling two people: either none, one or both are person 1.
        assertThat(p.fnmrPerIdentityInterval().low()).isGreaterThanOrEqualTo(0.0);
        assertThat(p.fnmrPerIdentityInterval().high()).isLessThanOrEqualTo(0.5);
    }

    @Test
    void detCurveRunsFromLowToHighFmrWithFallingFnmr() {
        SplittableRandom r = new SplittableRandom(11);
        float[] imp = new float[100_000];
        for (int i = 0; i < imp.length; i++) {
            imp[i] = (float) (r.nextGaussian() * 0.1);
        }
        float[] gen = new float[3000];
        for (int i = 0; i < gen.length; i++) {
            gen[i] = (float) (0.45 + r.nextGaussian() * 0.12);
        }
        List<ScoreSet.DetPoint> det = new ScoreSet(gen, null, imp).det(100);
        assertThat(det.size()).isGreaterThan(50);
        assertThat(det.getFirst().fmr()).isEqualTo(1e-5);
        assertThat(det.getLast().fmr()).isEqualTo(1.0);
        for (int i = 1; i < det.size(); i++) {
            assertThat(det.get(i).fmr()).isGreaterThan(det.get(i - 1).fmr());
            assertThat(det.get(i).fnmr()).isLessThanOrEqualTo(det.get(i - 1).fnmr());
        }
    }

    @Test
    void histogramFractionsSumToOnePerClassAndCountFailuresApart() {
        ScoreSet set = new ScoreSet(new float[]{0.5f, 0.6f, NI}, null, new float[]{-0.1f, 0.0f, 0.1f, NI, NI});
        ScoreSet.Histogram h = set.histogram(20);
        assertThat(java.util.Arrays.stream(h.genuine()).sum()).isCloseTo(1.0, within(1e-12));
        assertThat(java.util.Arrays.stream(h.impostor()).sum()).isCloseTo(1.0, within(1e-12));
        assertThat(h.genuineFailed()).isEqualTo(1);
        assertThat(h.impostorFailed()).isEqualTo(2);
        assertThat(h.from()).isLessThanOrEqualTo(-0.1);
    }
}
