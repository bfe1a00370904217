package dev.sameface.stages;

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
import dev.sameface.api.engine.TensorInfo;
import dev.sameface.kit.Nms;
import dev.sameface.kit.Outputs;
import dev.sameface.kit.TensorPacker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SCRFD (InsightFace): anchor-free heads at strides 8/16/32 (or 8..128), a few anchor points per cell, each giving a
 * sigmoid score, a box as distances to its four sides and five landmarks as offsets, all in units of the stride.
 * Decoding as InsightFace's {@code scrfd.py}: anchor centres at {@code (col, row) * stride}, the cell's anchors
 * consecutive. The heads are read from the graph, so the 0.5g, 2.5g and 10g {@code _bnkps} exports all work: by name
 * ({@code score_<stride>}, {@code bbox_<stride>}, {@code kps_<stride>}) when the export names them so, else by the
 * reference's output order (all scores, then all boxes, then all landmarks, strides ascending), as InsightFace's own
 * packs name them by number. Anchors per cell follow from the output sizes. A graph without landmark heads is refused:
 * the aligner needs five points.
 *
 * <p>Input: the image scaled so its longer side is at most {@code max-side} (never enlarged) and zero-padded at the
 * right and bottom to a multiple of the largest stride, or letterboxed into a fixed input the graph declares; the
 * reference's placement (top-left, aspect kept). Landmarks come out image-left eye first, the ArcFace order.
 */
public final class ScrfdDetector implements Detector {
    private static final Pattern HEAD = Pattern.compile("(score|bbox|kps)_(\\d+)");

    /** One stride's three outputs. */
    private record Head(int stride, String score, String bbox, String kps) {
    }

    private final String modelId;
    private final CompiledModel model;
    private final String input;
    private final List<Head> heads;
    private final int fixedWidth;
    private final int fixedHeight;
    private final double scoreThreshold;
    private final double nmsThreshold;
    private final int topK;
    private final int maxSide;
    private final TensorPacker packer;

