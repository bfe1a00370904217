package dev.sameface.pipeline;

import dev.sameface.api.DetectedFace;
import dev.sameface.api.Landmarks5;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detectors' framing options (letterbox, margin, retry margin, YuNet upscale) on real photos: framed otherwise,
 * a detector must find the same face at the same place in the photo, so every coordinate maps back through the
 * framing. The accuracy each option buys is measured in docs/detectors-measured.md, not here.
 */
class FramingTest {
    private static final List<Path> PHOTOS = List.of(TestData.lfw("Colin_Powell", 1), TestData.lfw("Serena_Williams", 1),
            TestData.lfw("Tony_Blair", 3), TestData.lfw("Jennifer_Lopez", 1), TestData.lfw("Ariel_Sharon", 2));

    private static PipelineConfig config(String detector, String options) {
        PipelineConfig base = detector.equals("yunet") ? TestData.yunetConfig() : TestData.defaultConfig();
        if (options.isBlank()) {
            return base;
        }
        Map<String, String> overrides = new java.util.LinkedHashMap<>();
        for (String kv : options.split(";")) {
            String[] p = kv.split("=", 2);
            overrides.put("detector.options." + p[0].trim(), p[1].trim());
        }
        return base.withOverrides(overrides);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ultralight | letterbox=true",
            "ultralight | letterbox=true; margin=0.3",
            "ultralight | letterbox=true; margin=0.3; landmark-crop=as-detected",
            "yunet      | margin=0.3",
            "yunet      | upscale=true",
            "yunet      | upscale=true; margin=0.5"})
    void anotherFramingFindsTheSameFaceAtTheSamePlace(String detector, String options) {
        try (FacePipeline plain = TestData.pipeline(config(detector, ""));
             FacePipeline framed = TestData.pipeline(config(detector, options))) {
            for (Path photo : PHOTOS) {
                DetectedFace a = plain.enrol(photo).selected();
                DetectedFace b = framed.enrol(photo).selected();
                assertThat(b).as("%s %s on %s", detector, options, photo.getFileName()).isNotNull();
                Landmarks5 la = a.landmarks();
                Landmarks5 lb = b.landmarks();
                double iod = la.imageLeftEye().distance(la.imageRightEye());
                // The network sees the face at another size and offset, so its points move a little (YuNet upscaled
                // 2.6x: up to a tenth of the eye distance), never by a framing offset not undone (tens of pixels).
                assertThat(lb.imageLeftEye().distance(la.imageLeftEye())).as("%s %s left eye on %s", detector, options, photo.getFileName())
                        .isLessThan(0.15 * iod);
                assertThat(lb.imageRightEye().distance(la.imageRightEye())).as("%s %s right eye on %s", detector, options, photo.getFileName())
                        .isLessThan(0.15 * iod);
                assertThat(lb.nose().distance(la.nose())).isLessThan(0.2 * iod);
                assertThat(b.box().centre().distance(a.box().centre())).as("%s %s box centre on %s", detector, options, photo.getFileName())
                        .isLessThan(0.15 * a.box().width());
            }
        }
    }

    /** Tight CFP profile crops on which the photo stretched to 320x240, without a margin, shows Ultra-Light no face. */
    private static final List<Path> TIGHT_PROFILES = List.of(TestData.cfpDev(1, "profile", 1), TestData.cfpDev(3, "profile", 3),
            TestData.cfpDev(10, "profile", 1), TestData.cfpDev(10, "profile", 2), TestData.cfpDev(14, "profile", 2));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "letterbox=true; margin=0.2; retry-margin=none; whole-photo=false",
            "letterbox=false; margin=0; retry-margin=0.3; whole-photo=false"})
    void aMarginFindsTheFaceInTightProfileCropsThatTheStretchedPhotoMisses(String options) {
        String stretched = "letterbox=false; margin=0; retry-margin=none; whole-photo=false";
        try (FacePipeline plain = TestData.pipeline(config("ultralight", stretched));
             FacePipeline framed = TestData.pipeline(config("ultralight", options))) {
            for (Path photo : TIGHT_PROFILES) {
                assertThat(plain.enrol(photo).faces()).as("stretched, no margin, on %s", photo).isEmpty();
                Enrolment e = framed.enrol(photo);
                assertThat(e.template().isFailed()).as("%s on %s", options, photo).isFalse();
                // The face fills the crop: its box covers the photo's centre.
                dev.sameface.api.Image img = dev.sameface.pipeline.image.ImageDecoder.DEFAULT.decode(photo);
                dev.sameface.api.Box box = e.selected().box();
                assertThat(box.x()).as("%s on %s: %s of %dx%d", options, photo, box, img.width(), img.height()).isLessThan(img.width() / 2.0);
                assertThat(box.x() + box.width()).as("%s on %s: %s of %dx%d", options, photo, box, img.width(), img.height())
                        .isGreaterThan(img.width() / 2.0);
                assertThat(box.width()).as("%s on %s: %s", options, photo, box).isGreaterThan(img.width() / 3.0);
            }
        }
    }
}
