package dev.sameface.stages;

import dev.sameface.api.AlignedFace;
import dev.sameface.api.Box;
import dev.sameface.api.DetectedFace;
import dev.sameface.api.Image;
import dev.sameface.api.Landmarks5;
import dev.sameface.api.PixelFormat;
import dev.sameface.kit.ImageOps;
import dev.sameface.kit.testing.LfwPhotos;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The similarity aligner's inlined warp against the per-pixel warp it replaced (every sample through
 * {@link ImageOps#bilinear}), kept here as the reference, on real LFW photos: the crops must agree byte for byte.
 */
class AlignmentWarpTest {
    @Test
    void alignmentWarpEqualsThePerPixelWarpOnLfwPhotos() {
        SimilarityAligner aligner = new SimilarityAligner(112);
        int photos = 0;
        for (Image img : LfwPhotos.first(6)) {
            // Landmarks of a roughly centred LFW face, shifted and rotated so that some crops reach past the border.
            for (double shift : new double[]{0, 95}) {
                Landmarks5 lm = Landmarks5.of(105 + shift, 115, 145 + shift, 112, 126 + shift, 138, 110 + shift, 160, 142 + shift, 158);
                DetectedFace face = new DetectedFace(new Box(80 + shift, 80, 90, 110), 0.99, lm);
                AlignedFace got = aligner.align(img, face);
                double[] m = SimilarityAligner.estimate(lm.points(), aligner.template());
                assertThat(got.crop().pixels()).as("photo %d shifted %s", photos, shift).isEqualTo(referenceWarp(img, m, 112).pixels());
            }
            photos++;
        }
        assertThat(photos).isEqualTo(6);
    }

    // ---- The implementation before the inlined warp, verbatim in its arithmetic: the reference. ----

    private static Image referenceWarp(Image src, double[] m, int size) {
        double a = m[0], b = m[1], tx = m[2], c = m[3], d = m[4], ty = m[5];
        double det = a * d - b * c;
        double ia = d / det, ib = -b / det, ic = -c / det, id = a / det;
        byte[] out = new byte[size * size * 3];
        float[] px = new float[3];
        for (int v = 0; v < size; v++) {
            for (int u = 0; u < size; u++) {
                double x = u - tx;
                double y = v - ty;
                ImageOps.bilinear(src, ia * x + ib * y, ic * x + id * y, px);
                int o = (v * size + u) * 3;
                out[o] = (byte) Math.round(px[0]);
                out[o + 1] = (byte) Math.round(px[1]);
                out[o + 2] = (byte) Math.round(px[2]);
            }
        }
        return new Image(size, size, PixelFormat.RGB8, out);
    }
}
