package dev.sameface.cli;

import com.fasterxml.jackson.databind.JsonNode;
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

/** {@code sameface match} compares two stored templates with the matcher and threshold only: no model is loaded. */
class MatchCommandTest {
    @TempDir
    Path dir;

    private Path template(String person, int index) {
        Path t = dir.resolve(person + "_" + index + ".sft");
        CliRun r = run("template", TestData.lfw(person, index).toString(), "-o", t.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        return t;
    }

    @Test
    void matchWorksWithAnEmptyModelCacheAndLeavesItEmpty() throws Exception {
        // Templates made beforehand with the real models, from the real cache.
        Path a = template("Colin_Powell", 1);
        Path b = template("Colin_Powell", 2);
        Path c = template("Serena_Williams", 1);
        CliRun verify = run("verify", "--json", TestData.lfw("Colin_Powell", 1).toString(), TestData.lfw("Colin_Powell", 2).toString());
        assertThat(verify.exit()).as(verify.err()).isZero();

        Path emptyHome = Files.createDirectories(dir.resolve("empty-home"));
        String before = System.getProperty("sameface.home");
        System.setProperty("sameface.home", emptyHome.toString());
        try {
            CliRun same = run("match", "--json", a.toString(), b.toString());
            assertThat(same.exit()).as(same.err()).isZero();
            JsonNode s = Json.MAPPER.readTree(same.out());
            assertThat(s.get("same").asBoolean()).isTrue();
            // Exactly the score the full pipeline gives the same two photos: same matcher, same threshold.
            JsonNode v = Json.MAPPER.readTree(verify.out());
            assertThat(s.get("score").asDouble()).isEqualTo(v.get("score").asDouble());
            assertThat(s.get("threshold").asDouble()).isEqualTo(v.get("threshold").asDouble());

            CliRun different = run("match", a.toString(), c.toString());
            assertThat(different.exit()).as(different.err()).isZero();
            assertThat(different.out()).contains("DIFFERENT people");
        } finally {
            if (before == null) {
                System.clearProperty("sameface.home");
            } else {
                System.setProperty("sameface.home", before);
            }
        }
        // Nothing was fetched or prepared into the empty cache on the way.
        try (Stream<Path> left = Files.list(emptyHome)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void templatesOfAnotherEmbeddingSpaceAreRefusedWithoutLoadingAModel() throws Exception {
        Path a = template("Colin_Powell", 1);
        Template real = TemplateCodec.decode(Files.readAllBytes(a));
        // Two templates that agree with each other but come from a model the configuration does not use.
        Template foreign = Template.of("another-model@0123456789abcdef", real.embedding(), real.landmarks());
        Path f1 = Files.write(dir.resolve("f1.sft"), TemplateCodec.encode(foreign));
        Path f2 = Files.write(dir.resolve("f2.sft"), TemplateCodec.encode(foreign));

        CliRun mixed = run("match", a.toString(), f1.toString());
        assertThat(mixed.exit()).isEqualTo(6);
        assertThat(mixed.err()).contains("templates come from different models");

        CliRun foreignPair = run("match", f1.toString(), f2.toString());
        assertThat(foreignPair.exit()).isEqualTo(6);
        assertThat(foreignPair.err().strip()).contains("template was made by model another-model@0123456789abcdef")
                .contains("this pipeline uses " + real.modelFingerprint());
    }
}
