package dev.sameface.stages;

import dev.sameface.api.AlignedFace;
import dev.sameface.api.Box;
import dev.sameface.api.DetectedFace;
import dev.sameface.api.Image;
import dev.sameface.api.Landmarks5;
import dev.sameface.api.PixelFormat;
import dev.sameface.api.Point;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SimilarityAlignerTest {
    private final SimilarityAligner aligner = new SimilarityAligner(112);

    /** Landmarks made by moving the template with a known similarity transform (the inverse of what align must find). */
    private static Landmarks5 transformed(double angle, double scale, double tx, double ty) {
        double[] xy = new double[10];
        for (int i = 0; i < 5; i++) {
            double x = SimilarityAligner.ARCFACE_112[i][0];
            double y = SimilarityAligner.ARCFACE_112[i][1];
            xy[2 * i] = scale * (Math.cos(angle) * x - Math.sin(angle) * y) + tx;
            xy[2 * i + 1] = scale * (Math.sin(angle) * x + Math.cos(angle) * y) + ty;
        }
        return Landmarks5.of(xy);
    }

    @Test
    void landmarksLandOnTheTemplateForRandomSimilarityTransforms() {
        Random r = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            double angle = (r.nextDouble() - 0.5) * Math.PI; // up to +-90 degrees of roll
            double scale = 0.3 + r.nextDouble() * 8;
            Landmarks5 lm = transformed(angle, scale, r.nextDouble() * 2000 - 500, r.nextDouble() * 2000 - 500);
            double[] m = SimilarityAligner.estimate(lm.points(), SimilarityAligner.ARCFACE_112);
            AlignedFace a = new AlignedFace(tiny(), m, new DetectedFace(new Box(0, 0, 1, 1), 1, lm));
            List<Point> pts = lm.points();
            for (int i = 0; i < 5; i++) {
                Point p = a.apply(pts.get(i));
                assertThat(Math.hypot(p.x() - SimilarityAligner.ARCFACE_112[i][0], p.y() - SimilarityAligner.ARCFACE_112[i][1]))
                        .as("trial %d landmark %d", trial, i).isLessThan(0.5);
            }
        }
    }

    @Test
    void warpPutsMarkedPixelsAtTheTemplatePoints() {
        // A synthetic photo with a bright blob at each landmark: after the warp, each blob's centroid must sit on its
        // template point. This checks the warp's pixel convention, not only the transform's algebra.
        Landmarks5 lm = transformed(Math.toRadians(25), 2.6, 140, 60);
        int w = 500, h = 480;
        byte[] px = new byte[w * h * 3];
        for (Point p : lm.points()) {
            for (int y = (int) p.y() - 12; y <= p.y() + 12; y++) {
                for (int x = (int) p.x() - 12; x <= p.x() + 12; x++) {
                    double d2 = (x - p.x()) * (x - p.x()) + (y - p.y()) * (y - p.y());
                    int v = (int) Math.round(255 * Math.exp(-d2 / (2 * 3.0 * 3.0)));
                    int o = (y * w + x) * 3;
                    px[o] = px[o + 1] = px[o + 2] = (byte) Math.max(px[o] & 0xff, v);
                }
            }
        }
        AlignedFace a = aligner.align(new Image(w, h, PixelFormat.RGB8, px), new DetectedFace(new Box(0, 0, w, h), 1, lm));
        Image crop = a.crop();
        for (int i = 0; i < 5; i++) {
            double tx = SimilarityAligner.ARCFACE_112[i][0], ty = SimilarityAligner.ARCFACE_112[i][1];
            double sx = 0, sy = 0, sw = 0;
            for (int y = (int) ty - 6; y <= ty + 6; y++) {
                for (int x = (int) tx - 6; x <= tx + 6; x++) {
                    double v = crop.sample(x, y, 0);
                    sx += v * x;
                    sy += v * y;
                    sw += v;
                }
            }
            assertThat(Math.hypot(sx / sw - tx, sy / sw - ty)).as("blob %d", i).isLessThan(0.5);
        }
    }

    @Test
    void saysItsCropSizeSoThePipelineCanCheckItAgainstTheEmbedder() {
        for (int size : new int[]{112, 128}) {
            SimilarityAligner a = new SimilarityAligner(size);
            Landmarks5 lm = transformed(0.1, 1.5, 40, 30);
            assertThat(a.cropSize()).isEqualTo(size);
            assertThat(a.align(tiny(), new DetectedFace(new Box(0, 0, 1, 1), 1, lm)).crop().width()).isEqualTo(a.cropSize());
        }
    }

    @Test
    void mirroredLandmarksSwapImageLeftAndRight() {
        Landmarks5 lm = Landmarks5.of(100, 120, 160, 118, 130, 150, 105, 180, 158, 178);
        Landmarks5 m = lm.mirrored(250);
        assertThat(m.imageLeftEye().x()).isEqualTo(250 - 160.0);
        assertThat(m.imageRightEye().x()).isEqualTo(250 - 100.0);
        assertThat(m.imageLeftMouth().x()).isEqualTo(250 - 158.0);
        assertThat(m.imageLeftEye().x()).isLessThan(m.imageRightEye().x());
        assertThat(lm.subjectRightEye()).isEqualTo(lm.imageLeftEye());
    }

    private static Image tiny() {
        return new Image(16, 16, PixelFormat.RGB8, new byte[16 * 16 * 3]);
    }
}
