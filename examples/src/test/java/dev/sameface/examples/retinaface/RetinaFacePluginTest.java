package dev.sameface.examples.retinaface;

import dev.sameface.api.DetectedFace;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.api.Landmarks5;
import dev.sameface.api.Point;
import dev.sameface.pipeline.Enrolment;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.Verification;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.config.StageConfig;
import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.pipeline.models.ModelManifest;
import dev.sameface.pipeline.models.Sha256;
import dev.sameface.pipeline.registry.StageRegistry;
import dev.sameface.pipeline.testing.EngineParitySuite;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The retinaface plugin, loaded exactly as production loads it: through ServiceLoader by name, with its model entry
 * merged from this jar's manifest, inside a pipeline built from a configuration. Real photos, real models.
 */
class RetinaFacePluginTest {
    static final StageConfig RETINAFACE = new StageConfig("retinaface", "retinaface-mnet025", null, Map.of());
    private static final List<Path> PHOTOS = List.of(TestData.lfw("Colin_Powell", 1), TestData.lfw("Serena_Williams", 1),
            TestData.lfw("Tony_Blair", 3), TestData.lfw("Jennifer_Lopez", 1), TestData.lfw("Ariel_Sharon", 2));
    private static FacePipeline pipeline;

    @BeforeAll
    static void open() {
        Path model = TestData.sharedModels().resolve("retinaface_mnet025.onnx");
        if (!Files.isRegularFile(model)) {
            throw new IllegalStateException("RetinaFace model missing: " + model + " (see ../shared/models/MANIFEST.md; no registry ships it)");
        }
        pipeline = TestData.pipeline(PipelineConfig.defaults().withDetector(RETINAFACE));
    }

    @AfterAll
    static void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void isFoundThroughServiceLoaderByName() {
        var provider = StageRegistry.load().detector("retinaface");
        assertThat(provider).isInstanceOf(RetinaFaceDetectorProvider.class);
        assertThat(StageRegistry.load().detectors()).containsKeys("retinaface", "yunet", "ultralight");
        assertThat(provider.options()).containsOnlyKeys("score-threshold", "nms-threshold", "top-k", "max-side", "channel-means");
    }

    @Test
    void itsManifestEntryIsMergedWithTheBuiltInOne() throws IOException {
        ModelManifest manifest = ModelManifest.load();
        ModelManifest.ModelEntry entry = manifest.model("retinaface-mnet025");
        assertThat(entry.source().client()).isEqualTo("local");
        assertThat(entry.source().path()).isEqualTo("retinaface_mnet025.onnx");
        assertThat(entry.input().color()).isEqualTo(dev.sameface.api.engine.ModelSpec.ColorOrder.BGR);
        // The entry names the very file the shared folder holds.
        assertThat(entry.sha256()).isEqualTo(Sha256.of(TestData.sharedModels().resolve(entry.source().path())));
        // Merging adds; the built-in entries are still there.
        assertThat(manifest.models()).containsKeys("fr-feature-512", "yunet-n", "retinaface-mnet025");
    }

