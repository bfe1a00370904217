package dev.sameface.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole evaluate/calibrate flow through the library's entry points ({@link Evaluation#run(Evaluation.Request,
 * ExtractorFactory, Progress)}, {@link Calibration}) on synthetic templates: store reuse, metrics wiring, reports,
 * charts. The commands over them are tested in the cli module, on real photos.
 */
@Tag("slow") // over 30 s
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
        List<ConfigurationSpec> specs = List.of(ConfigurationSpec.defaults(), new ConfigurationSpec("default + flip-tta=true", null,
                Map.of("embedder.options.flip-tta", "true")));
        EvaluationResult result = Evaluation.run(new Evaluation.Request(new ProtocolSpec.IdentityFolders(root, 15000, 7), null,
                specs, new Evaluation.Options(Evaluation.DEFAULT_TARGETS, 7, store, 200, 100)), factory(), Progress.silent());
        ReportWriter.write(result, out);
        int images = 0;
        for (int p = 0; p < 200; p++) {
            images += 1 + p % 6;
        }
        assertThat(calls("default")).isEqualTo(images);
        assertThat(calls("default + flip-tta=true")).isEqualTo(images);

        // result.json is what evaluate --json prints; its keys are snake_case, like every --json output.
        JsonNode json = JsonWriter.MAPPER.readTree(out.resolve("result.json").toFile());
        assertThat(Files.readString(out.resolve("result.json"))).isEqualTo(ReportWriter.json(result))
                .doesNotContainPattern("\"[a-z]+[A-Z][A-Za-z]*\"\\s*:");
        assertThat(json.at("/protocol/impostors").asInt()).isEqualTo(15000);
        assertThat(json.at("/protocol/seed").asLong()).isEqualTo(7);
        JsonNode c0 = json.at("/configurations/0");
        assertThat(c0.at("/templates/computed").asInt()).isEqualTo(images);
        assertThat(c0.at("/templates/failed").asInt()).isPositive();
        assertThat(c0.at("/operating_points/0/status").asText()).isEqualTo("ok");
        assertThat(c0.at("/operating_points/0/target_fmr").asDouble()).isEqualTo(1e-2);
        assertThat(c0.at("/operating_points/0/fmr").asDouble()).isLessThanOrEqualTo(1e-2);
        assertThat(c0.at("/operating_points/1/status").asText()).isEqualTo("not enough impostors");
        assertThat(c0.at("/operating_points/1/fnmr").isNull() || c0.at("/operating_points/1/fnmr").isMissingNode()).isTrue();
        // Failed templates are non-matches: FNMR can never fall below the share of genuine pairs they touch.
        assertThat(c0.at("/operating_points/0/fnmr").asDouble()).isPositive();
        assertThat(c0.at("/operating_points/0/fnmr_per_identity").isNumber()).isTrue();
        assertThat(json.at("/configurations/1/label").asText()).isEqualTo("default + flip-tta=true");
        // The file reads back into the result (docs/evaluation.md promises it).
        EvaluationResult back = JsonWriter.MAPPER.readValue(out.resolve("result.json").toFile(), EvaluationResult.class);
        assertThat(back.configurations().getFirst().operatingPoints())
                .isEqualTo(result.configurations().getFirst().operatingPoints());
        assertThat(back.configurations().getFirst().templates()).isEqualTo(result.configurations().getFirst().templates());

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
        EvaluationResult again = Evaluation.run(new Evaluation.Request(new ProtocolSpec.IdentityFolders(root, 12000, 8), null,
                specs, new Evaluation.Options(Evaluation.DEFAULT_TARGETS, 8, store, 200, 100)), factory(), Progress.silent());
        String summary = ReportWriter.summary(again, tmp.resolve("out2"));
        assertThat(calls("default")).isZero();
        assertThat(calls("default + flip-tta=true")).isZero();
        assertThat(summary).contains("0 computed").contains("FMR 1e-2").contains("not enough impostors");
    }

    @Test
    void calibrateWritesTheThresholdThatEvaluateReports() throws Exception {
        Path root = SyntheticFaces.people(tmp.resolve("people"), 200, 5);
        Path store = tmp.resolve("store");
        Path cfg = tmp.resolve("calibrated.yaml");
        ProtocolSpec protocol = new ProtocolSpec.IdentityFolders(root, 100000, 42);
        Calibration.Result r = Calibration.calibrate(new Calibration.Request(protocol, ConfigurationSpec.defaults(), 1e-3,
                cfg, store, 1, 42), factory(), Progress.silent());
        String yaml = Files.readString(cfg);
        assertThat(yaml).contains("threshold: " + ThresholdWriter.format(r.operatingPoint().threshold()));
        assertThat(yaml).contains("threshold-fmr: \"1e-3 on identity folders");
        assertThat(Double.parseDouble(r.thresholdText())).isGreaterThanOrEqualTo(r.operatingPoint().threshold());
        assertThat(r.operatingPoint().fmr()).isLessThanOrEqualTo(1e-3);
        assertThat(r.summary()).contains("threshold " + r.thresholdText() + " at FMR 1e-3").contains(cfg.toString());

        // The same run evaluated reports the threshold that was written.
        EvaluationResult e = Evaluation.run(new Evaluation.Request(protocol, null, List.of(ConfigurationSpec.defaults()),
                new Evaluation.Options(List.of(1e-3), 42, store, 50, 50)), factory(), Progress.silent());
        assertThat(e.configurations().getFirst().operatingPoints().getFirst().threshold()).isEqualTo(r.threshold());

        assertThatThrownBy(() -> Calibration.calibrate(new Calibration.Request(protocol, ConfigurationSpec.defaults(), 1e-4,
                cfg, store, 1, 42), factory(), Progress.silent()))
                .isInstanceOf(FaceException.class).hasMessageContaining("not enough impostors")
                .extracting(t -> ((FaceException) t).code()).isEqualTo(ErrorCode.CONFIG_ERROR);

        // 100,000 impostors x 4e-4 = 40 expected false matches: refused under the default rule (100), calibrated under
        // a relaxed one, which the written provenance says; below Doddington's 30 the rule itself is refused.
        assertThatThrownBy(() -> Calibration.calibrate(new Calibration.Request(protocol, ConfigurationSpec.defaults(), 4e-4,
                cfg, store, 1, 42), factory(), Progress.silent()))
                .isInstanceOf(FaceException.class).hasMessageContaining("250,000 needed for 100 expected false matches");
        Calibration.Result relaxed = Calibration.calibrate(new Calibration.Request(protocol, ConfigurationSpec.defaults(), 4e-4,
                cfg, store, 1, 42, 40), factory(), Progress.silent());
        assertThat(relaxed.operatingPoint().fmr()).isLessThanOrEqualTo(4e-4);
        assertThat(relaxed.operatingPoint().falseMatches()).isPositive().isLessThanOrEqualTo(40);
        assertThat(Files.readString(cfg)).contains("threshold: " + relaxed.thresholdText())
                .contains(String.format(java.util.Locale.ROOT, ", %d false matches", relaxed.operatingPoint().falseMatches()));
        assertThatThrownBy(() -> new Calibration.Request(protocol, ConfigurationSpec.defaults(), 1e-3, cfg, store, 1, 42, 29))
                .isInstanceOf(FaceException.class).hasMessageContaining("at least 30");
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
