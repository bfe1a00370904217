package dev.sameface.stages;

import dev.sameface.api.Box;
import dev.sameface.api.DetectedFace;
import dev.sameface.api.Image;
import dev.sameface.api.Landmarks5;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.api.engine.Tensor;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MTCNN's output network (O-Net) as the landmark stage behind another detector's box. O-Net was trained on faces of
 * every pose, where the 68-point model puts the far eye of a profile where a frontal face would have it: on cfp-dev's
 * frontal-profile pairs its five points take FNMR at FMR 1e-3 from 36.8% to 35.4% behind the same boxes
 * (docs/detectors-measured.md).
 *
 * <p>O-Net expects the square crops the cascade hands it, whose framing differs from another detector's box; so the
 * box is made square, O-Net's own box regression is applied once and made square again (the cascade's hand-over),
 * and the points come from O-Net on that crop. One pass instead of two costs 2.4 points of FNMR on cfp-dev, a third
 * pass gains nothing.
 *
 * <p>With {@code mirror}, the same two passes also run on the mirrored crops and the two sets of points are averaged
 * (test-time augmentation for the points): O-Net's errors on a face and on its mirror image are partly independent,
 * and averaging them takes all of cfp-dev's frontal-profile FNMR at FMR 1e-3 from 35.3% to 34.1%
 * (docs/detectors-measured.md). Mirroring the crop after resampling is exact: an area resample maps mirrored output
 * pixels to mirrored source intervals.
 */
final class OnetPoints {
    private static final int SIDE = 48;
    /** Where each of the five points (eyes, nose, mouth corners; image-left first) goes in the mirror image. */
    private static final int[] MIRRORED = {1, 0, 2, 4, 3};
    /** O-Net's face probability from which a whole photo is taken as a face: MTCNN's own final threshold. */
    static final double WHOLE_PHOTO_THRESHOLD = 0.7;

    private final MtcnnDetector.Net onet;
    // O-Net's input, refilled for every crop (two per face, three with mirror): the detector is used by one thread at a time.
    private final Tensor input = Tensor.allocate(1, SIDE, SIDE, 3);
    // Its box filter, whose scratch is kept for the same reason.
    private final AreaResample filter = new AreaResample();
    // Two x-columns of that input, swapped by mirrorX.
    private final float[] left = new float[SIDE * 3];
    private final float[] right = new float[SIDE * 3];

    private final boolean mirror;

    OnetPoints(String id, CompiledModel model, ModelSpec spec, boolean mirror) {
        this.onet = MtcnnDetector.Net.of(id, model, spec);
        this.mirror = mirror;
    }

    /** Five points of the face in {@code box} (image-left eye first, as O-Net gives them). */
    Landmarks5 points(Image image, Box box) {
        MtcnnDetector.Window square = window(box.x(), box.y(), box.width(), box.height()).squared();
        crop(image, square, false);
        float[] reg = onet.output(onet.run(input), 4).toArray();
        if (!mirror) {
            return Landmarks5.of(secondPass(image, square, reg, false));
        }
        // The square's crop once more, mirrored in place: no second resample.
        mirrorX();
        float[] r = onet.output(onet.run(input), 4).toArray();
        // The mirrored crop's left edge is the photo's right edge.
        float[] mirroredReg = {-r[2], r[1], -r[0], r[3]};
        double[] xy = secondPass(image, square, reg, false);
        double[] seen = secondPass(image, square, mirroredReg, true);
        for (int i = 0; i < xy.length; i++) {
            xy[i] = (xy[i] + seen[i]) / 2;
        }
        return Landmarks5.of(xy);
    }

    /**
     * O-Net's second pass: {@code square} shifted by the first pass's box regression {@code reg} (in photo
     * directions) and made square again, then its points, read from the mirrored crop when {@code mirrored} and
     * mirrored back, so that the result is in photo pixels, image-left eye first, either way.
     */
    private double[] secondPass(Image image, MtcnnDetector.Window square, float[] reg, boolean mirrored) {
        MtcnnDetector.Window handed = square.scored(0, reg, 0).regressed().squared();
        crop(image, handed, mirrored);
        return landmarks(handed, onet.output(onet.run(input), 10).toArray(), mirrored);
    }

    /**
     * The whole photo as O-Net's crop, for a face that fills a tight crop: O-Net's regressed box with its face
     * probability when that reaches {@link #WHOLE_PHOTO_THRESHOLD}, empty otherwise (blank, noise, no face). Like every
     * box of {@code Detector.detectBoxes} it carries no landmarks: {@link #points} places them on this box, as on any
     * other, when the pipeline refines the face it chose.
     */
    Optional<DetectedFace> wholePhoto(Image image) {
        MtcnnDetector.Window square = window(0, 0, image.width(), image.height()).squared();
        crop(image, square, false);
        Map<String, Tensor> out = onet.run(input);
        double p = onet.output(out, 2).toArray()[1];
        if (!(p >= WHOLE_PHOTO_THRESHOLD)) {
            return Optional.empty();
        }
        MtcnnDetector.Window b = square.scored(p, onet.output(out, 4).toArray(), 0).regressed();
        return Optional.of(new DetectedFace(new Box(b.x1(), b.y1(), b.w(), b.h()), p, Landmarks5.of(new double[10])));
    }

    private void crop(Image image, MtcnnDetector.Window w, boolean mirrored) {
        MtcnnDetector.crops(image, List.of(w), SIDE, onet, input, filter);
        if (mirrored) {
            mirrorX();
        }
    }

    /** Reverses the x axis of O-Net's [1, x, y, 3] input in place: the crop seen in a mirror. */
    private void mirrorX() {
        FloatBuffer b = input.buffer();
        int row = SIDE * 3;
        for (int x = 0; x < SIDE / 2; x++) {
            int l = x * row;
            int r = (SIDE - 1 - x) * row;
            b.get(l, left);
            b.get(r, right);
            b.put(l, right);
            b.put(r, left);
        }
    }

    private static MtcnnDetector.Window window(double x, double y, double w, double h) {
        return new MtcnnDetector.Window(x, y, x + w, y + h, 0, null);
    }

    /**
     * O-Net's points (five x, then five y, in fractions of its crop) in photo pixels, as x, y pairs. From a mirrored
     * crop, x is measured from the crop's right edge and the image-left and image-right points trade places.
     */
    private static double[] landmarks(MtcnnDetector.Window w, float[] pts, boolean mirrored) {
        double[] xy = new double[10];
        for (int i = 0; i < 5; i++) {
            int to = mirrored ? MIRRORED[i] : i;
            xy[2 * to] = w.x1() + (mirrored ? 1 - pts[i] : pts[i]) * w.w();
            xy[2 * to + 1] = w.y1() + pts[5 + i] * w.h();
        }
        return xy;
    }
}
