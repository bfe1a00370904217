package dev.sameface.pipeline;

import dev.sameface.api.DetectedFace;
import dev.sameface.api.Image;
import dev.sameface.api.Landmarks5;
import dev.sameface.api.Point;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Both detectors on real photos: one face, landmarks in template order, mirror-consistent. */
class DetectorTest {
    private static final List<Path> PHOTOS = List.of(TestData.lfw("Colin_Powell", 1), TestData.lfw("Serena_Williams", 1),
            TestData.lfw("Tony_Blair", 3), TestData.lfw("Jennifer_Lopez", 1), TestData.lfw("Ariel_Sharon", 2));

    private static PipelineConfig config(String detector) {
        return detector.equals("yunet") ? TestData.yunetConfig() : TestData.defaultConfig();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ultralight", "yunet"})
    void findsTheFaceWithLandmarksInTemplateOrder(String detector) {
        try (FacePipeline p = TestData.pipeline(config(detector))) {
            for (Path photo : PHOTOS) {
                Enrolment e = p.enrol(photo);
                assertThat(e.template().isFailed()).as("%s on %s", detector, photo).isFalse();
                DetectedFace f = e.selected();
                Landmarks5 lm = f.landmarks();
                // LFW deep-funneled photos are centred 250x250 portraits: the face is in the middle.
                assertThat(f.box().centre().x()).isBetween(90.0, 160.0);
                assertThat(lm.imageLeftEye().x()).isLessThan(lm.nose().x());
                assertThat(lm.nose().x()).isLessThan(lm.imageRightEye().x());
                assertThat(lm.imageLeftMouth().x()).isLessThan(lm.imageRightMouth().x());
                assertThat(lm.imageLeftEye().y()).isLessThan(lm.nose().y());
                assertThat(lm.nose().y()).isLessThan(lm.imageLeftMouth().y());
                for (Point pt : lm.points()) {
                    assertThat(pt.x()).isBetween(f.box().x() - 10, f.box().x() + f.box().width() + 10);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ultralight", "yunet"})
    void mirroredPhotoSwapsImageLeftAndImageRight(String detector) {
        try (FacePipeline p = TestData.pipeline(config(detector))) {
            for (Path photo : PHOTOS) {
                Image img = ImageDecoder.DEFAULT.decode(photo);
                Enrolment a = p.enrol(photo);
                Enrolment b = p.enrol(encode(img.mirrored()), "mirrored.png");
                Landmarks5 expected = a.selected().landmarks().mirrored(img.width());
                Landmarks5 got = b.selected().landmarks();
                // The subject's right eye is image-left in the photo and image-right in its mirror image.
                assertThat(got.imageLeftEye().distance(expected.imageLeftEye())).as("%s %s left eye", detector, photo.getFileName()).isLessThan(4);
                assertThat(got.imageRightEye().distance(expected.imageRightEye())).as("%s %s right eye", detector, photo.getFileName()).isLessThan(4);
                assertThat(got.imageLeftMouth().distance(expected.imageLeftMouth())).isLessThan(5);
                // The mirrored photo is the same person: the embedding barely moves.
                assertThat(p.similarity(a.template(), b.template())).isGreaterThan(0.8);
            }
        }
    }

    private static byte[] encode(Image img) {
        try {
            var bi = new java.awt.image.BufferedImage(img.width(), img.height(), java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < img.height(); y++) {
                for (int x = 0; x < img.width(); x++) {
                    bi.setRGB(x, y, img.sample(x, y, 0) << 16 | img.sample(x, y, 1) << 8 | img.sample(x, y, 2));
                }
            }
            return BadInputTest.png(bi);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
