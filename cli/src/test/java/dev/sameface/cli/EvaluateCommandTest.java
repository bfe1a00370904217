package dev.sameface.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static dev.sameface.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code evaluate} and {@code calibrate} as a user runs them — commands of this module, over the evaluation
 * library — on real LFW photos with the default pipeline: 6 people, 5 photos each.
 */
class EvaluateCommandTest {
    private static final List<String> PEOPLE = List.of("George_W_Bush", "Colin_Powell", "Tony_Blair", "Donald_Rumsfeld",
            "Gerhard_Schroeder", "Ariel_Sharon");
    /** A JSON key with an upper-case letter: every --json output and result.json use snake_case. */
    private static final String CAMEL_CASE_KEY = "\"[a-z0-9]+[A-Z][A-Za-z0-9]*\"\\s*:";

    @TempDir
    Path dir;

    private Path people() throws IOException {
        return LfwPeople.copy(dir, PEOPLE, 5);
    }

    @Test
    void evaluateThenCalibrateOnRealPhotosWithSnakeCaseJson() throws Exception {
        Path root = people();
        Path store = dir.resolve("store");
        Path out = dir.resolve("out");
        // 30 photos: 60 genuine and 375 impostor comparisons, enough to measure FMR 0.5 (needs 200).
        List<String> common = List.of("--protocol", "folders", "--root", root.toString(), "--impostors", "1000",
                "--store", store.toString(), "--threads", "1");
        List<String> args = new ArrayList<>(List.of("evaluate"));
        args.addAll(common);
        args.addAll(List.of("--fmr", "0.5,1e-3,0.1", "--out", out.toString(), "--json"));
        CliRun eval = run(args);
        assertThat(eval.exit()).as(eval.err()).isZero();
        assertThat(eval.out()).isEqualTo(Files.readString(out.resolve("result.json"))).doesNotContainPattern(CAMEL_CASE_KEY);
        JsonNode r = Json.MAPPER.readTree(eval.out());
        assertThat(r.at("/protocol/genuine").asInt()).isEqualTo(60);
        assertThat(r.at("/protocol/impostors").asInt()).isEqualTo(375);
        JsonNode c = r.at("/configurations/0");
        assertThat(c.at("/templates/computed").asInt()).isEqualTo(30);
        assertThat(c.at("/scoring_kernel").asText()).isNotBlank();
        assertThat(c.at("/description").asText()).contains("matcher cosine");
        assertThat(c.at("/operating_points/0/status").asText()).isEqualTo("ok");
        assertThat(c.at("/operating_points/1/status").asText()).isEqualTo("not enough impostors");
        // The default rule (100 expected false matches) refuses FMR 0.1 of 375 impostors: 37.5 expected.
        assertThat(r.at("/min_false_matches").asInt()).isEqualTo(100);
        JsonNode tenth = c.at("/operating_points/2");
        assertThat(tenth.at("/status").asText()).isEqualTo("not enough impostors");
        assertThat(tenth.at("/min_false_matches").asInt()).isEqualTo(100);
        assertThat(tenth.at("/impostors_needed").asLong()).isEqualTo(1000);
        assertThat(tenth.at("/expected_false_matches").asDouble()).isEqualTo(375 * 0.1);
        assertThat(out.resolve("report.md")).isRegularFile();
        assertThat(Files.readString(out.resolve("report.md"))).contains("the default rule").doesNotContain("†");

        // Doddington's rule of 30 reports it (same templates: nothing enrolled again) and marks it; 0.05 (18.75
        // expected) stays refused; FMR 0.5, which both rules report, keeps its threshold.
        Path relaxedOut = dir.resolve("out-30");
        List<String> relaxed = new ArrayList<>(List.of("evaluate"));
        relaxed.addAll(common);
        relaxed.addAll(List.of("--fmr", "0.5,0.1,0.05", "--min-false-matches", "30", "--out", relaxedOut.toString(), "--json"));
        CliRun eval30 = run(relaxed);
        assertThat(eval30.exit()).as(eval30.err()).isZero();
        JsonNode r30 = Json.MAPPER.readTree(eval30.out());
        assertThat(r30.at("/min_false_matches").asInt()).isEqualTo(30);
        JsonNode c30 = r30.at("/configurations/0");
        assertThat(c30.at("/templates/computed").asInt()).isZero();
        assertThat(c30.at("/operating_points/0/threshold").asDouble()).isEqualTo(c.at("/operating_points/0/threshold").asDouble());
        assertThat(c30.at("/operating_points/1/status").asText()).isEqualTo("ok");
        assertThat(c30.at("/operating_points/1/expected_false_matches").asDouble()).isEqualTo(375 * 0.1);
        assertThat(c30.at("/operating_points/1/false_matches").asLong()).isLessThanOrEqualTo(37);
        assertThat(c30.at("/operating_points/2/status").asText()).isEqualTo("not enough impostors");
        assertThat(c30.at("/operating_points/2/impostors_needed").asLong()).isEqualTo(600);
        List<String> marked = Files.readString(relaxedOut.resolve("report.md")).lines()
                .filter(line -> line.startsWith("| ") && line.contains(" † |")).toList();
        assertThat(marked).hasSize(1);
        assertThat(marked.getFirst()).contains("| 37.5 |");
        assertThat(out.resolve("det.png")).isRegularFile();

        Path cfg = dir.resolve("calibrated.yaml");
        List<String> cal = new ArrayList<>(List.of("calibrate", "--fmr", "0.5", "--write-config", cfg.toString(), "--json"));
        cal.addAll(common);
        CliRun calibrate = run(cal);
        assertThat(calibrate.exit()).as(calibrate.err()).isZero();
        assertThat(calibrate.out()).doesNotContainPattern(CAMEL_CASE_KEY);
        JsonNode k = Json.MAPPER.readTree(calibrate.out());
        assertThat(k.at("/target_fmr").asDouble()).isEqualTo(0.5);
        assertThat(k.at("/config_file").asText()).isEqualTo(cfg.toString());
        // The threshold written is the one evaluate measured at the same FMR from the same templates.
        assertThat(k.at("/operating_point/threshold").asDouble()).isEqualTo(c.at("/operating_points/0/threshold").asDouble());
        assertThat(PipelineConfig.load(cfg).threshold()).isEqualTo(k.at("/threshold").asDouble());

        List<String> text = new ArrayList<>(List.of("calibrate", "--fmr", "0.5", "--write-config", cfg.toString()));
        text.addAll(common);
        CliRun plain = run(text);
        assertThat(plain.exit()).as(plain.err()).isZero();
        assertThat(plain.out()).startsWith("threshold " + k.at("/threshold").asText() + " at FMR ")
                .contains("written to " + cfg).hasLineCount(1);
    }

