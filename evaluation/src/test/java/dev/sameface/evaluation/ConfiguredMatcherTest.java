package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Template;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The evaluation measures the matcher each configuration names: cosine with the dot-product kernel, any other
 * matcher plugin (here {@link ManhattanMatcher}, registered in this module's test resources) through the Matcher SPI.
 */
class ConfiguredMatcherTest {
    @TempDir
    Path tmp;

    private static final double TARGET = 1e-2;

    @Test
    void aConfigurationNamingAnotherMatcherIsScoredWithThatMatcher() throws Exception {
        Path root = SyntheticFaces.people(tmp.resolve("people"), 120, 5);
        ProtocolSpec protocol = new ProtocolSpec.IdentityFolders(root, 20_000, 3);
        ExtractorFactory factory = spec -> new SyntheticFaces.Extractor("synthetic", 0.9);
        ConfigurationSpec manhattan = new ConfigurationSpec("manhattan", null, Map.of("matcher.plugin", "manhattan"));
        EvaluationResult r = Evaluation.run(new Evaluation.Request(protocol, null, List.of(ConfigurationSpec.defaults(), manhattan),
                new Evaluation.Options(List.of(TARGET), 3, tmp.resolve("store"), 50, 50)), factory, Progress.silent());
        EvaluationResult.Configuration c = r.configurations().get(0);
        EvaluationResult.Configuration m = r.configurations().get(1);
        assertThat(c.scoringKernel()).doesNotContain("manhattan");
        assertThat(m.scoringKernel()).contains("manhattan");

        // The same templates scored here, pair by pair, with each matcher itself: the reported thresholds must be
        // the ones those scores give.
        PairSet pairs = protocol.read();
        List<Template> templates = new ArrayList<>();
        try (TemplateExtractor e = factory.open(ConfigurationSpec.defaults())) {
            for (Path image : pairs.images()) {
                templates.add(e.extract(image));
            }
        }
        ManhattanMatcher l1 = new ManhattanMatcher();
        OperatingPoint expectedL1 = expected(pairs, templates, (a, b) -> l1.similarity(a.embedding(), b.embedding()));
        OperatingPoint expectedCos = expected(pairs, templates, (a, b) -> a.embedding().dot(b.embedding()));
        OperatingPoint gotL1 = m.operatingPoints().getFirst();
        OperatingPoint gotCos = c.operatingPoints().getFirst();
        assertThat(gotL1.measured()).isTrue();
        assertThat(gotL1.threshold()).isEqualTo(expectedL1.threshold()).isNegative();
        assertThat(gotL1.fnmr()).isEqualTo(expectedL1.fnmr());
        assertThat(gotCos.threshold()).isEqualTo(expectedCos.threshold(), org.assertj.core.data.Offset.offset(1e-5f)).isPositive();
    }

    @Test
    void anUnknownMatcherFailsBeforeAnyImageIsEnrolled() throws Exception {
        Path root = SyntheticFaces.people(tmp.resolve("people"), 20, 3);
        List<SyntheticFaces.Extractor> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExtractorFactory factory = spec -> {
            SyntheticFaces.Extractor e = new SyntheticFaces.Extractor("synthetic", 0.9);
            opened.add(e);
            return e;
        };
        ConfigurationSpec bogus = new ConfigurationSpec("bogus", null, Map.of("matcher.plugin", "hamming"));
        assertThatThrownBy(() -> Evaluation.run(new Evaluation.Request(new ProtocolSpec.IdentityFolders(root, 100, 1), null,
                List.of(ConfigurationSpec.defaults(), bogus), new Evaluation.Options(List.of(0.1), 1, tmp.resolve("store"), 10, 10)),
                factory, Progress.silent()))
                .isInstanceOf(FaceException.class)
                .hasMessageContaining("unknown matcher plugin 'hamming'").hasMessageContaining("manhattan")
                .extracting(t -> ((FaceException) t).code()).isEqualTo(ErrorCode.UNKNOWN_NAME);
        assertThat(opened.stream().mapToInt(e -> e.calls.get()).sum()).isZero();
    }

    private interface Similarity {
        double of(Template a, Template b);
    }

    private static OperatingPoint expected(PairSet pairs, List<Template> t, Similarity s) {
        List<Float> genuine = new ArrayList<>();
        List<Float> impostor = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            Template a = t.get(pairs.left()[i]);
            Template b = t.get(pairs.right()[i]);
            float score = a.isFailed() || b.isFailed() ? Float.NEGATIVE_INFINITY : (float) s.of(a, b);
            (pairs.genuine()[i] ? genuine : impostor).add(score);
        }
        return new ScoreSet(toArray(genuine), null, toArray(impostor)).operatingPoint(TARGET, 3);
    }

    private static float[] toArray(List<Float> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }
}
