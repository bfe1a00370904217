package dev.sameface.server;

import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The load client, run small: every step counts its answers, and below saturation every answer is a 200. */
class LoadTestTest {
    @Test
    void aSmallRunAnswersEveryRequestAndReportsItsTable() {
        var pairs = List.of(
                new LoadTest.Pair(ImageDecoder.read(TestData.lfw("George_W_Bush", 1)), ImageDecoder.read(TestData.lfw("George_W_Bush", 2))),
                new LoadTest.Pair(ImageDecoder.read(TestData.lfw("George_W_Bush", 1)), ImageDecoder.read(TestData.lfw("Tony_Blair", 1))));
        StringWriter progress = new StringWriter();
        LoadTest test = new LoadTest(TestData.defaultConfig(), ServerSettings.defaults(), pairs, Duration.ofMinutes(2), new PrintWriter(progress));
        LoadTest.Report r = test.run(List.of(1), List.of(1, 12), 6, 4);

        assertThat(r.rows()).hasSize(2);
        LoadTest.Row serial = r.rows().getFirst();
        assertThat(serial.ok()).isEqualTo(6);
        assertThat(serial.overloaded() + serial.otherErrors()).isZero();
        assertThat(serial.p50Ms()).isPositive().isLessThanOrEqualTo(serial.p99Ms());
        LoadTest.Row crowded = r.rows().get(1);
        assertThat(crowded.ok() + crowded.overloaded()).as("only 200s and 503s").isEqualTo(6);
        assertThat(r.longRun().ok()).isEqualTo(4);
        assertThat(r.rssBeforeKb()).isPositive();
        assertThat(LoadTest.markdown(r, LoadTest.cpuName())).contains("| 1 | 1 | 6 |").contains("(long run)").contains("RSS before / after");
        assertThat(progress.toString()).contains("pipelines 1, concurrency   1:");
    }
}