    @Test
    void theCommandsAreOnTheCommandLineWithoutReflection() {
        CliRun help = run(List.of("--help"));
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("evaluate").contains("calibrate");
        Iterator<String> names = SamefaceCommand.commandLine().getSubcommands().keySet().iterator();
        List<String> all = new ArrayList<>();
        names.forEachRemaining(all::add);
        assertThat(all).contains("verify", "template", "match", "evaluate", "calibrate");
    }

    @Test
    void badOptionsAreOneLineConfigErrorsBeforeAnyPhotoIsEnrolled() throws Exception {
        Path root = people();
        Path store = dir.resolve("store");
        int cores = Runtime.getRuntime().availableProcessors();
        for (String threads : List.of("0", String.valueOf(cores + 1))) {
            CliRun e = run(List.of("evaluate", "--protocol", "folders", "--root", root.toString(), "--store", store.toString(),
                    "--threads", threads, "--out", dir.resolve("out").toString()));
            assertThat(e.exit()).isEqualTo(2);
            assertThat(e.err().strip()).startsWith("sameface: config error: --threads " + threads + " is outside 1.." + cores)
                    .doesNotContain("\n");
            CliRun c = run(List.of("calibrate", "--fmr", "1e-1", "--protocol", "folders", "--root", root.toString(),
                    "--store", store.toString(), "--threads", threads, "--write-config", dir.resolve("c.yaml").toString()));
            assertThat(c.exit()).isEqualTo(2);
            assertThat(c.err()).contains("--threads " + threads + " is outside 1.." + cores);
        }
        CliRun fmr = run(List.of("evaluate", "--protocol", "folders", "--root", root.toString(), "--fmr", "2",
                "--store", store.toString()));
        assertThat(fmr.exit()).isEqualTo(2);
        assertThat(fmr.err()).contains("--fmr targets must be between 0 and 1, got 2.0");
        CliRun rule = run(List.of("evaluate", "--protocol", "folders", "--root", root.toString(), "--min-false-matches", "29",
                "--store", store.toString()));
        assertThat(rule.exit()).isEqualTo(2);
        assertThat(rule.err().strip()).startsWith("sameface: config error: --min-false-matches must be at least 30").doesNotContain("\n");
        // A matcher nobody registered is refused by name before enrolment (the evaluation honours the matcher).
        CliRun matcher = run(List.of("evaluate", "--protocol", "folders", "--root", root.toString(), "--store", store.toString(),
                "--set", "matcher.plugin=hamming", "--threads", "1", "--out", dir.resolve("out").toString()));
        assertThat(matcher.exit()).isEqualTo(2);
        assertThat(matcher.err()).contains("unknown matcher plugin 'hamming'").contains("cosine");
        assertThat(store).doesNotExist();
        assertThat(dir.resolve("c.yaml")).doesNotExist();
    }
}
