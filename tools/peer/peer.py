"""The Python peer of sameface's default pipeline, for benchmarks only (nothing here runs in sameface).

What a user would otherwise write, InsightFace-style: cv2.imdecode, cv2.warpAffine, cv2.resize and onnxruntime
sessions on the very ONNX files sameface runs, with the same pre- and post-processing as the Java stages
(UltraLightDetector with Framing and OnetPoints, FaceSelection, SimilarityAligner, ArcFaceEmbedder, CosineMatcher):

  detect  RFB-320 on the photo framed for pose: a black border of 0.3 x its longer side on every side, then the
          aspect ratio kept in the 320x240 input (black bars, centred), bilinear in float, RGB (x - 127) / 128;
          faces with score >= threshold, greedy NMS by IoU, top-k, box corners mapped back through the framed
          region; nothing found: once more with a 0.5 border; still nothing: MTCNN's O-Net on the square around the
          whole photo, whose regressed box is the face when its face probability is >= 0.7
  select  large-central (InsightFace's rule): box area minus twice the squared distance of its centre from the
          photo's centre, the largest value wins
  points  O-Net on the chosen box made square (corners truncated toward zero), the crop resampled INTER_AREA in
          float (zeros outside the photo), [1, 48, 48, 3] x before y, RGB (x - 127.5) / 128; its box regression
          applied once, squared again, O-Net again, the five points from that second run; the same two runs on
          the mirrored crops (box regression and points mirrored back), and the two sets of points averaged
  align   least-squares similarity (Umeyama) to the ArcFace 112x112 template, bilinear warp, black border
  embed   BGR (x - 127) / 128, L2-normalised
  match   cosine

One thread everywhere: intra/inter-op 1, sequential, no spinning, cv2.setNumThreads(1), OMP/OpenBLAS/MKL = 1.

Line protocol (sameface bench --peer): the first stdout line is {"ready": true, versions...}; then for every
photo path read from stdin one JSON line with per-stage ms, the 5 landmarks and the 512-d embedding, or
{"path": ..., "error": ...}. End of stdin ends the process. Standalone: python peer.py PHOTO... prints the same lines.
"""
import os

# Before numpy and cv2 load their thread pools: one thread, as the Java side runs.
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import onnxruntime as ort  # noqa: E402

ARCFACE_112 = np.array([[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366],
                        [41.5493, 92.3655], [70.7299, 92.2041]], dtype=np.float64)
# The framing of sameface's default (detector options margin 0.3, retry-margin 0.5, letterbox, whole-photo); the
# Java side (PeerComparison.settings) refuses any other configuration.
MARGIN = 0.3
RETRY_MARGIN = 0.5
ONET_SIDE = 48
# O-Net's face probability from which the whole photo is taken as a face: MTCNN's own final threshold.
WHOLE_PHOTO_THRESHOLD = 0.7


def session(path, denormal_as_zero):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    so.add_session_config_entry("session.inter_op.allow_spinning", "0")
    so.add_session_config_entry("session.set_denormal_as_zero", "1" if denormal_as_zero else "0")
    return ort.InferenceSession(path, sess_options=so, providers=["CPUExecutionProvider"])


