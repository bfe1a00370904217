package dev.sameface.stages;

import dev.sameface.api.Box;
import dev.sameface.api.DetectedFace;
import dev.sameface.api.Detector;
import dev.sameface.api.Image;
import dev.sameface.api.Landmarks5;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.api.engine.Tensor;
import dev.sameface.kit.Nms;
import dev.sameface.kit.Outputs;
import dev.sameface.kit.TensorPacker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A two-model chain that a fresh machine can fetch from a package registry: the Ultra-Light-Fast-Generic RFB-320
 * detector (boxes only, on the photo framed as {@link Framing} says: with the plugin's defaults its aspect ratio kept
 * in the 320x240 input and a margin around it) followed by a landmark stage on the face box. That stage is either a 68-point landmark regressor run on the box (64x64 grey),
 * whose 68 points are reduced to the five the aligner needs: each eye the mean of its four lid points (iBUG 37, 38,
 * 40, 41 and 43, 44, 46, 47), the nose tip (30), and each mouth corner the mean of its outer and inner corner (48 and
 * 60, 54 and 64), the reduction the models' own package uses; or MTCNN's O-Net ({@link OnetPoints}), whose five
 * points hold on profiles where the 68-point model's do not.
 *
 * <p>With O-Net present, a photo in which no framing finds a face is given to O-Net whole ({@code whole-photo}): a
 * face that fills a tight crop, which the box detector never saw with enough context, is taken when O-Net's own face
 * probability says so.
 *
 * <p>{@link #detectBoxes} runs only the box model (landmarks are zero placeholders); {@link #refine} runs the landmark
 * model on the one face the pipeline chose. {@link #detect} does both for every face.
 */
public final class UltraLightDetector implements Detector {
    private final String detectorId;
    private final CompiledModel detector;
    private final ModelSpec detectorSpec;
    private final String landmarkId;
    private final CompiledModel landmarks;
    private final ModelSpec landmarkSpec;
    private final double scoreThreshold;
    private final double nmsThreshold;
    private final int topK;
    private final Framing framing;
    private final boolean landmarkCropInside;
    private final boolean eyeCentres;
    // MTCNN's O-Net, null unless five-points=onet or whole-photo is set.
    private final OnetPoints onet;
    private final boolean onetFivePoints;
    private final boolean wholePhoto;
    // Each model's input tensor, refilled per image: this stage is used by one thread at a time.
    private final TensorPacker detectorInput;
    private final TensorPacker landmarkInput;

    public UltraLightDetector(String detectorId, CompiledModel detector, ModelSpec detectorSpec,
                              String landmarkId, CompiledModel landmarks, ModelSpec landmarkSpec,
                              double scoreThreshold, double nmsThreshold, int topK, Framing framing,
                              boolean landmarkCropInside, boolean eyeCentres,
                              OnetPoints onet, boolean onetFivePoints, boolean wholePhoto) {
        if ((onetFivePoints || wholePhoto) && onet == null) {
            throw new IllegalArgumentException("five-points=onet and whole-photo need the O-Net model");
        }
        if (!onetFivePoints && landmarks == null) {
            throw new IllegalArgumentException("the 68-point landmark model is needed unless five-points=onet");
        }
        this.detectorId = detectorId;
        this.detector = detector;
        this.detectorSpec = detectorSpec;
        this.landmarkId = landmarkId;
        this.landmarks = landmarks;
        this.landmarkSpec = landmarkSpec;
        this.scoreThreshold = scoreThreshold;
        this.nmsThreshold = nmsThreshold;
        this.topK = topK;
        this.framing = framing;
        this.landmarkCropInside = landmarkCropInside;
        this.eyeCentres = eyeCentres;
        this.onet = onet;
        this.onetFivePoints = onetFivePoints;
        this.wholePhoto = wholePhoto;
        this.detectorInput = new TensorPacker(detectorSpec);
        this.landmarkInput = landmarks == null ? null : new TensorPacker(landmarkSpec);
        Outputs.require(detectorId, detector, List.of("input"), List.of("scores", "boxes"));
        if (landmarks != null) {
            Outputs.require(landmarkId, landmarks, List.of("input"), List.of("output"));
        }
    }

    @Override
    public List<DetectedFace> detect(Image image) {
        List<DetectedFace> kept = detectBoxes(image);
        List<DetectedFace> result = new ArrayList<>(kept.size());
        for (DetectedFace f : kept) {
            result.add(refine(image, f));
        }
        return result;
    }

    @Override
    public DetectedFace refine(Image image, DetectedFace face) {
        return new DetectedFace(face.box(), face.score(), landmarks(image, face.box()));
    }

    /**
     * Boxes after NMS, best first, with zero landmarks: the landmark model runs in {@link #refine}. Framed as the
     * {@link Framing} says, and framed once more with its retry margin when the first framing finds nothing.
     */
    @Override
    public List<DetectedFace> detectBoxes(Image image) {
        List<DetectedFace> found = detectBoxes(image, framing.margin());
        if (found.isEmpty() && framing.retries()) {
            found = detectBoxes(image, framing.retryMargin());
        }
        if (found.isEmpty() && wholePhoto) {
            found = onet.wholePhoto(image).map(List::of).orElse(List.of());
        }
        return found;
    }

    private List<DetectedFace> detectBoxes(Image image, double margin) {
        int iw = detectorSpec.width();
        int ih = detectorSpec.height();
        Framing.Region r = framing.region(image.width(), image.height(), margin, (double) iw / ih);
        Tensor input = detectorInput.pack(image, r.x(), r.y(), r.width(), r.height(), iw, ih);
        Map<String, Tensor> out = detector.run(Map.of("input", input));
        Tensor scores = Outputs.get(out, "scores", detectorId);
        Tensor boxes = Outputs.get(out, "boxes", detectorId);
        int n = scores.size() / 2;
        List<DetectedFace> candidates = new ArrayList<>();
        Landmarks5 none = Landmarks5.of(new double[10]);
        for (int i = 0; i < n; i++) {
            double s = scores.get(2 * i + 1);
            if (s < scoreThreshold) {
                continue;
            }
            // Box corners are fractions of the network input, which shows the region r of the photo.
            double x1 = r.x() + boxes.get(4 * i) * r.width();
            double y1 = r.y() + boxes.get(4 * i + 1) * r.height();
            double x2 = r.x() + boxes.get(4 * i + 2) * r.width();
            double y2 = r.y() + boxes.get(4 * i + 3) * r.height();
            if (x2 - x1 < 2 || y2 - y1 < 2) {
                continue;
            }
            candidates.add(new DetectedFace(new Box(x1, y1, x2 - x1, y2 - y1), s, none));
        }
        return Nms.apply(candidates, nmsThreshold, topK);
    }

    private Landmarks5 landmarks(Image image, Box box) {
        if (onetFivePoints) {
            return onet.points(image, box);
        }
        double x = Math.floor(box.x());
        double y = Math.floor(box.y());
        double w = Math.floor(box.width());
        double h = Math.floor(box.height());
        if (landmarkCropInside) {
            // The face box moved (not shrunk) to lie inside the image, as the landmark model was fed in its package.
            w = Math.min(w, image.width() - 1);
            h = Math.min(h, image.height() - 1);
            x = Math.max(0, Math.min(x, image.width() - 1 - w));
            y = Math.max(0, Math.min(y, image.height() - 1 - h));
        }
        // Otherwise the box as detected, black beyond the photo: moving a box that overhangs a tight crop shifts
        // the face inside the landmark model's input and every point with it.
        Tensor in = landmarkInput.pack(image, x, y, w, h, landmarkSpec.width(), landmarkSpec.height());
        Tensor p = Outputs.get(landmarks.run(Map.of("input", in)), "output", landmarkId);
        if (p.size() != 136) {
            throw new dev.sameface.api.FaceException(dev.sameface.api.ErrorCode.MODEL_INCOMPATIBLE,
                    "model " + landmarkId + " gave " + p.size() + " values, 136 (68 points) expected");
        }
        double[] px = new double[68];
        double[] py = new double[68];
        for (int k = 0; k < 68; k++) {
            px[k] = p.get(2 * k) * w + x;
            py[k] = p.get(2 * k + 1) * h + y;
        }
        if (eyeCentres) {
            // Each eye the mean of all six of its points (corners included), the mouth corners the outer ones:
            // on a profile the lid points of the far eye collapse together, its corners less so.
            return Landmarks5.of(
                    mean(px, 36, 37, 38, 39, 40, 41), mean(py, 36, 37, 38, 39, 40, 41),
                    mean(px, 42, 43, 44, 45, 46, 47), mean(py, 42, 43, 44, 45, 46, 47),
                    px[30], py[30], px[48], py[48], px[54], py[54]);
        }
        return Landmarks5.of(
                mean(px, 37, 38, 40, 41), mean(py, 37, 38, 40, 41),
                mean(px, 43, 44, 46, 47), mean(py, 43, 44, 46, 47),
                px[30], py[30],
                mean(px, 48, 60), mean(py, 48, 60),
                mean(px, 54, 64), mean(py, 54, 64));
    }

    private static double mean(double[] v, int... idx) {
        double s = 0;
        for (int i : idx) {
            s += v[i];
        }
        return s / idx.length;
    }

    @Override
    public void close() {
        // The models belong to the pipeline, which closes them.
    }
}
