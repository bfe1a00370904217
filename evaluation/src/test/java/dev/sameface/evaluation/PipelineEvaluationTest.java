package dev.sameface.evaluation;

import dev.sameface.api.Template;
import dev.sameface.pipeline.FacePipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * End to end on real LFW photos with the real default pipeline (ONNX Runtime, models from the cache that
 * {@code sameface models fetch} fills): two folds of 30 same + 30 different pairs from pairs.txt.
 */
class PipelineEvaluationTest {
    @TempDir
    Path tmp;

    /** The first 30 same and 30 different lines of LFW folds 1 and 2, as a 2-fold pairs file. */
    private Path twoSmallFolds() throws Exception {
        List<String> lines = Files.readAllLines(SharedData.lfw().resolve("pairs.txt"));
        List<String> out = new ArrayList<>(List.of("2 30"));
        for (int fold = 0; fold < 2; fold++) {
            int start = 1 + fold * 600;
            out.addAll(lines.subList(start, start + 30));
            out.addAll(lines.subList(start + 300, start + 330));
        }
        Path file = tmp.resolve("pairs-small.txt");
        Files.write(file, out);
        return file;
    }

    @Test
    void evaluatesRealPhotosAndReusesTheirTemplates() throws Exception {
        PairSet pairs = LfwPairsProtocol.read(twoSmallFolds(), SharedData.lfw().resolve("images_deepfunneled"), true);
        Path store = tmp.resolve("store");
        Evaluation.Options options = new Evaluation.Options(Evaluation.DEFAULT_TARGETS, 42, store, 50, 50);
        ConfigurationSpec spec = new ConfigurationSpec("default", null, Map.of());
        EvaluationResult first = new Evaluation(new PipelineExtractorFactory(), new PairScorer(), options, Progress.silent())
                .run(pairs, List.of(spec), null);
        EvaluationResult.Configuration c = first.configurations().getFirst();
        assertThat(c.templates().computed()).isEqualTo(pairs.images().size());
        assertThat(c.templates().fte()).as("LFW photos each hold a face").isLessThanOrEqualTo(0.05);
        assertThat(c.identity()).as("the store key names the engine").contains("ONNX Runtime");
        assertThat(c.dimension()).isEqualTo(512);
        // Issue 2 asks >= 97% on a full fold; on these 60-pair folds hold it to 95%.
        assertThat(c.lfwAccuracy().mean()).isGreaterThanOrEqualTo(0.95);
        assertThat(c.operatingPoints()).noneMatch(OperatingPoint::measured);

        // A second run reads every template from the store and scores identically.
        EvaluationResult second = new Evaluation(new PipelineExtractorFactory(), new PairScorer(), options, Progress.silent())
                .run(pairs, List.of(spec), null);
        EvaluationResult.Configuration c2 = second.configurations().getFirst();
        assertThat(c2.templates().computed()).isZero();
        assertThat(c2.templates().reused()).isEqualTo(pairs.images().size());
        assertThat(c2.lfwAccuracy().accuracy()).isEqualTo(c.lfwAccuracy().accuracy());

        // The matrix scores are the pipeline's own similarity.
        try (TemplateStore s = TemplateStore.open(store, c.identity());
             PipelineExtractorFactory.PipelineExtractor ex = (PipelineExtractorFactory.PipelineExtractor)
                     new PipelineExtractorFactory().open(spec)) {
            FacePipeline pipeline = ex.pipeline();
            List<Template> templates = new ArrayList<>();
            for (Path image : pairs.images()) {
                templates.add(s.get(TemplateStore.digest(image)));
            }
            TemplateMatrix m = TemplateMatrix.of(templates);
            float[] scores = new PairScorer().score(m, pairs.left(), pairs.right(), Progress.silent().start("", pairs.size()));
            int compared = 0;
            for (int i = 0; i < pairs.size(); i++) {
                Template a = templates.get(pairs.left()[i]);
                Template b = templates.get(pairs.right()[i]);
                if (a.isFailed() || b.isFailed()) {
                    assertThat(scores[i]).isEqualTo(Float.NEGATIVE_INFINITY);
                    continue;
                }
                assertThat((double) scores[i]).isCloseTo(pipeline.similarity(a, b), within(1e-5));
                compared++;
            }
            assertThat(compared).isGreaterThan(100);
            // And the stored template is what the pipeline makes now.
            Template fresh = pipeline.createTemplate(pairs.images().getFirst());
            assertThat(fresh.embedding().dot(templates.getFirst().embedding())).isCloseTo(1.0, within(1e-6));
        }
    }
}
