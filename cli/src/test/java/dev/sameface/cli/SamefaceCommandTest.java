package dev.sameface.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.sameface.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/** The command as a user runs it, on real LFW photos with the default (registry-fetched) pipeline. */
class SamefaceCommandTest {
    @TempDir
    Path dir;

    @Test
    void verifySaysSameForOnePersonAndDifferentForTwo() throws Exception {
        CliRun same = run("verify", "--json", TestData.lfw("George_W_Bush", 1).toString(), TestData.lfw("George_W_Bush", 2).toString());
        assertThat(same.exit()).as(same.err()).isZero();
        JsonNode s = Json.MAPPER.readTree(same.out());
        assertThat(s.get("same").asBoolean()).isTrue();
        assertThat(s.get("score").asDouble()).isGreaterThanOrEqualTo(s.get("threshold").asDouble());
        assertThat(s.get("a").get("timings").get("embed_ms").asDouble()).isPositive();

        CliRun diff = run("verify", TestData.lfw("George_W_Bush", 1).toString(), TestData.lfw("Serena_Williams", 1).toString());
        assertThat(diff.exit()).isZero();
        assertThat(diff.out()).contains("DIFFERENT people").contains("threshold:").contains("detect").contains("embed");
    }

    @Test
    void templateThenMatchGivesTheSameDecisionAsVerify() throws Exception {
        Path a = dir.resolve("a.sft");
        Path b = dir.resolve("b.sft");
        assertThat(run("template", TestData.lfw("Colin_Powell", 1).toString(), "-o", a.toString()).exit()).isZero();
        assertThat(run("template", TestData.lfw("Colin_Powell", 2).toString(), "-o", b.toString()).exit()).isZero();
        CliRun m = run("match", "--json", a.toString(), b.toString());
        assertThat(m.exit()).as(m.err()).isZero();
        assertThat(Json.MAPPER.readTree(m.out()).get("same").asBoolean()).isTrue();
    }

    @Test
    void errorsAreOneLineWithATypedExitCode() throws Exception {
        CliRun missing = run("verify", "/nonexistent/a.jpg", TestData.lfw("Colin_Powell", 1).toString());
        assertThat(missing.exit()).isEqualTo(4);
        assertThat(missing.err().strip()).isEqualTo("sameface: input location error: no such file: /nonexistent/a.jpg");

        // A file that exists but holds no readable image is an input error with the decoder's reason, as the README
        // says (exit 4), not a "different" decision: only a readable picture without a face is decided.
        Path text = dir.resolve("photo.jpg");
        Files.writeString(text, "not a photo");
        CliRun unreadable = run("verify", text.toString(), TestData.lfw("Colin_Powell", 1).toString());
        assertThat(unreadable.exit()).isEqualTo(4);
        assertThat(unreadable.out()).isEmpty();
        assertThat(unreadable.err().strip()).startsWith("sameface: image decode error: " + text + ": not an image");

        Path junk = dir.resolve("junk.sft");
        Files.writeString(junk, "not a template");
        Path good = dir.resolve("good.sft");
        run("template", TestData.lfw("Colin_Powell", 1).toString(), "-o", good.toString());
        CliRun corrupt = run("match", junk.toString(), good.toString());
        assertThat(corrupt.exit()).isEqualTo(6);
        assertThat(corrupt.err().strip().lines().count()).isEqualTo(1);
        assertThat(corrupt.err()).contains("junk.sft").doesNotContain("Exception").doesNotContain("\tat ");

        CliRun badEngine = run("verify", "--engine", "tensorrt", good.toString(), good.toString());
        assertThat(badEngine.exit()).isEqualTo(2);
        assertThat(badEngine.err()).contains("unknown engine 'tensorrt'").contains("onnxruntime");
    }

    @Test
    void anUnreadableImageWritesNoTemplateAndExits4WithTheReason() throws Exception {
        Path text = dir.resolve("notes.jpg");
        Files.writeString(text, "hello");
        CliRun r = run("template", text.toString(), "-o", dir.resolve("t.sft").toString());
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err().strip()).startsWith("sameface: image decode error: " + text + ": not an image");
        assertThat(Files.exists(dir.resolve("t.sft"))).isFalse();
    }

    @Test
    void helpExplainsTheThreshold() {
        CliRun r = run("--help");
        assertThat(r.out()).contains("FMR").contains("1e-3");
    }
}
