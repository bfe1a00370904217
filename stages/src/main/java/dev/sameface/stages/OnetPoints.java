package dev.sameface.stages;

import dev.sameface.api.Box;
import dev.sameface.api.DetectedFace;
import dev.sameface.api.Image;
import dev.sameface.api.Landmarks5;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.api.engine.Tensor;

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
 */
final class OnetPoints {
    private static final int SIDE = 48;
    /** O-Net's face probability from which a whole photo is taken as a face: MTCNN's own final threshold. */
    static final double WHOLE_PHOTO_THRESHOLD = 0.7;

    private final MtcnnDetector.Net onet;
    // O-Net's input, refilled for every crop (two or three per photo): the detector is used by one thread at a time.
    private final Tensor input = Tensor.allocate(1, SIDE, SIDE, 3);
    // Its box filter, whose scratch is kept for the same reason.
    private final AreaResample filter = new AreaResample();

    OnetPoints(String id, CompiledModel model, ModelSpec spec) {
        this.onet = MtcnnDetector.Net.of(id, model, spec);
    }

    /** Five points of the face in {@code box} (image-left eye first, as O-Net gives them). */
    Landmarks5 points(Image image, Box box) {
        MtcnnDetector.Window square = window(box.x(), box.y(), box.width(), box.height()).squared();
        Map<String, Tensor> first = run(image, square);
        MtcnnDetector.Window handed = square.scored(0, onet.output(first, 4).toArray(), 0).regressed().squared();
        return landmarks(handed, onet.output(run(image, handed), 10).toArray());
    }

    /**
     * The whole photo as O-Net's crop, for a face that fills a tight crop: O-Net's regressed box with its face
     * probability when that reaches {@link #WHOLE_PHOTO_THRESHOLD}, empty otherwise (blank, noise, no face). Like every
     * box of {@code Detector.detectBoxes} it carries no landmarks: {@link #points} places them on this box, as on any
     * other, when the pipeline refines the face it chose.
     */
    Optional<DetectedFace> wholePhoto(Image image) {
        MtcnnDetector.Window square = window(0, 0, image.width(), image.height()).squared();
        Map<String, Tensor> out = run(image, square);
        double p = onet.output(out, 2).toArray()[1];
        if (!(p >= WHOLE_PHOTO_THRESHOLD)) {
            return Optional.empty();
        }
        MtcnnDetector.Window b = square.scored(p, onet.output(out, 4).toArray(), 0).regressed();
        return Optional.of(new DetectedFace(new Box(b.x1(), b.y1(), b.w(), b.h()), p, Landmarks5.of(new double[10])));
    }

    private Map<String, Tensor> run(Image image, MtcnnDetector.Window w) {
        MtcnnDetector.crops(image, List.of(w), SIDE, onet, input, filter);
        return onet.run(input);
    }

    private static MtcnnDetector.Window window(double x, double y, double w, double h) {
        return new MtcnnDetector.Window(x, y, x + w, y + h, 0, null);
    }

    /** O-Net's points (five x, then five y, in fractions of its crop) in photo pixels. */
    private static Landmarks5 landmarks(MtcnnDetector.Window w, float[] pts) {
        double[] xy = new double[10];
        for (int i = 0; i < 5; i++) {
            xy[2 * i] = w.x1() + pts[i] * w.w();
            xy[2 * i + 1] = w.y1() + pts[5 + i] * w.h();
        }
        return Landmarks5.of(xy);
    }
}