class Peer:
    def __init__(self, home, detector, onet, embedder, score_threshold, nms_threshold, top_k, denormal_as_zero,
                 embedder_file=None):
        def model(mid, path=None):
            p = path or os.path.join(home, "models", mid, mid + ".onnx")
            if not os.path.isfile(p):
                raise SystemExit(f"peer: error: model file {p} is missing; run: ./sameface models fetch {mid}")
            return session(p, denormal_as_zero)

        self.detector = model(detector)
        self.det_h, self.det_w = self.detector.get_inputs()[0].shape[2:4]
        self.onet = model(onet)
        self.onet_input = self.onet.get_inputs()[0].name
        self.embedder = model(embedder, embedder_file)
        self.embedder_input = self.embedder.get_inputs()[0].name
        self.score_threshold = score_threshold
        self.nms_threshold = nms_threshold
        self.top_k = top_k
        # The detector's input warped from the photo in float, as sameface resamples. Warping the uint8 photo (the
        # usual idiom) rounds that input to 8 bits, which moves near-threshold boxes by a pixel; O-Net then sees
        # another whole-pixel square and, on profiles, puts the points up to 40 px elsewhere (resampling_check.py).
        self.float_detector_input = True

    def detect(self, img):
        """The chosen face's five points and how it was found, or (None, None)."""
        h, w = img.shape[:2]
        framed_from = img.astype(np.float32) if self.float_detector_input else img
        found, boxes = f"margin {MARGIN}", self.boxes(framed_from, MARGIN)
        if not len(boxes):
            found, boxes = f"margin {RETRY_MARGIN}", self.boxes(framed_from, RETRY_MARGIN)
        if not len(boxes):
            found, boxes = "whole photo", self.whole_photo(img)
        if not len(boxes):
            return None, None
        return self.five_points(img, large_central(boxes, w, h)), found

    def boxes(self, img, margin):
        """Faces as [x1, y1, x2, y2] rows in photo pixels, best first, after NMS."""
        h, w = img.shape[:2]
        rx, ry, rw, rh = region(w, h, margin, self.det_w / self.det_h)
        # The region (beyond the photo: black) resampled to the input by pixel centres, as cv2.resize maps them.
        fx, fy = rw / self.det_w, rh / self.det_h
        to_src = np.array([[fx, 0, rx + 0.5 * fx - 0.5], [0, fy, ry + 0.5 * fy - 0.5]])
        framed = cv2.warpAffine(img, to_src, (self.det_w, self.det_h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                                borderMode=cv2.BORDER_CONSTANT, borderValue=0)
        blob = cv2.dnn.blobFromImage(framed, 1 / 128, (self.det_w, self.det_h), (127, 127, 127), swapRB=True)
        scores, boxes = self.detector.run(["scores", "boxes"], {"input": blob})
        s = scores[0, :, 1].astype(np.float64)  # compared in double, as the Java stage does
        b = boxes[0].astype(np.float64) * np.array([rw, rh, rw, rh]) + np.array([rx, ry, rx, ry])
        keep = (s >= self.score_threshold) & (b[:, 2] - b[:, 0] >= 2) & (b[:, 3] - b[:, 1] >= 2)
        s, b = s[keep], b[keep]
        kept = []
        for i in np.argsort(-s, kind="stable"):
            if len(kept) >= self.top_k:
                break
            if all(iou(b[i], b[k]) <= self.nms_threshold for k in kept):
                kept.append(i)
        return b[kept]

    def onet_crop(self, img, win):
        """O-Net's 48x48 input for the whole-pixel window [x1, y1, x2, y2], rows y, columns x, RGB normalised."""
        x1, y1 = int(win[0]), int(win[1])
        cw, ch = max(1, int(win[2]) - x1), max(1, int(win[3]) - y1)
        h, w = img.shape[:2]
        crop = np.zeros((ch, cw, 3), np.float32)  # zeros outside the photo, float as MTCNN's reference crops
        sx0, sy0, sx1, sy1 = max(x1, 0), max(y1, 0), min(x1 + cw, w), min(y1 + ch, h)
        if sx0 < sx1 and sy0 < sy1:
            crop[sy0 - y1:sy1 - y1, sx0 - x1:sx1 - x1] = img[sy0:sy1, sx0:sx1, ::-1]  # BGR -> RGB
        return (cv2.resize(crop, (ONET_SIDE, ONET_SIDE), interpolation=cv2.INTER_AREA) - 127.5) * 0.0078125

    def run_onet(self, t):
        """O-Net on its input t: (face probability, box regression, points), as O-Net gives them for that crop."""
        # Trained on transposed images: [N, width, height, 3], x before y.
        out = self.onet.run(None, {self.onet_input: np.ascontiguousarray(t.transpose(1, 0, 2)[None])})
        by_last = {o.shape[-1]: o[0].astype(np.float64) for o in out}  # told apart by last dimension, as in Java
        return by_last[2][1], by_last[4], by_last[10]

    def five_points(self, img, box):
        square = squared(box)
        t = self.onet_crop(img, square)
        _, reg, _ = self.run_onet(t)
        _, r, _ = self.run_onet(t[:, ::-1])  # the same crop mirrored
        mirrored_reg = np.array([-r[2], r[1], -r[0], r[3]])  # the mirrored crop's left edge is the photo's right
        return (self.second_pass(img, square, reg, False) + self.second_pass(img, square, mirrored_reg, True)) / 2

    def second_pass(self, img, square, reg, mirrored):
        handed = squared(regressed(square, reg))  # MTCNN's hand-over from R-Net to O-Net
        t = self.onet_crop(img, handed)
        _, _, pts = self.run_onet(t[:, ::-1] if mirrored else t)
        w, h = handed[2] - handed[0], handed[3] - handed[1]
        fx = 1 - pts[:5] if mirrored else pts[:5]
        points = np.stack([handed[0] + fx * w, handed[1] + pts[5:] * h], axis=1)
        return points[[1, 0, 2, 4, 3]] if mirrored else points  # image-left first again

    def whole_photo(self, img):
        h, w = img.shape[:2]
        square = squared(np.array([0.0, 0.0, w, h]))
        p, reg, _ = self.run_onet(self.onet_crop(img, square))
        # The regressed box only: the Java pipeline then runs the chosen box's points like any detected face's.
        return regressed(square, reg)[None] if p >= WHOLE_PHOTO_THRESHOLD else np.zeros((0, 4))

    def embed(self, crop):
        blob = cv2.dnn.blobFromImage(crop, 1 / 128, (112, 112), (127, 127, 127), swapRB=False)
        v = self.embedder.run(None, {self.embedder_input: blob})[0].reshape(-1).astype(np.float64)
        return v / np.linalg.norm(v)

    def enrol(self, path):
        t0 = time.perf_counter_ns()
        img = cv2.imdecode(np.fromfile(path, dtype=np.uint8), cv2.IMREAD_COLOR)
        t1 = time.perf_counter_ns()
        if img is None:
            return {"path": path, "error": "not a readable image"}
        points, found = self.detect(img)
        t2 = time.perf_counter_ns()
        if points is None:
            return {"path": path, "error": "no face"}
        crop = cv2.warpAffine(img, similarity(points, ARCFACE_112), (112, 112), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=0)
        t3 = time.perf_counter_ns()
        e = self.embed(crop)
        t4 = time.perf_counter_ns()
        float(np.dot(e, e))
        t5 = time.perf_counter_ns()
        ms = lambda a, b: (b - a) / 1e6  # noqa: E731
        return {"path": path, "decode_ms": ms(t0, t1), "detect_ms": ms(t1, t2), "align_ms": ms(t2, t3),
                "embed_ms": ms(t3, t4), "match_ms": ms(t4, t5), "template_ms": ms(t0, t4), "found_by": found,
                "landmarks": points.reshape(-1).tolist(), "embedding": e.tolist()}


def region(w, h, margin, aspect):
    """The photo grown by margin x its longer side on every side, then around its centre to the input's aspect."""
    pad = margin * max(w, h)
    x, y, rw, rh = -pad, -pad, w + 2 * pad, h + 2 * pad
    if rw / rh < aspect:
        nw = rh * aspect
        x, rw = x - (nw - rw) / 2, nw
    else:
        nh = rw / aspect
        y, rh = y - (nh - rh) / 2, nh
    return x, y, rw, rh


def squared(win):
    """The square of the longer side around the same centre, corners truncated toward zero (MTCNN's rerec + fix)."""
    w, h = win[2] - win[0], win[3] - win[1]
    side = max(w, h)
    nx, ny = win[0] + w / 2 - side / 2, win[1] + h / 2 - side / 2
    return np.array([math.trunc(nx), math.trunc(ny), math.trunc(nx + side), math.trunc(ny + side)], dtype=np.float64)


def regressed(win, reg):
    """Moved by O-Net's regression (dx1, dy1, dx2, dy2), in units of the window's own size."""
    w, h = win[2] - win[0], win[3] - win[1]
    return win + reg * np.array([w, h, w, h])


def iou(a, b):
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return 0.0 if union <= 0 else inter / union


def large_central(boxes, w, h):
    """InsightFace's FaceAnalysis rule (sameface's face-selection: large-central); ties go to the first."""
    bw, bh = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    dx, dy = boxes[:, 0] + bw / 2 - w / 2, boxes[:, 1] + bh / 2 - h / 2
    return boxes[np.argmax(bw * bh - 2 * (dx * dx + dy * dy))]


def similarity(src, dst):
    """Umeyama's least-squares similarity from src to dst (closed form in 2-D), as a 2x3 matrix for warpAffine."""
    ms, md = src.mean(0), dst.mean(0)
    u, v = src - ms, dst - md
    den = (u * u).sum()
    a = (u * v).sum() / den
    b = (u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]).sum() / den
    t = md - np.array([a * ms[0] - b * ms[1], b * ms[0] + a * ms[1]])
    return np.array([[a, -b, t[0]], [b, a, t[1]]])