    @Test
    void sameFromAConfigFileAsFromCode() throws IOException {
        Path file = Files.createTempFile("retinaface", ".yaml");
        try {
            // "options: {}" because a file is merged over the defaults, whose detector options belong to another plugin.
            Files.writeString(file, "detector: {plugin: retinaface, model: retinaface-mnet025, options: {}}\n");
            PipelineConfig fromFile = PipelineConfig.load(file);
            assertThat(fromFile.detector()).isEqualTo(RETINAFACE);
            assertThat(fromFile.threshold()).isEqualTo(PipelineConfig.defaults().threshold());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void verifiesSamePersonAsSameAndDifferentPeopleAsDifferentWithTheDefaultThreshold() {
        double threshold = PipelineConfig.defaults().threshold();
        Verification same = pipeline.verify(TestData.lfw("Colin_Powell", 1), TestData.lfw("Colin_Powell", 2));
        Verification different = pipeline.verify(TestData.lfw("Colin_Powell", 1), TestData.lfw("Serena_Williams", 1));
        assertThat(same.threshold()).isEqualTo(threshold);
        assertThat(same.same()).as("Colin Powell vs Colin Powell, score %s", same.score()).isTrue();
        assertThat(different.same()).as("Colin Powell vs Serena Williams, score %s", different.score()).isFalse();
        assertThat(same.a().selected().landmarks().imageLeftEye().x()).isLessThan(same.a().selected().landmarks().imageRightEye().x());
    }

    @Test
    void landmarksAreImageLeftEyeFirstAndOnTheFace() {
        for (Path photo : PHOTOS) {
            Enrolment e = pipeline.enrol(photo);
            assertThat(e.template().isFailed()).as("%s", photo).isFalse();
            DetectedFace f = e.selected();
            Landmarks5 lm = f.landmarks();
            // LFW deep-funneled photos are 250x250 portraits with the face in the middle.
            assertThat(f.box().centre().x()).as("%s", photo).isBetween(90.0, 160.0);
            assertThat(lm.imageLeftEye().x()).as("%s", photo).isLessThan(lm.nose().x());
            assertThat(lm.nose().x()).as("%s", photo).isLessThan(lm.imageRightEye().x());
            assertThat(lm.imageLeftMouth().x()).as("%s", photo).isLessThan(lm.imageRightMouth().x());
            assertThat(lm.imageLeftEye().y()).as("%s", photo).isLessThan(lm.nose().y());
            assertThat(lm.nose().y()).as("%s", photo).isLessThan(lm.imageLeftMouth().y());
            for (Point p : lm.points()) {
                assertThat(p.x()).as("%s", photo).isBetween(f.box().x(), f.box().x() + f.box().width());
                assertThat(p.y()).as("%s", photo).isBetween(f.box().y(), f.box().y() + f.box().height());
            }
        }
    }

    @Test
    void mirroredPhotoSwapsImageLeftAndImageRight() {
        for (Path photo : PHOTOS) {
            Image img = ImageDecoder.DEFAULT.decode(photo);
            Landmarks5 expected = pipeline.enrol(photo).selected().landmarks().mirrored(img.width());
            Landmarks5 got = pipeline.enrol(png(img.mirrored()), "mirrored.png").selected().landmarks();
            double tolerance = 0.1 * expected.imageLeftEye().distance(expected.imageRightEye());
            for (int i = 0; i < 5; i++) {
                assertThat(got.points().get(i).distance(expected.points().get(i))).as("%s point %d", photo, i).isLessThan(tolerance);
            }
        }
    }

    /**
     * An independent check of the anchor decoding: YuNet (another model, another decoder, in the pipeline module)
     * must find the same box and the same five points. The two models were trained on different annotations (mouth
     * corners of a smile differ most), so points agree within 0.15 eye distances on average and 0.3 at worst; a
     * decoding error (wrong anchor, variance or point order) moves them by half an eye distance or more.
     */
    @Test
    void agreesWithYuNetOnBoxesAndLandmarks() {
        try (FacePipeline yunet = TestData.pipeline(TestData.yunetConfig())) {
            for (Path photo : PHOTOS) {
                DetectedFace r = pipeline.enrol(photo).selected();
                DetectedFace y = yunet.enrol(photo).selected();
                assertThat(r.box().iou(y.box())).as("%s box IoU", photo).isGreaterThan(0.7);
                double eyes = y.landmarks().imageLeftEye().distance(y.landmarks().imageRightEye());
                double sum = 0;
                for (int i = 0; i < 5; i++) {
                    double d = r.landmarks().points().get(i).distance(y.landmarks().points().get(i));
                    assertThat(d).as("%s point %d", photo, i).isLessThan(0.3 * eyes);
                    sum += d;
                }
                assertThat(sum / 5).as("%s mean point distance", photo).isLessThan(0.15 * eyes);
            }
        }
    }

    @Test
    void addsNoThreadsToTheDefaultSingleThreadedPipeline() {
        // The shared check every engine passes: at most one native thread added while the pipeline infers.
        EngineParitySuite.assertSingleThreaded(PipelineConfig.defaults().withDetector(RETINAFACE));
    }

    @Test
    void unknownOptionIsRejectedWithTheKnownOnes() {
        PipelineConfig bad = PipelineConfig.defaults().withDetector(new StageConfig("retinaface", "retinaface-mnet025", null, Map.of("treshold", "0.5")));
        assertThatThrownBy(() -> Pipelines.create(bad, TestData.cache()))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR))
                .hasMessageContaining("treshold").hasMessageContaining("score-threshold").hasMessageContaining("channel-means");
    }

    private static byte[] png(Image img) {
        BufferedImage bi = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                bi.setRGB(x, y, img.sample(x, y, 0) << 16 | img.sample(x, y, 1) << 8 | img.sample(x, y, 2));
            }
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(bi, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
