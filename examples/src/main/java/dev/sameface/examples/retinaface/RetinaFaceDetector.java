package dev.sameface.examples.retinaface;

import dev.sameface.api.Box;
import dev.sameface.api.DetectedFace;
import dev.sameface.api.Detector;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.api.Landmarks5;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.api.engine.Tensor;
import dev.sameface.kit.ImageOps;
import dev.sameface.kit.Nms;
import dev.sameface.kit.Outputs;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RetinaFace MobileNet-0.25 (the Pytorch_Retinaface "mobilenet0.25" configuration, in libfacedetection.train's
 * {@code onnx/} folder), decoded the way libfacedetection.train's {@code tools/compare_inference.py} does it:
 * <ul>
 *   <li>input: BGR, per-channel means (104, 117, 123) subtracted, no scaling, NCHW, any size;</li>
 *   <li>anchors ("priors"): for strides 8, 16, 32, every cell of the ceil(H/stride) x ceil(W/stride) grid, row-major,
 *       with two square anchors per cell of sides (16, 32), (64, 128), (256, 512) pixels, centred on the cell;</li>
 *   <li>{@code loc} [1, P, 4]: centre offsets in units of 0.1 anchor side and log sizes in units of 0.2 (the SSD
 *       "variances");</li>
 *   <li>{@code conf} [1, P, 2]: softmax probabilities (background, face);</li>
 *   <li>{@code iou} [1, P, 10]: despite its name, the five landmarks, encoded like the box centre, already in
 *       image-left-eye-first order (the ArcFace template's order).</li>
 * </ul>
 * The image is scaled so its longer side is at most {@code max-side} and padded at the right and bottom to
 * multiples of 32, so that every stride divides the input exactly; padding reads as black, as in the reference.
 */
public final class RetinaFaceDetector implements Detector {
    static final String INPUT = "input";
    static final String LOC = "loc";
    static final String CONF = "conf";
    /** The exporter's name for the landmark output. */
    static final String LANDMARKS = "iou";
    private static final int[] STRIDES = {8, 16, 32};
    private static final int[][] ANCHOR_SIDES = {{16, 32}, {64, 128}, {256, 512}};
    private static final double CENTRE_VARIANCE = 0.1;
    private static final double SIZE_VARIANCE = 0.2;

    private final String modelId;
    private final CompiledModel model;
    private final ModelSpec spec;
    private final float[] channelMeans;
    private final double scoreThreshold;
    private final double nmsThreshold;
    private final int topK;
    private final int maxSide;

    /**
     * @param channelMeans subtracted from tensor channels 0, 1, 2 (in the spec's colour order) after the spec's own
     *                     mean and scale, because the manifest's input spec has one mean for all channels
     */
    public RetinaFaceDetector(String modelId, CompiledModel model, ModelSpec spec, float[] channelMeans,
                              double scoreThreshold, double nmsThreshold, int topK, int maxSide) {
        if (spec.colorOrder() == ModelSpec.ColorOrder.GRAY || spec.layout() != ModelSpec.Layout.NCHW) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "model " + modelId + " must take a 3-channel NCHW input, its manifest says "
                    + spec.colorOrder() + " " + spec.layout());
        }
        this.modelId = modelId;
        this.model = model;
        this.spec = spec;
        this.channelMeans = channelMeans.clone();
        this.scoreThreshold = scoreThreshold;
        this.nmsThreshold = nmsThreshold;
        this.topK = topK;
        this.maxSide = maxSide;
        Outputs.require(modelId, model, List.of(INPUT), List.of(LOC, CONF, LANDMARKS));
    }

    @Override
    public List<DetectedFace> detect(Image image) {
        ImageOps.Padded padded = ImageOps.scaledAndPadded(image, maxSide, 32, spec);
        double scale = padded.scale();
        int pw = padded.width();
        int ph = padded.height();
        Tensor input = padded.tensor();
        subtractChannelMeans(input, pw * ph);
        Map<String, Tensor> out = model.run(Map.of(INPUT, input));
        Tensor loc = Outputs.get(out, LOC, modelId);
        Tensor conf = Outputs.get(out, CONF, modelId);
        Tensor lms = Outputs.get(out, LANDMARKS, modelId);

        int priors = 0;
        for (int k = 0; k < STRIDES.length; k++) {
            priors += ceilDiv(ph, STRIDES[k]) * ceilDiv(pw, STRIDES[k]) * ANCHOR_SIDES[k].length;
        }
        if (loc.size() != 4 * priors || conf.size() != 2 * priors || lms.size() != 10 * priors) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "model " + modelId + " gave " + loc.size() / 4 + " boxes for a "
                    + pw + "x" + ph + " input, the RetinaFace anchor layout expects " + priors);
        }

        List<DetectedFace> candidates = new ArrayList<>();
        int p = 0;
        for (int k = 0; k < STRIDES.length; k++) {
            int stride = STRIDES[k];
            int rows = ceilDiv(ph, stride);
            int cols = ceilDiv(pw, stride);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    for (int side : ANCHOR_SIDES[k]) {
                        double score = conf.get(2 * p + 1);
                        if (score >= scoreThreshold) {
                            candidates.add(decode(loc, lms, p, (c + 0.5) * stride, (r + 0.5) * stride, side, score, scale));
                        }
                        p++;
                    }
                }
            }
        }
        return Nms.apply(candidates, nmsThreshold, topK);
    }

    /** One anchor's box and landmarks, in pixels of the original image. */
    private static DetectedFace decode(Tensor loc, Tensor lms, int p, double ax, double ay, double side, double score, double scale) {
        double cx = ax + loc.get(4 * p) * CENTRE_VARIANCE * side;
        double cy = ay + loc.get(4 * p + 1) * CENTRE_VARIANCE * side;
        double bw = side * Math.exp(loc.get(4 * p + 2) * SIZE_VARIANCE);
        double bh = side * Math.exp(loc.get(4 * p + 3) * SIZE_VARIANCE);
        double[] xy = new double[10];
        for (int i = 0; i < 5; i++) {
            xy[2 * i] = (ax + lms.get(10 * p + 2 * i) * CENTRE_VARIANCE * side) / scale;
            xy[2 * i + 1] = (ay + lms.get(10 * p + 2 * i + 1) * CENTRE_VARIANCE * side) / scale;
        }
        Box box = new Box((cx - bw / 2) / scale, (cy - bh / 2) / scale, bw / scale, bh / scale);
        return new DetectedFace(box, score, Landmarks5.of(xy));
    }

    private void subtractChannelMeans(Tensor t, int plane) {
        FloatBuffer fb = t.buffer();
        for (int ch = 0; ch < 3; ch++) {
            float m = channelMeans[ch];
            for (int i = ch * plane, end = i + plane; i < end; i++) {
                fb.put(i, fb.get(i) - m);
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    @Override
    public void close() {
        // The model belongs to the pipeline, which closes it.
    }
}
