package dev.sameface.djl;

import dev.sameface.api.engine.Tensor;

import java.util.Map;

/**
 * Compares one model's outputs from two engines the way the stage plugins use them. Detector coordinates are
 * compared after decoding, in pixels of a photo REFERENCE_SIDE wide (larger than any photo sameface is meant for:
 * within 0.5 px there means within 0.5 px on every smaller photo). The same rules as tools/torchscript/export.py.
 */
final class OutputCheck {
    static final double REFERENCE_SIDE = 4096;
    static final double MAX_PX = 0.5;
    static final double MIN_COSINE = 0.9999;
    /** Probabilities compared against a threshold: 1e-4 flips only faces scored within 1e-4 of it. */
    static final double MAX_SCORE_DIFF = 1e-4;
    /** Anchors that both engines score below this are dropped by every plugin; their boxes are noise. */
    static final double ANCHOR_FLOOR = 0.05;

    private OutputCheck() {
    }

    /** What a comparison found: the worst figures over all outputs. */
    record Result(double cosine, double maxPx, double maxScoreDiff, double maxAbsDiff) {
        boolean ok() {
            return cosine >= MIN_COSINE && maxPx <= MAX_PX && maxScoreDiff <= MAX_SCORE_DIFF;
        }
    }

    static double maxAbsDiff(Map<String, Tensor> ref, Map<String, Tensor> got) {
        double worst = 0;
        for (var e : ref.entrySet()) {
            float[] a = e.getValue().toArray();
            float[] b = got.get(e.getKey()).toArray();
            for (int i = 0; i < a.length; i++) {
                worst = Math.max(worst, Math.abs(a[i] - b[i]));
            }
        }
        return worst;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    static Result embedding(Map<String, Tensor> ref, Map<String, Tensor> got) {
        return new Result(cosine(ref.get("output").toArray(), got.get("output").toArray()), 0, 0, maxAbsDiff(ref, got));
    }

    /** 68 (x, y) pairs as fractions of the face box; a face box is at most the photo. */
    static Result landmarks(Map<String, Tensor> ref, Map<String, Tensor> got) {
        double d = maxAbsDiff(ref, got);
        return new Result(1, d * REFERENCE_SIDE, 0, d);
    }

    /** Ultra-Light: scores [1,N,2] softmax, boxes [1,N,4] as fractions of the photo. */
    static Result ulfg(Map<String, Tensor> ref, Map<String, Tensor> got) {
        float[] sa = ref.get("scores").toArray(), sb = got.get("scores").toArray();
        float[] ba = ref.get("boxes").toArray(), bb = got.get("boxes").toArray();
        double score = 0, box = 0;
        for (int i = 0; i < sa.length / 2; i++) {
            if (Math.max(sa[2 * i + 1], sb[2 * i + 1]) < ANCHOR_FLOOR) {
                continue;
            }
            score = Math.max(score, Math.abs(sa[2 * i + 1] - sb[2 * i + 1]));
            for (int k = 0; k < 4; k++) {
                box = Math.max(box, Math.abs(ba[4 * i + k] - bb[4 * i + k]));
            }
        }
        return new Result(1, box * REFERENCE_SIDE, score, maxAbsDiff(ref, got));
    }

    /**
     * MTCNN's O-Net, outputs told apart by last dimension as MtcnnDetector does: [N,2] probabilities, [N,4] box
     * regression and [N,10] points, both as fractions of the crop; a crop is at most the photo (the whole-photo one).
     */
    static Result mtcnn(Map<String, Tensor> ref, Map<String, Tensor> got) {
        float[] pa = byLastDim(ref, 2), pb = byLastDim(got, 2);
        double score = 0, coord = 0;
        for (int i = 0; i < pa.length; i++) {
            score = Math.max(score, Math.abs(pa[i] - pb[i]));
        }
        for (int last : new int[] {4, 10}) {
            float[] a = byLastDim(ref, last), b = byLastDim(got, last);
            for (int i = 0; i < a.length; i++) {
                if (Math.max(pa[2 * (i / last) + 1], pb[2 * (i / last) + 1]) >= ANCHOR_FLOOR) {
                    coord = Math.max(coord, Math.abs(a[i] - b[i]));
                }
            }
        }
        return new Result(1, coord * REFERENCE_SIDE, score, maxAbsDiff(ref, got));
    }

    /** O-Net's face probability for each crop of the batch. */
    static java.util.List<Float> faceProbabilities(Map<String, Tensor> out) {
        float[] p = byLastDim(out, 2);
        java.util.List<Float> face = new java.util.ArrayList<>();
        for (int i = 1; i < p.length; i += 2) {
            face.add(p[i]);
        }
        return face;
    }

    private static float[] byLastDim(Map<String, Tensor> out, int last) {
        return out.values().stream().filter(t -> t.shape()[t.shape().length - 1] == last).findFirst()
                .orElseThrow(() -> new AssertionError("no output with last dimension " + last + " in " + out.keySet())).toArray();
    }

    /** YuNet decoded as OpenCV's FaceDetectorYN does: score sqrt(cls*obj), box and 5 landmarks in input pixels. */
    static Result yunet(Map<String, Tensor> ref, Map<String, Tensor> got, int height, int width) {
        double score = 0, coord = 0;
        for (int s : new int[] {8, 16, 32}) {
            int cols = width / s;
            int n = (height / s) * cols;
            float[][] a = {ref.get("cls_" + s).toArray(), ref.get("obj_" + s).toArray(), ref.get("bbox_" + s).toArray(), ref.get("kps_" + s).toArray()};
            float[][] b = {got.get("cls_" + s).toArray(), got.get("obj_" + s).toArray(), got.get("bbox_" + s).toArray(), got.get("kps_" + s).toArray()};
            for (int i = 0; i < n; i++) {
                double scoreA = Math.sqrt(clamp(a[0][i]) * clamp(a[1][i]));
                double scoreB = Math.sqrt(clamp(b[0][i]) * clamp(b[1][i]));
                if (Math.max(scoreA, scoreB) < ANCHOR_FLOOR) {
                    continue;
                }
                score = Math.max(score, Math.abs(scoreA - scoreB));
                double[] ca = decode(a[2], a[3], i, cols, s), cb = decode(b[2], b[3], i, cols, s);
                for (int k = 0; k < ca.length; k++) {
                    coord = Math.max(coord, Math.abs(ca[k] - cb[k]));
                }
            }
        }
        // Input pixels become photo pixels by the resize factor of a REFERENCE_SIDE photo.
        return new Result(1, coord * REFERENCE_SIDE / Math.min(height, width), score, maxAbsDiff(ref, got));
    }

    private static double clamp(float v) {
        return Math.min(1, Math.max(0, v));
    }

    private static double[] decode(float[] bbox, float[] kps, int i, int cols, int stride) {
        int c = i % cols, r = i / cols;
        double w = Math.exp(bbox[4 * i + 2]) * stride, h = Math.exp(bbox[4 * i + 3]) * stride;
        double cx = (c + bbox[4 * i]) * stride, cy = (r + bbox[4 * i + 1]) * stride;
        double[] out = new double[14];
        out[0] = cx - w / 2;
        out[1] = cy - h / 2;
        out[2] = w;
        out[3] = h;
        for (int k = 0; k < 5; k++) {
            out[4 + 2 * k] = (kps[10 * i + 2 * k] + c) * stride;
            out[5 + 2 * k] = (kps[10 * i + 2 * k + 1] + r) * stride;
        }
        return out;
    }
}
