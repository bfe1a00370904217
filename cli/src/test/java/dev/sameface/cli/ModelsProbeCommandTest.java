package dev.sameface.cli;

import dev.sameface.api.SamefaceHome;
import dev.sameface.evaluation.LfwPairsProtocol;
import dev.sameface.evaluation.PairSet;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.models.ModelManifest;
import dev.sameface.pipeline.models.UserModels;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.sameface.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code models probe} measures what a graph cannot tell, on real LFW pairs: for a copy of fr-feature-512 it must
 * find the feeding docs/models.md measured on LFW's ten folds (the manifest's), with its evidence.
 */
@Tag("slow")
class ModelsProbeCommandTest extends DeclaredModelsTest {
    @Test
    void theProbeFindsTheEmbeddersMeasuredFeedingWithItsEvidence() throws Exception {
        Path mine = copyOf(SamefaceHome.resolve().resolve("models/fr-feature-512/fr-feature-512.onnx"), "feature.onnx");
        assertThat(run("models", "add", mine.toString(), "--task", "embedder", "--id", "probed").exit()).isZero();
        UserModels.UserModel entry = UserModels.read(declared).model("probed");

        PairSet lfw = LfwPairsProtocol.read(TestData.pairsFile(), TestData.lfwImages(), false);
        StringWriter log = new StringWriter();
        ModelProbe.EmbedderResult r = ModelProbe.embedder(ModelCache.standard(), "probed", entry, lfw, 300, new PrintWriter(log, true));
        r.evidence().forEach(e -> log.append(e).append('\n'));
        System.out.print(log); // the measurement, in the test report

        // Every feeding the graph leaves open was measured, on pairs of every fold.
        assertThat(r.ranked()).hasSize(8);
        assertThat(r.pairs()).isEqualTo(300);
        // The recorded feeding (measured on 10 folds, docs/models.md) is the probe's answer: the same colour and a
        // scaling that feeds the same input.
        ModelManifest.Input measured = ModelManifest.load().model("fr-feature-512").input();
        ModelProbe.Candidate recorded = new ModelProbe.Candidate(measured.color(), measured.mean(), measured.scale());
        assertThat(r.best().color()).as(log.toString()).isEqualTo(recorded.color());
        assertThat(ModelProbe.sameScaling(r.best(), recorded)).as(log.toString()).isTrue();
        // Feeding raw 0..255 to a network trained on centred input is measurably wrong on a few hundred pairs.
        ModelProbe.Outcome raw = r.ranked().stream().filter(o -> o.candidate().scale() == 1 && o.candidate().color() == r.best().color())
                .findFirst().orElseThrow();
        assertThat(raw.correct()).isLessThan(r.ranked().getFirst().correct());
        assertThat(r.evidence()).anyMatch(e -> e.startsWith("colour order: ")).anyMatch(e -> e.startsWith("scaling: "))
                .anyMatch(e -> e.contains("300 LFW pairs"));

        // --write records the command's answer and its evidence (a few pairs here: the measurement is above); a tie
        // stays unproven rather than claimed.
        CliRun written = run("models", "probe", "probed", "--photos", TestData.shared().resolve("data/lfw").toString(), "--pairs", "40", "--write");
        assertThat(written.exit()).as(written.err()).isZero();
        assertThat(written.out()).contains("recorded in " + declared);
        UserModels.UserModel after = UserModels.read(declared).model("probed");
        assertThat(after.evidence()).containsAll(entry.evidence()).anyMatch(e -> e.startsWith("probe on 40 LFW pairs"));
        ModelProbe.Candidate chosen = new ModelProbe.Candidate(after.input().color(), after.input().mean(), after.input().scale());
        assertThat(written.out()).contains("best " + chosen.label());
    }

    @Test
    void theMirrorTestChecksADetectorsLandmarkOrder() throws Exception {
        Path mine = copyOf(TestData.sharedModels().resolve("yunet_n_dynamic.onnx"), "yunet.onnx");
        assertThat(run("models", "add", mine.toString(), "--task", "detector", "--id", "mirror-yunet").exit()).isZero();
        System.setProperty("sameface.local-models", TestData.sharedModels().toString());
        PairSet lfw = LfwPairsProtocol.read(TestData.pairsFile(), TestData.lfwImages(), false);
        List<Path> photos = java.util.Arrays.stream(ModelProbe.spread(lfw, 12)).mapToObj(i -> lfw.images().get(lfw.left()[i])).toList();
        ModelProbe.MirrorResult r = ModelProbe.mirrorTest(ModelCache.standard(), "mirror-yunet", UserModels.read(declared).model("mirror-yunet"),
                photos, dir, new PrintWriter(new StringWriter(), true));
        System.out.println(r.evidence());
        assertThat(r.faces()).isGreaterThanOrEqualTo(photos.size() - 1);
        assertThat(r.leftFirst()).isEqualTo(r.faces());
        assertThat(r.swapped()).isGreaterThanOrEqualTo(r.faces() * 9 / 10);
        assertThat(r.evidence()).startsWith("mirror test on " + photos.size() + " photos");
    }
}
