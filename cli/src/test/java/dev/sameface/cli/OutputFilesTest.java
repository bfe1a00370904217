package dev.sameface.cli;

import dev.sameface.api.Template;
import dev.sameface.api.TemplateCodec;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static dev.sameface.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/** Files the CLI writes go through a fresh temporary file and a rename: a planted symlink is never written through. */
class OutputFilesTest {
    @TempDir
    Path dir;

    @Test
    void templateOutputNeverFollowsASymlinkAtTheOldFixedTemporaryName() throws Exception {
        Path victim = Files.writeString(dir.resolve("unrelated.txt"), "precious data\n");
        Path out = dir.resolve("out.sft");
        Files.createSymbolicLink(dir.resolve("out.sft.tmp"), victim);

        CliRun r = run("template", TestData.lfw("George_W_Bush", 1).toString(), "-o", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(victim)).isEqualTo("precious data\n");
        assertThat(Files.isSymbolicLink(dir.resolve("out.sft.tmp"))).isTrue();
        Template t = TemplateCodec.decode(Files.readAllBytes(out));
        assertThat(t.isFailed()).isFalse();
        // Nothing but what was there plus the template: no temporary file left behind.
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("unrelated.txt", "out.sft.tmp", "out.sft");
        }
    }

    @Test
    void aSymlinkAtTheOutputNameIsReplacedNotWrittenThrough() throws Exception {
        Path victim = Files.writeString(dir.resolve("unrelated.txt"), "precious data\n");
        Path out = dir.resolve("out.sft");
        Files.createSymbolicLink(out, victim);

        CliRun r = run("template", TestData.lfw("George_W_Bush", 2).toString(), "-o", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(victim)).isEqualTo("precious data\n");
        assertThat(Files.isSymbolicLink(out)).isFalse();
        assertThat(TemplateCodec.decode(Files.readAllBytes(out)).isFailed()).isFalse();
    }
}
