package dev.sameface.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.SamefaceHome;
import dev.sameface.pipeline.models.Sha256;
import dev.sameface.pipeline.models.UserModels;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static dev.sameface.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code models add} as a user runs it, on copies (in a temp dir) of real model files: the built-in embedder's, as
 * if it were the user's own, and the detectors of ../shared/models. Declarations go to a temp user-models file
 * ({@code sameface.user-models}), never into the shared cache's.
 */
class ModelsAddCommandTest extends DeclaredModelsTest {
    private static final String SAME_A = TestData.lfw("George_W_Bush", 1).toString();
    private static final String SAME_B = TestData.lfw("George_W_Bush", 2).toString();
    private static final String OTHER = TestData.lfw("Serena_Williams", 1).toString();

    private static Path builtInEmbedderFile() {
        return SamefaceHome.resolve().resolve("models/fr-feature-512/fr-feature-512.onnx");
    }

    private static double score(CliRun r) throws Exception {
        assertThat(r.exit()).as(r.err()).isZero();
        return Json.MAPPER.readTree(r.out()).get("score").asDouble();
    }

    @Test
    void aCopyOfTheDefaultEmbedderGivesAnEntryThatVerifyUsesWithTheBuiltInScores() throws Exception {
        Path mine = copyOf(builtInEmbedderFile(), "my_embedder.onnx");
        CliRun add = run("models", "add", mine.toString(), "--task", "embedder", "--id", "my-embedder");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).contains("declared my-embedder (embedder, plugin arcface)")
                .contains("input input[1,3,112,112]: layout NCHW")
                .contains("the graph does not normalise its input")
                .contains("byte for byte the built-in model 'fr-feature-512'")
                .contains("--set embedder.model=my-embedder");

        UserModels.UserModel entry = UserModels.read(declared).model("my-embedder");
        assertThat(entry.file()).isEqualTo(mine.toAbsolutePath().normalize().toString());
        assertThat(entry.sha256()).isEqualTo(Sha256.of(mine));
        assertThat(entry.plugin()).isEqualTo("arcface");
        assertThat(entry.input().name()).isEqualTo("input");
        assertThat(entry.graphNormalises()).isFalse();

