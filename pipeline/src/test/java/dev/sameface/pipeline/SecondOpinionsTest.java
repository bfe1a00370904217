package dev.sameface.pipeline;

import dev.sameface.api.FaceException;
import dev.sameface.api.Point;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Ultra-Light detector's {@code yunet-points} and {@code scrfd-points}: the chosen face's five points averaged
 * with those YuNet and SCRFD find for it, on real photos and models (yunet-n and scrfd-500m come from
 * ../shared/models through SAMEFACE_LOCAL_MODELS, as for their own tests). What it buys is measured in
 * docs/detectors-measured.md.
 */
class SecondOpinionsTest {
    private static final Map<String, String> FUSED = Map.of(
            "detector.options.yunet-points", "yunet-n", "detector.options.scrfd-points", "scrfd-500m");

    @Test
    void thePointsAreTheMeanOfEveryDetectorThatAgrees() {
        List<Path> photos = new ArrayList<>(TestData.lfwPhotos(4));
        for (int id = 1; id <= 4; id++) {
            photos.add(TestData.cfpDev(id, "profile", 2));
        }
        PipelineConfig yunet = TestData.yunetConfig().withOverrides(Map.of("detector.options.margin", "0.2"));
        PipelineConfig scrfd = TestData.defaultConfig().withDetector(
                new dev.sameface.pipeline.config.StageConfig("scrfd", "scrfd-500m", null, Map.of()));
        int agreed = 0;
        try (FacePipeline fused = TestData.pipeline(TestData.defaultConfig().withOverrides(FUSED));
             FacePipeline own = TestData.pipeline(TestData.defaultConfig());
             FacePipeline y = TestData.pipeline(yunet);
             FacePipeline s = TestData.pipeline(scrfd)) {
            for (Path photo : photos) {
                List<Point> a = own.enrol(photo).selected().landmarks().points();
                var got = fused.enrol(photo).selected();
                assertThat(got.box()).as("the box stays Ultra-Light's on %s", photo).isEqualTo(own.enrol(photo).selected().box());
                double size = Math.max(a.get(0).distance(a.get(1)), mid(a.get(0), a.get(1)).distance(mid(a.get(3), a.get(4))));
                // Each other detector's face counts when it found one whose points agree with Ultra-Light's.
                List<List<Point>> counted = new ArrayList<>(List.of(a));
                for (FacePipeline other : List.of(y, s)) {
                    var face = other.enrol(photo).selected();
                    if (face != null && largest(a, face.landmarks().points()) < 0.5 * size) {
                        counted.add(face.landmarks().points());
                    }
                }
                if (counted.size() == 3) {
                    agreed++;
                }
                for (int k = 0; k < 5; k++) {
                    final int i = k;
                    double x = counted.stream().mapToDouble(q -> q.get(i).x()).average().orElseThrow();
                    double yy = counted.stream().mapToDouble(q -> q.get(i).y()).average().orElseThrow();
                    Point p = got.landmarks().points().get(k);
                    assertThat(p.x()).as("point %d x on %s", k, photo).isCloseTo(x, within());
                    assertThat(p.y()).as("point %d y on %s", k, photo).isCloseTo(yy, within());
                }
            }
        }
        assertThat(agreed).as("photos on which all three detectors agree").isGreaterThanOrEqualTo(5);
    }

    @Test
    void anUnknownModelIsAClearErrorWhenThePipelineIsBuilt() {
        var config = TestData.defaultConfig().withOverrides(Map.of("detector.options.yunet-points", "no-such-model"));
        assertThatThrownBy(() -> TestData.pipeline(config).close())
                .isInstanceOf(FaceException.class).hasMessageContaining("no-such-model");
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }

    private static double largest(List<Point> a, List<Point> b) {
        double worst = 0;
        for (int k = 0; k < 5; k++) {
            worst = Math.max(worst, a.get(k).distance(b.get(k)));
        }
        return worst;
    }

    private static Point mid(Point a, Point b) {
        return new Point((a.x() + b.x()) / 2, (a.y() + b.y()) / 2);
    }
}