def main():
    default_home = os.environ.get("SAMEFACE_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "sameface")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("photos", nargs="*", help="photos to enrol; none: read paths from stdin, one a line")
    ap.add_argument("--home", default=default_home, help="SAMEFACE_HOME (models under <home>/models/<id>/<id>.onnx)")
    ap.add_argument("--detector", default="ulfg-rfb-320")
    ap.add_argument("--onet", dest="onet", default="mtcnn-onet",
                    help="MTCNN's O-Net, for the five points and the whole-photo fallback")
    ap.add_argument("--embedder", default="fr-feature-512")
    ap.add_argument("--embedder-file", help="the embedder's ONNX file instead of <home>/models/ID/ID.onnx: its int8 copy "
                                            "when sameface runs that")
    ap.add_argument("--score-threshold", type=float, default=0.7)
    ap.add_argument("--nms-threshold", type=float, default=0.4)
    ap.add_argument("--top-k", type=int, default=20)
    ap.add_argument("--keep-denormals", action="store_true",
                    help="do not set session.set_denormal_as_zero (default: flush, as sameface does)")
    args = ap.parse_args()

    cv2.setNumThreads(1)
    peer = Peer(args.home, args.detector, args.onet, args.embedder, args.score_threshold, args.nms_threshold,
                args.top_k, not args.keep_denormals, args.embedder_file)
    print(json.dumps({"ready": True, "python": platform.python_version(), "onnxruntime": ort.__version__,
                      "opencv": cv2.__version__, "numpy": np.__version__, "cv2_threads": cv2.getNumThreads(),
                      "denormal_as_zero": not args.keep_denormals,
                      "embedder_file": os.path.basename(args.embedder_file or args.embedder + ".onnx")}), flush=True)
    paths = args.photos or (line.rstrip("\n") for line in sys.stdin)
    for p in paths:
        if not p:
            continue
        try:
            r = peer.enrol(p)
        except Exception as e:  # one bad photo must not end the benchmark; the error goes back on the line
            r = {"path": p, "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
