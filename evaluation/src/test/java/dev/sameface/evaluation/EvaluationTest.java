package dev.sameface.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole evaluate/calibrate flow on synthetic templates: store reuse, metrics wiring, reports, charts. */
class EvaluationTest {
    @TempDir
    Path tmp;

    /** The extractors opened per configuration (one per enrolment thread); flip-tta means less noise. */
    private final Map<String, List<SyntheticFaces.Extractor>> opened = new ConcurrentHashMap<>();

    private ExtractorFactory factory() {
        return spec -> {
            boolean tta = "true".equals(spec.overrides().get("embedder.options.flip-tta"));
            SyntheticFaces.Extractor e = new SyntheticFaces.Extractor("synthetic tta=" + tta, tta ? 0.6 : 0.9);
            opened.computeIfAbsent(spec.label(), k -> new CopyOnWriteArrayList<>()).add(e);
            return e;
        };
    }

    /** Templates the extractors of one configuration computed, over all threads. */
    private int calls(String label) {
        return opened.getOrDefault(label, List.of()).stream().mapToInt(e -> e.calls.get()).sum();
    }

    @Test
    void evaluatesTwoConfigurationsComputingEachTemplateOnceAcrossRuns() throws Exception {
        Path root = SyntheticFaces.people(tmp.resolve("people"), 200, 6);
        Path store = tmp.resolve("store");
        Path out = tmp.resolve("out");
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new EvaluateCommand(factory()));
        cli.setOut(new PrintWriter(text));
        int code = cli.execute("--protocol", "folders", "--root", root.toString(), "--impostors", "15000",
                "--seed", "7", "--set", "embedder.options.flip-tta=true", "--store", store.toString(),
                "--out", out.toString(), "--json");
        assertThat(code).isEqualTo(0);
        int images = 0;
        for (int p = 0; p < 200; p++) {
            images += 1 + p % 6;
        }
        assertThat(calls("default")).isEqualTo(images);
        assertThat(calls("default + flip-tta=true")).isEqualTo(images);

        JsonNode json = new ObjectMapper().readTree(text.toString());
        assertThat(json.at("/protocol/impostors").asInt()).isEqualTo(15000);
        assertThat(json.at("/protocol/seed").asLong()).isEqualTo(7);
        JsonNode c0 = json.at("/configurations/0");
        assertThat(c0.at("/templates/computed").asInt()).isEqualTo(images);
        assertThat(c0.at("/templates/failed").asInt()).isPositive();
        assertThat(c0.at("/operatingPoints/0/status").asText()).isEqualTo("ok");
        assertThat(c0.at("/operatingPoints/0/targetFmr").asDouble()).isEqualTo(1e-2);
        assertThat(c0.at("/operatingPoints/0/fmr").asDouble()).isLessThanOrEqualTo(1e-2);
        assertThat(c0.at("/operatingPoints/1/status").asText()).isEqualTo("not enough impostors");
        assertThat(c0.at("/operatingPoints/1/fnmr").isNull() || c0.at("/operatingPoints/1/fnmr").isMissingNode()).isTrue();
        // Failed templates are non-matches: FNMR can never fall below the share of genuine pairs they touch.
        assertThat(c0.at("/operatingPoints/0/fnmr").asDouble()).isPositive();
        assertThat(c0.at("/operatingPoints/0/fnmrPerIdentity").isNumber()).isTrue();
        assertThat(json.at("/configurations/1/label").asText()).isEqualTo("default + flip-tta=true");

        for (String f : List.of("result.json", "report.md", "det.png", "det.svg", "histogram-default.png",
                "histogram-default-flip-tta-true.png")) {
            assertThat(out.resolve(f)).as(f).isRegularFile();
        }
        BufferedImage det = ImageIO.read(out.resolve("det.png").toFile());
        assertThat(det.getWidth()).isEqualTo(1000);
        String md = Files.readString(out.resolve("report.md"));
        assertThat(md).contains("FNMR (all pairs)").contains("FNMR (per identity)").contains("not enough impostors")
                .contains("![DET curve](det.png)").contains("comparisons/s");

