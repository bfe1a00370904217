package dev.sameface.evaluation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class IntervalTest {
    @Test
    void clopperPearsonHasClosedFormsAtTheEnds() {
        // x = 0: upper = 1 - (α/2)^(1/n); x = n: lower = (α/2)^(1/n).
        Interval zero = Interval.clopperPearson(0, 10, 0.95);
        assertThat(zero.low()).isZero();
        assertThat(zero.high()).isCloseTo(1 - Math.pow(0.025, 0.1), within(1e-9));
        Interval all = Interval.clopperPearson(10, 10, 0.95);
        assertThat(all.low()).isCloseTo(Math.pow(0.025, 0.1), within(1e-9));
        assertThat(all.high()).isEqualTo(1.0);
    }

    @Test
    void clopperPearsonMatchesTheTextbookValueForFiveOfTen() {
        // R: binom.test(5, 10)$conf.int = 0.1870860 0.8129140
        Interval i = Interval.clopperPearson(5, 10, 0.95);
        assertThat(i.low()).isCloseTo(0.1870860, within(1e-6));
        assertThat(i.high()).isCloseTo(0.8129140, within(1e-6));
    }

    @Test
    void clopperPearsonAtLargeCountsAgreesWithWilson() {
        // 2,000 errors in 2,000,000: both intervals are about ±1.96·sqrt(p(1-p)/n) around p.
        Interval cp = Interval.clopperPearson(2000, 2_000_000, 0.95);
        Interval w = Interval.wilson(2000, 2_000_000, 0.95);
        double half = 1.96 * Math.sqrt(1e-3 * (1 - 1e-3) / 2_000_000);
        assertThat(cp.low()).isCloseTo(1e-3 - half, within(half * 0.05));
        assertThat(cp.high()).isCloseTo(1e-3 + half, within(half * 0.05));
        assertThat(w.low()).isCloseTo(cp.low(), within(half * 0.05));
        assertThat(w.high()).isCloseTo(cp.high(), within(half * 0.05));
    }

    @Test
    void wilsonForFiveOfTen() {
        // p = 0.5, z = 1.959964: centre 0.5, half-width z/(1+z²/n)·sqrt(p(1-p)/n + z²/(4n²)).
        Interval w = Interval.wilson(5, 10, 0.95);
        double z = 1.959963984540054;
        double half = z / (1 + z * z / 10) * Math.sqrt(0.025 + z * z / 400);
        assertThat(w.low()).isCloseTo(0.5 - half, within(1e-6));
        assertThat(w.high()).isCloseTo(0.5 + half, within(1e-6));
    }

    @Test
    void incompleteBetaSpecialCases() {
        for (double x : new double[]{0.01, 0.3, 0.5, 0.77, 0.999}) {
            assertThat(Interval.regularizedBeta(x, 1, 1)).isCloseTo(x, within(1e-12));
            assertThat(Interval.regularizedBeta(x, 3, 1)).isCloseTo(Math.pow(x, 3), within(1e-12));
            assertThat(Interval.regularizedBeta(x, 1, 4)).isCloseTo(1 - Math.pow(1 - x, 4), within(1e-12));
        }
        assertThat(Interval.logGamma(10)).isCloseTo(Math.log(362880), within(1e-10));
        assertThat(Interval.normalQuantile(0.975)).isCloseTo(1.959963984540054, within(1e-8));
    }
}