        for (String[] pair : new String[][]{{SAME_A, SAME_B}, {SAME_A, OTHER}}) {
            double builtIn = score(run("verify", "--json", pair[0], pair[1]));
            double declaredScore = score(run("verify", "--json", "--set", "embedder.model=my-embedder", pair[0], pair[1]));
            assertThat(declaredScore).isEqualTo(builtIn);
        }
        CliRun list = run("models", "list");
        assertThat(list.out()).containsPattern("my-embedder +embedder +ready +your file " + java.util.regex.Pattern.quote(mine.toString()));
    }

    @Test
    void aFileChangedAfterItsDeclarationIsRefusedWithTheCommandThatDeclaresItAgain() throws Exception {
        Path mine = copyOf(builtInEmbedderFile(), "changing.onnx");
        assertThat(run("models", "add", mine.toString(), "--task", "embedder").exit()).isZero();
        assertThat(score(run("verify", "--json", "--set", "embedder.model=changing", SAME_A, SAME_B))).isPositive();

        Files.write(mine, new byte[]{0x0a, 0x00}, StandardOpenOption.APPEND);
        CliRun refused = run("verify", "--json", "--set", "embedder.model=changing", SAME_A, SAME_B);
        assertThat(refused.exit()).isEqualTo(ErrorCode.MODEL_CHECKSUM_MISMATCH.exitCode());
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err().strip()).doesNotContain("\n")
                .startsWith("sameface: ")
                .contains("model changing: " + mine.toAbsolutePath().normalize() + " changed after it was declared")
                .contains("declared " + UserModels.read(declared).model("changing").sha256())
                .contains("models add " + mine.toAbsolutePath().normalize() + " --task embedder --id changing --replace");

        // Declaring the same id again needs --replace; a built-in id can never be taken.
        CliRun again = run("models", "add", mine.toString(), "--task", "embedder", "--id", "changing");
        assertThat(again.exit()).isEqualTo(ErrorCode.CONFIG_ERROR.exitCode());
        assertThat(again.err()).contains("declared already").contains("--replace");
        CliRun shadow = run("models", "add", mine.toString(), "--task", "embedder", "--id", "fr-feature-512");
        assertThat(shadow.exit()).isEqualTo(ErrorCode.CONFIG_ERROR.exitCode());
        assertThat(shadow.err()).contains("built-in");
    }

    @Test
    void aCopyOfScrfdIsDeclaredAsADetectorForTheScrfdPlugin() throws Exception {
        Path mine = copyOf(TestData.sharedModels().resolve("scrfd_500m_bnkps.onnx"), "scrfd_500m_bnkps.onnx");
        CliRun add = run("models", "add", mine.toString(), "--task", "detector", "--id", "my-scrfd", "--licence", "non-commercial research");
        assertThat(add.exit()).as(add.err()).isZero();
        UserModels.UserModel entry = UserModels.read(declared).model("my-scrfd");
        assertThat(entry.task()).isEqualTo("detector");
        assertThat(entry.plugin()).isEqualTo("scrfd");
        assertThat(entry.input().name()).isEqualTo("input.1");
        assertThat(entry.input().width()).as("dynamic input").isZero();
        assertThat(entry.outputs()).hasSize(9).anyMatch(o -> o.startsWith("kps_32"));
        assertThat(entry.evidence()).anyMatch(e -> e.contains("the SCRFD family, decoded by plugin 'scrfd'"));
        assertThat(run("models", "list").out()).containsPattern("my-scrfd +detector +ready .*\\[non-commercial research\\]");

        // verify uses it, on the scrfd plugin it brings, with the scores of the built-in scrfd entry (same bytes).
        System.setProperty("sameface.local-models", TestData.sharedModels().toString());
        try {
            double builtIn = score(run("verify", "--json", "--set", "detector.plugin=scrfd", "--set", "detector.model=scrfd-500m", SAME_A, SAME_B));
            double declaredScore = score(run("verify", "--json", "--set", "detector.model=my-scrfd", SAME_A, SAME_B));
            assertThat(declaredScore).isEqualTo(builtIn);
            assertThat(score(run("verify", "--json", "--set", "detector.model=my-scrfd", SAME_A, OTHER))).isLessThan(declaredScore);
        } finally {
            System.clearProperty("sameface.local-models");
        }
    }

    @Test
    void aCopyOfYunetNeedsOnlyDetectorModelToRunOnTheYunetPlugin() throws Exception {
        Path mine = copyOf(TestData.sharedModels().resolve("yunet_n_dynamic.onnx"), "yunet.onnx");
        CliRun add = run("models", "add", mine.toString(), "--task", "detector", "--id", "my-yunet");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(UserModels.read(declared).model("my-yunet").plugin()).isEqualTo("yunet");

        System.setProperty("sameface.local-models", TestData.sharedModels().toString());
        try {
            double builtIn = score(run("verify", "--json", "--set", "detector.plugin=yunet", "--set", "detector.model=yunet-n", SAME_A, SAME_B));
            // Only the model is named: the declared entry brings its plugin.
            double declaredScore = score(run("verify", "--json", "--set", "detector.model=my-yunet", SAME_A, SAME_B));
            assertThat(declaredScore).isEqualTo(builtIn);
        } finally {
            System.clearProperty("sameface.local-models");
        }
    }

    @Test
    void aGraphOfNoKnownFamilyIsRefusedNamingItsOutputs() throws Exception {
        Path mine = copyOf(TestData.sharedModels().resolve("retinaface_mnet025.onnx"), "retina.onnx");
        CliRun add = run("models", "add", mine.toString(), "--task", "detector");
        assertThat(add.exit()).isEqualTo(ErrorCode.MODEL_INCOMPATIBLE.exitCode());
        assertThat(add.err().strip()).contains("outputs [loc[?,?,?], conf[?,?,?], iou[?,?,?]] match no detector family")
                .contains("--plugin NAME");
        assertThat(Files.exists(declared)).isFalse();

        CliRun notOnnx = run("models", "add", Files.writeString(dir.resolve("x.onnx"), "not a model").toString(), "--task", "embedder");
        assertThat(notOnnx.exit()).isEqualTo(ErrorCode.MODEL_INCOMPATIBLE.exitCode());
    }

    @Test
    void printedEntryIsAConfigurationsModelsBlockThatVerifyUses() throws Exception {
        Path mine = copyOf(builtInEmbedderFile(), "printed.onnx");
        CliRun printed = run("models", "add", mine.toString(), "--task", "embedder", "--print");
        assertThat(printed.exit()).as(printed.err()).isZero();
        String block = printed.out().substring(0, printed.out().indexOf("\n  file:") + 1);
        JsonNode yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(block);
        assertThat(yaml.at("/models/printed/sha256").asText()).isEqualTo(Sha256.of(mine));
        assertThat(Files.exists(declared)).as("--print records nothing").isFalse();

        // The block, pasted into a configuration file, declares the model for that configuration only.
        Path config = Files.writeString(dir.resolve("mine.yaml"), block + "embedder:\n  model: printed\n");
        double builtIn = score(run("verify", "--json", SAME_A, SAME_B));
        assertThat(score(run("verify", "--json", "--config", config.toString(), SAME_A, SAME_B))).isEqualTo(builtIn);
        CliRun unknown = run("verify", "--json", "--set", "embedder.model=printed", SAME_A, SAME_B);
        assertThat(unknown.exit()).as("not declared outside that configuration").isEqualTo(ErrorCode.UNKNOWN_NAME.exitCode());

        Files.write(mine, new byte[]{0x0a, 0x00}, StandardOpenOption.APPEND);
        assertThat(run("verify", "--json", "--config", config.toString(), SAME_A, SAME_B).exit()).isEqualTo(ErrorCode.MODEL_CHECKSUM_MISMATCH.exitCode());
    }
}