        // A rerun with another impostor sample computes nothing: every template comes from the store.
        opened.clear();
        StringWriter again = new StringWriter();
        CommandLine cli2 = new CommandLine(new EvaluateCommand(factory()));
        cli2.setOut(new PrintWriter(again));
        assertThat(cli2.execute("--protocol", "folders", "--root", root.toString(), "--impostors", "12000",
                "--seed", "8", "--set", "embedder.options.flip-tta=true", "--store", store.toString(),
                "--out", tmp.resolve("out2").toString())).isEqualTo(0);
        assertThat(calls("default")).isZero();
        assertThat(calls("default + flip-tta=true")).isZero();
        assertThat(again.toString()).contains("0 computed").contains("FMR 1e-2").contains("not enough impostors");
    }

    @Test
    void calibrateWritesTheThresholdThatEvaluateReports() throws Exception {
        Path root = SyntheticFaces.people(tmp.resolve("people"), 200, 5);
        Path store = tmp.resolve("store");
        Path cfg = tmp.resolve("calibrated.yaml");
        StringWriter json = new StringWriter();
        CommandLine cal = new CommandLine(new CalibrateCommand(factory()));
        cal.setOut(new PrintWriter(json));
        assertThat(cal.execute("--fmr", "1e-3", "--protocol", "folders", "--root", root.toString(),
                "--impostors", "100000", "--store", store.toString(), "--write-config", cfg.toString(), "--json"))
                .isEqualTo(0);
        JsonNode j = new ObjectMapper().readTree(json.toString());
        double threshold = j.at("/threshold").asDouble();
        String yaml = Files.readString(cfg);
        assertThat(yaml).contains("threshold: " + ThresholdWriter.format((float) j.at("/operatingPoint/threshold").asDouble()));
        assertThat(yaml).contains("threshold-fmr: \"1e-3 on identity folders");
        assertThat(threshold).isGreaterThanOrEqualTo(j.at("/operatingPoint/threshold").floatValue());

        StringWriter err = new StringWriter();
        CommandLine tooFew = new CommandLine(new CalibrateCommand(factory()));
        tooFew.setErr(new PrintWriter(err));
        tooFew.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println(e.getMessage());
            return 2;
        });
        assertThat(tooFew.execute("--fmr", "1e-4", "--protocol", "folders", "--root", root.toString(),
                "--impostors", "100000", "--store", store.toString(), "--write-config", cfg.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("not enough impostors");
    }

    @Test
    void lfwStylePairsGiveTenFoldAccuracy() throws Exception {
        Path root = SyntheticFaces.people(tmp.resolve("people"), 60, 4);
        // 10 folds of 3 same + 3 different, LFW's format, over the synthetic people.
        StringBuilder pairs = new StringBuilder("10 3\n");
        int[] counts = new int[60];
        for (int p = 0; p < 60; p++) {
            counts[p] = 1 + p % 4;
        }
        int person = 0;
        for (int f = 0; f < 10; f++) {
            for (int k = 0; k < 3; k++) {
                while (counts[person % 60] < 2) {
                    person++;
                }
                String n = String.format("Person_%03d", person % 60);
                pairs.append(n).append(" 1 2\n");
                person++;
            }
            for (int k = 0; k < 3; k++) {
                pairs.append(String.format("Person_%03d 1 Person_%03d 1%n", (f * 3 + k) % 60, (f * 3 + k + 7) % 60));
            }
        }
        Path file = tmp.resolve("pairs.txt");
        Files.writeString(file, pairs.toString());
        PairSet set = LfwPairsProtocol.read(file, root, true);
        EvaluationResult r = new Evaluation(factory(), new PairScorer(),
                new Evaluation.Options(Evaluation.DEFAULT_TARGETS, 1, tmp.resolve("store"), 50, 40), Progress.silent())
                .run(set, List.of(new ConfigurationSpec("default", null, Map.of())), null);
        EvaluationResult.Configuration c = r.configurations().getFirst();
        assertThat(c.lfwAccuracy()).isNotNull();
        assertThat(c.lfwAccuracy().accuracy()).hasSize(10);
        assertThat(c.lfwAccuracy().mean()).isBetween(0.5, 1.0);
        assertThat(c.operatingPoints()).allMatch(o -> !o.measured());
        ReportWriter.write(r, tmp.resolve("lfw-out"));
        assertThat(Files.readString(tmp.resolve("lfw-out/report.md"))).contains("10-fold accuracy (LFW protocol)");

        // All pairs of the folders plus the pairs file's accuracy, from one set of templates in one report.
        PairSet folders = IdentityFolderProtocol.read(root, 10_000, 3);
        SyntheticFaces.Extractor[] made = new SyntheticFaces.Extractor[1];
        EvaluationResult both = new Evaluation(spec -> made[0] = (SyntheticFaces.Extractor) factory().open(spec),
                new PairScorer(), new Evaluation.Options(Evaluation.DEFAULT_TARGETS, 1, tmp.resolve("store2"), 50, 40),
                Progress.silent()).run(folders, set, List.of(new ConfigurationSpec("default", null, Map.of())), 3L);
        EvaluationResult.Configuration cb = both.configurations().getFirst();
        assertThat(made[0].calls.get()).isEqualTo(folders.images().size());
        assertThat(cb.lfwAccuracy().accuracy()).isEqualTo(c.lfwAccuracy().accuracy());
        assertThat(cb.operatingPoints().getFirst().measured()).isTrue();
        assertThat(both.protocol().accuracyPairs()).contains("pairs.txt");
    }
}
