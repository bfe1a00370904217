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
 * YuNet (libfacedetection): anchor-free, one prediction per cell of the stride-8/16/32 feature maps. Each cell
 * gives class and objectness probabilities (score = sqrt(cls * obj)), a box as centre offset in cells and log size,
 * and five landmarks as offsets in cells. The photo, framed as {@link Framing} says (by default: as it is), is scaled
 * so its longer side is at most {@code max-side} (or exactly that with {@code upscale}), then zero-padded at the right
 * and bottom to multiples of 32, as OpenCV's FaceDetectorYN does.
 * Landmark order out of the network is already image-left eye first, the ArcFace template's order.
 */
public final class YuNetDetector implements Detector {
    private static final int[] STRIDES = {8, 16, 32};
    private final String modelId;
    private final CompiledModel model;
    private final ModelSpec spec;
    private final double scoreThreshold;
    private final double nmsThreshold;
    private final int topK;
    private final int maxSide;
    private final boolean upscale;
    private final Framing framing;
    // The input tensor, refilled per image (reallocated only when the padded size changes): one thread at a time.
    private final TensorPacker input;

    public YuNetDetector(String modelId, CompiledModel model, ModelSpec spec, double scoreThreshold, double nmsThreshold, int topK, int maxSide,
                         boolean upscale, Framing framing) {
        this.modelId = modelId;
        this.model = model;
        this.spec = spec;
        this.scoreThreshold = scoreThreshold;
        this.nmsThreshold = nmsThreshold;
        this.topK = topK;
        this.maxSide = maxSide;
        this.upscale = upscale;
        this.framing = framing;
        this.input = new TensorPacker(spec);
        List<String> outs = new ArrayList<>();
        for (int s : STRIDES) {
            outs.addAll(List.of("cls_" + s, "obj_" + s, "bbox_" + s, "kps_" + s));
        }
        Outputs.require(modelId, model, List.of("input"), outs);
    }

    @Override
    public List<DetectedFace> detect(Image image) {
        List<DetectedFace> found = detect(image, framing.margin());
        if (found.isEmpty() && framing.retries()) {
            found = detect(image, framing.retryMargin());
        }
        return found;
    }

    private List<DetectedFace> detect(Image image, double margin) {
        // The input size is free, so the photo keeps its aspect ratio whatever the letterbox setting says.
        Framing.Region r = framing.region(image.width(), image.height(), margin, Double.NaN);
        double longer = Math.max(r.width(), r.height());
        double scale = upscale ? maxSide / longer : Math.min(1.0, maxSide / longer);
        int pw = ((int) Math.round(r.width() * scale) + 31) / 32 * 32;
        int ph = ((int) Math.round(r.height() * scale) + 31) / 32 * 32;
        // Sampling beyond the region at the same scale reads black: the padding to multiples of 32.
        Tensor in = input.pack(image, r.x(), r.y(), pw / scale, ph / scale, pw, ph);
        double ox = r.x();
        double oy = r.y();
        Map<String, Tensor> out = model.run(Map.of("input", in));
        List<DetectedFace> candidates = new ArrayList<>();
        for (int stride : STRIDES) {
            int cols = pw / stride;
            int rows = ph / stride;
            Tensor cls = Outputs.get(out, "cls_" + stride, modelId);
            Tensor obj = Outputs.get(out, "obj_" + stride, modelId);
            Tensor bbox = Outputs.get(out, "bbox_" + stride, modelId);
            Tensor kps = Outputs.get(out, "kps_" + stride, modelId);
            int n = rows * cols;
            if (cls.size() != n || bbox.size() != 4 * n || kps.size() != 10 * n) {
                throw new dev.sameface.api.FaceException(dev.sameface.api.ErrorCode.MODEL_INCOMPATIBLE, "model " + modelId
                        + " stride " + stride + " outputs have " + cls.size() + " cells, expected " + n);
            }
            for (int i = 0; i < n; i++) {
                double score = Math.sqrt(clamp(cls.get(i)) * clamp(obj.get(i)));
                if (score < scoreThreshold) {
                    continue;
                }
                int row = i / cols;
                int c = i % cols;
                double cx = (c + bbox.get(4 * i)) * stride;
                double cy = (row + bbox.get(4 * i + 1)) * stride;
                double bw = Math.exp(bbox.get(4 * i + 2)) * stride;
                double bh = Math.exp(bbox.get(4 * i + 3)) * stride;
                double[] xy = new double[10];
                for (int k = 0; k < 5; k++) {
                    xy[2 * k] = (kps.get(10 * i + 2 * k) + c) * stride / scale + ox;
                    xy[2 * k + 1] = (kps.get(10 * i + 2 * k + 1) + row) * stride / scale + oy;
                }
                Box box = new Box((cx - bw / 2) / scale + ox, (cy - bh / 2) / scale + oy, bw / scale, bh / scale);
                candidates.add(new DetectedFace(box, score, Landmarks5.of(xy)));
            }
        }
        return Nms.apply(candidates, nmsThreshold, topK);
    }

    private static double clamp(float v) {
        return Math.min(1, Math.max(0, v));
    }

    @Override
    public void close() {
        // The model belongs to the pipeline, which closes it.
    }
}