    public ScrfdDetector(String modelId, CompiledModel model, ModelSpec spec, double scoreThreshold, double nmsThreshold, int topK, int maxSide) {
        this.modelId = modelId;
        this.model = model;
        List<TensorInfo> inputs = model.inputs();
        if (inputs.size() != 1 || inputs.getFirst().shape().length != 4) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "SCRFD model " + modelId + " must have one [N, 3, H, W] input, has " + inputs);
        }
        this.input = inputs.getFirst().name();
        long[] shape = inputs.getFirst().shape();
        this.fixedHeight = (int) Math.max(0, shape[2]);
        this.fixedWidth = (int) Math.max(0, shape[3]);
        this.heads = heads(modelId, model.outputs());
        this.scoreThreshold = scoreThreshold;
        this.nmsThreshold = nmsThreshold;
        this.topK = topK;
        this.maxSide = maxSide;
        this.packer = new TensorPacker(spec);
    }

    /** The heads by name when every output is named {@code score|bbox|kps_<stride>}, else by the reference's order. */
    static List<Head> heads(String modelId, List<TensorInfo> outputs) {
        List<String> names = outputs.stream().map(TensorInfo::name).toList();
        Map<Integer, String[]> byStride = new java.util.TreeMap<>();
        boolean named = true;
        for (String n : names) {
            Matcher m = HEAD.matcher(n);
            if (!m.matches()) {
                named = false;
                break;
            }
            String[] h = byStride.computeIfAbsent(Integer.parseInt(m.group(2)), s -> new String[3]);
            h[switch (m.group(1)) { case "score" -> 0; case "bbox" -> 1; default -> 2; }] = n;
        }
        List<Head> heads = new ArrayList<>();
        if (named) {
            for (var e : byStride.entrySet()) {
                if (e.getValue()[0] == null || e.getValue()[1] == null || e.getValue()[2] == null) {
                    throw incompatible(modelId, names);
                }
                heads.add(new Head(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]));
            }
        } else if (names.size() == 9 || names.size() == 15) {
            int levels = names.size() / 3;
            for (int i = 0; i < levels; i++) {
                heads.add(new Head(8 << i, names.get(i), names.get(levels + i), names.get(2 * levels + i)));
            }
        }
        if (heads.isEmpty()) {
            throw incompatible(modelId, names);
        }
        return List.copyOf(heads);
    }

    private static FaceException incompatible(String modelId, List<String> names) {
        return new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "model " + modelId + " has outputs " + names
                + "; SCRFD needs score, bbox and kps heads per stride (score_8, bbox_8, kps_8, ... or the 9/15 outputs of a _bnkps export)");
    }

    @Override
    public List<DetectedFace> detect(Image image) {
        int largestStride = heads.getLast().stride();
        double scale;
        int pw;
        int ph;
        if (fixedWidth > 0 && fixedHeight > 0) {
            // The reference letterboxes into the declared size, enlarging small images too.
            scale = Math.min((double) fixedWidth / image.width(), (double) fixedHeight / image.height());
            pw = fixedWidth;
            ph = fixedHeight;
        } else {
            scale = Math.min(1.0, (double) maxSide / Math.max(image.width(), image.height()));
            pw = ceilTo((int) Math.round(image.width() * scale), largestStride);
            ph = ceilTo((int) Math.round(image.height() * scale), largestStride);
        }
        // Sampling beyond the image at the same scale reads zeros: the padding.
        Tensor in = packer.pack(image, 0, 0, pw / scale, ph / scale, pw, ph);
        Map<String, Tensor> out = model.run(Map.of(input, in));
        List<DetectedFace> candidates = new ArrayList<>();
        for (Head head : heads) {
            int stride = head.stride();
            int cols = pw / stride;
            int cells = cols * (ph / stride);
            Tensor score = Outputs.get(out, head.score(), modelId);
            Tensor bbox = Outputs.get(out, head.bbox(), modelId);
            Tensor kps = Outputs.get(out, head.kps(), modelId);
            int anchors = cells == 0 ? 0 : score.size() / cells;
            int n = cells * anchors;
            if (anchors < 1 || score.size() != n || bbox.size() != 4 * n || kps.size() != 10 * n) {
                throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "model " + modelId + " stride " + stride + " gave " + score.size()
                        + " scores, " + bbox.size() + " box and " + kps.size() + " landmark values for " + cells + " cells of a "
                        + pw + "x" + ph + " input");
            }
            for (int i = 0; i < n; i++) {
                double s = score.get(i);
                if (s < scoreThreshold) {
                    continue;
                }
                int cell = i / anchors;
                double cx = (cell % cols) * stride;
                double cy = (cell / cols) * stride;
                double x1 = cx - bbox.get(4 * i) * stride;
                double y1 = cy - bbox.get(4 * i + 1) * stride;
                double x2 = cx + bbox.get(4 * i + 2) * stride;
                double y2 = cy + bbox.get(4 * i + 3) * stride;
                double[] xy = new double[10];
                for (int k = 0; k < 5; k++) {
                    xy[2 * k] = (cx + kps.get(10 * i + 2 * k) * stride) / scale;
                    xy[2 * k + 1] = (cy + kps.get(10 * i + 2 * k + 1) * stride) / scale;
                }
                candidates.add(new DetectedFace(new Box(x1 / scale, y1 / scale, (x2 - x1) / scale, (y2 - y1) / scale), s, Landmarks5.of(xy)));
            }
        }
        candidates.sort(Comparator.comparingDouble(DetectedFace::score).reversed());
        return Nms.apply(candidates, nmsThreshold, topK);
    }

    private static int ceilTo(int v, int multiple) {
        return Math.max(multiple, (v + multiple - 1) / multiple * multiple);
    }

    @Override
    public void close() {
        // The model belongs to the pipeline, which closes it.
    }
}
