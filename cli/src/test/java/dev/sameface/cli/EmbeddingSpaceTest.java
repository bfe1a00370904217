package dev.sameface.cli;

import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.sameface.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, item 1: templates of different embedding spaces were compared. The same photo enrolled with
 * {@code mean=0, scale=1} and with the manifest's preparation scored -0.076, DIFFERENT, exit 0. Options that change the
 * embedder's input preparation now name another space, and templates of two spaces are refused (exit 6), by
 * {@code match} too, which loads no model; flip TTA keeps the space.
 */
class EmbeddingSpaceTest {
    private static final String G1 = TestData.lfw("George_W_Bush", 1).toString();
    private static final String[] RESCALED = {"--set", "embedder.options.mean=0", "--set", "embedder.options.scale=1"};

    @TempDir
    Path dir;

    private Path enrol(String name, String... extra) {
        Path out = dir.resolve(name);
        String[] args = new String[4 + extra.length];
        System.arraycopy(new String[]{"template", G1, "-o", out.toString()}, 0, args, 0, 4);
        System.arraycopy(extra, 0, args, 4, extra.length);
        CliRun r = run(args);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        return out;
    }

    @Test
    void templatesOfAnotherInputPreparationAreRefusedNotScored() {
        Path plain = enrol("plain.sft");
        Path rescaled = enrol("rescaled.sft", RESCALED);
        CliRun r = run("match", plain.toString(), rescaled.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(6);
        assertThat(r.out()).doesNotContain("DIFFERENT").doesNotContain("SAME");
        assertThat(r.err()).contains("mean=0.0,scale=1.0");
        // Under the configuration that made it, the rescaled template matches its own kind (no model is loaded for this).
        String[] args = {"match", "--json", rescaled.toString(), rescaled.toString(), RESCALED[0], RESCALED[1], RESCALED[2], RESCALED[3]};
        CliRun same = run(args);
        assertThat(same.exit()).as(same.out() + same.err()).isZero();
        assertThat(same.out()).contains("\"same\" : true");
    }

    @Test
    void flipTtaKeepsTheSpaceSoItsTemplatesStayComparable() {
        Path plain = enrol("plain.sft");
        Path flipped = enrol("flip.sft", "--set", "embedder.options.flip-tta=true");
        CliRun r = run("match", "--json", plain.toString(), flipped.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("\"same\" : true");
    }
}
