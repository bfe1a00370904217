package dev.sameface.pipeline;

import dev.sameface.api.DetectedFace;
import dev.sameface.api.Landmarks5;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default detector's landmark stage, MTCNN's O-Net behind the Ultra-Light box, and its whole-photo fallback, on
 * real photos. What they buy in accuracy is measured in docs/detectors-measured.md, not here.
 */
class OnetPointsTest {
    private static FacePipeline with(String options) {
        Map<String, String> o = new java.util.LinkedHashMap<>();
        for (String kv : options.split(";")) {
            String[] p = kv.split("=", 2);
            o.put("detector.options." + p[0].trim(), p[1].trim());
        }
        return TestData.pipeline(TestData.defaultConfig().withOverrides(o));
    }

    /** O-Net's five points are the 68-point model's five (same anatomy, same order) on frontal LFW faces. */
    @Test
    void onetPointsAgreeWithThe68PointModelsOnFrontalFaces() {
        try (FacePipeline onet = TestData.pipeline(TestData.defaultConfig());
             FacePipeline lids = with("five-points=lids")) {
            for (Path photo : TestData.lfwPhotos(20)) {
                DetectedFace a = onet.enrol(photo).selected();
                DetectedFace b = lids.enrol(photo).selected();
                assertThat(a).as("face on %s", photo.getFileName()).isNotNull();
                assertThat(a.box()).as("same box on %s", photo.getFileName()).isEqualTo(b.box());
                Landmarks5 p = a.landmarks();
                Landmarks5 q = b.landmarks();
                double iod = q.imageLeftEye().distance(q.imageRightEye());
                assertThat(p.imageLeftEye().x()).as("image-left eye first on %s", photo.getFileName()).isLessThan(p.imageRightEye().x());
                assertThat(p.imageLeftEye().distance(q.imageLeftEye())).as("left eye on %s", photo.getFileName()).isLessThan(0.15 * iod);
                assertThat(p.imageRightEye().distance(q.imageRightEye())).as("right eye on %s", photo.getFileName()).isLessThan(0.15 * iod);
                assertThat(p.nose().distance(q.nose())).as("nose on %s", photo.getFileName()).isLessThan(0.25 * iod);
            }
        }
    }

    /**
     * Tight profile crops in which neither framing shows the box detector a face: O-Net, asked about the whole photo,
     * finds it, with its eyes inside the photo.
     */
    @ParameterizedTest
    @CsvSource({"31, 4", "120, 2", "175, 2"})
    void theWholePhotoFallbackFindsFacesThatFillATightCrop(int identity, int index) throws java.io.IOException {
        Path photo = TestData.cfpDev(identity, "profile", index);
        try (FacePipeline without = with("whole-photo=false");
             FacePipeline byDefault = TestData.pipeline(TestData.defaultConfig())) {
            assertThat(without.enrol(photo).faces()).as("framings alone on %s", photo).isEmpty();
            Enrolment e = byDefault.enrol(photo);
            assertThat(e.faces()).as("whole photo on %s", photo).hasSize(1);
            assertThat(e.template().isFailed()).isFalse();
            var img = javax.imageio.ImageIO.read(photo.toFile());
            for (var eye : List.of(e.selected().landmarks().imageLeftEye(), e.selected().landmarks().imageRightEye())) {
                assertThat(eye.x()).isBetween(0.0, (double) img.getWidth());
                assertThat(eye.y()).isBetween(0.0, (double) img.getHeight());
            }
        }
    }

    /**
     * {@code onet-mirror} averages O-Net's points on the crop and on its mirror image, so the points found on a mirrored
     * photo are, mirrored back, nearer the photo's own than with one pass: summed over frontal and profile photos,
     * the disagreement (in inter-ocular distances) shrinks.
     */
    @Test
    void theMirroredPassMakesPointsAgreeWithThoseOfTheMirroredPhoto() {
        List<Path> photos = new java.util.ArrayList<>(TestData.lfwPhotos(8));
        for (int id = 1; id <= 8; id++) {
            photos.add(TestData.cfpDev(id, "profile", 1));
        }
        try (FacePipeline once = with("onet-mirror=false");
             FacePipeline averaged = TestData.pipeline(TestData.defaultConfig())) {
            assertThat(disagreement(averaged, photos)).isLessThan(0.8 * disagreement(once, photos));
        }
    }

    /** Mean over {@code photos} of the largest distance between a point and its mirror image's point, in IODs. */
    private static double disagreement(FacePipeline pipeline, List<Path> photos) {
        double sum = 0;
        for (Path photo : photos) {
            var img = dev.sameface.pipeline.image.ImageDecoder.DEFAULT.decode(photo).toRgb();
            DetectedFace face = pipeline.enrol(img).selected();
            DetectedFace mirrored = pipeline.enrol(img.mirrored()).selected();
            assertThat(face).as("face on %s", photo.getFileName()).isNotNull();
            assertThat(mirrored).as("face on mirrored %s", photo.getFileName()).isNotNull();
            List<dev.sameface.api.Point> a = face.landmarks().points();
            List<dev.sameface.api.Point> b = mirrored.landmarks().mirrored(img.width()).points();
            double iod = Math.max(1, a.get(0).distance(a.get(1)));
            double worst = 0;
            for (int k = 0; k < 5; k++) {
                worst = Math.max(worst, a.get(k).distance(b.get(k)) / iod);
            }
            sum += worst;
        }
        return sum / photos.size();
    }
}
