package dev.sameface.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sameface.pipeline.models.QuantisedSidecar;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code models prepare --precision int8} on real LFW and the real cache. The full run (quantise + gate, ~25 min)
 * is set-up, run by scripts/test before the tests; here: who calibrates, and the command's answers.
 */
@Tag("slow") // quantises and gates an int8 copy
class Int8PreparationTest {
    private String tools;

    @BeforeEach
    void pointAtTheCheckoutsTools() {
        tools = System.getProperty("sameface.tools");
        System.setProperty("sameface.tools", Path.of("..", "tools").toAbsolutePath().normalize().toString());
    }

    @AfterEach
    void restore() {
        if (tools == null) {
            System.clearProperty("sameface.tools");
        } else {
            System.setProperty("sameface.tools", tools);
        }
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SamefaceCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[]{Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void calibrationPeopleHaveOnePhotoAndAreNeverInPairsTxt() throws Exception {
        Path root = TestData.lfwImages();
        List<Path> people = Int8Preparation.calibrationPeople(root, TestData.pairsFile());
        String pairs = Files.readString(TestData.pairsFile());
        assertThat(people).hasSizeGreaterThan(300);
        for (Path p : people) {
            String name = p.getFileName().toString();
            assertThat(pairs).as("%s named in pairs.txt", name).doesNotContainPattern("(?m)(^|\\s)" + java.util.regex.Pattern.quote(name) + "\\s");
            try (Stream<Path> photos = Files.list(p)) {
                assertThat(photos.count()).as("photos of %s", name).isEqualTo(1);
            }
        }
    }

    /** A gated copy, passed or failed, is not made again; its verdict is printed (and recorded, not an error). */
    @Test
    void anUpToDateGatedCopyIsNotMadeAgain() {
        var gate = TestData.cache().int8Sidecar("fr-feature-512").gate();
        String[] r = run("models", "prepare", "--precision", "int8", "fr-feature-512");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("fr-feature-512: int8 copy is up to date (" + gate.summary());
    }

    /** A copy made with another recipe (or before recipes were recorded) is stale: `models prepare` makes it again. */
    @Test
    void aCopyMadeWithAnotherRecipeIsStale() {
        Path tools = Path.of(System.getProperty("sameface.tools"));
        JsonNode current = Int8Preparation.recipe(tools, "fr-feature-512");
        assertThat(current.path("keep_f32").size()).isPositive();
        assertThat(current.has("why")).as("the recipe's explanation does not decide the copy").isFalse();
        QuantisedSidecar real = TestData.cache().int8Sidecar("fr-feature-512");
        assertThat(Int8Preparation.upToDate(real, current)).as("set-up made the cached copy with the committed recipe").isTrue();
        ObjectNode fewerInF32 = current.deepCopy();
        ((ArrayNode) fewerInF32.get("keep_f32")).remove(0);
        assertThat(Int8Preparation.upToDate(real, fewerInF32)).isFalse();
        QuantisedSidecar unrecorded = new QuantisedSidecar(real.format(), real.precision(), real.sourceSha256(), real.sha256(),
                real.method(), null, real.calibration(), real.gate(), real.speedOnly(), real.created(), real.cpu());
        assertThat(Int8Preparation.upToDate(unrecorded, current)).isFalse();
        assertThat(Int8Preparation.recipe(tools, "a-model-without-a-recipe").path("method").asText()).isEqualTo("MinMax");
    }

    @Test
    void onlyEmbeddersAndNamedModelsAreQuantised() {
        String[] none = run("models", "prepare", "--precision", "int8");
        assertThat(none[0]).isEqualTo("2");
        assertThat(none[2]).contains("--precision int8 needs the model ids");
        String[] detector = run("models", "prepare", "--precision", "int8", "--force", "ulfg-rfb-320");
        assertThat(detector[0]).isEqualTo("2");
        assertThat(detector[2]).contains("int8 preparation covers embedders").contains("ulfg-rfb-320 is a detector");
    }
}
