package dev.sameface.stages;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The region a detector's input shows: the whole photo, centred, with its margin, at the input's aspect ratio. */
class FramingRegionTest {
    @Test
    void withoutFramingTheInputShowsExactlyThePhoto() {
        Framing.Region r = Framing.NONE.region(250, 250, 0, 320.0 / 240);
        assertThat(r).isEqualTo(new Framing.Region(0, 0, 250, 250));
    }

    @Test
    void letterboxKeepsTheAspectRatioWithThePhotoCentredBetweenBars() {
        Framing lb = new Framing(true, 0, -1);
        // A portrait photo in a landscape input: bars left and right.
        Framing.Region r = lb.region(300, 400, 0, 320.0 / 240);
        assertThat(r.width() / r.height()).isCloseTo(320.0 / 240, within(1e-12));
        assertThat(r.height()).isEqualTo(400);
        assertThat(r.x() + r.width() / 2).isCloseTo(150, within(1e-9));
        // A wide panorama: bars above and below.
        Framing.Region w = lb.region(1000, 200, 0, 320.0 / 240);
        assertThat(w.width()).isEqualTo(1000);
        assertThat(w.y() + w.height() / 2).isCloseTo(100, within(1e-9));
        assertThat(w.width() / w.height()).isCloseTo(320.0 / 240, within(1e-12));
    }

    @Test
    void marginGrowsEverySideByAFractionOfTheLongerSide() {
        Framing f = new Framing(false, 0.25, -1);
        Framing.Region r = f.region(200, 100, 0.25, Double.NaN);
        assertThat(r).isEqualTo(new Framing.Region(-50, -50, 300, 200));
        assertThat(f.retries()).isFalse();
        assertThat(new Framing(false, 0, 0.3).retries()).isTrue();
        assertThat(new Framing(false, 0.3, 0.3).retries()).as("the same margin again finds nothing new").isFalse();
    }
}
