"""The Python peer of sameface's default pipeline, for benchmarks only (nothing here runs in sameface).

What a user would otherwise write, InsightFace-style: cv2.imdecode, cv2.dnn.blobFromImage, cv2.warpAffine and
onnxruntime sessions on the very ONNX files sameface runs, with the same pre- and post-processing as the Java
stages (UltraLightDetector, SimilarityAligner, ArcFaceEmbedder, CosineMatcher):

  detect  RFB-320 on the whole photo stretched to 320x240, RGB (x - 127) / 128; faces with score >= threshold,
          greedy NMS by IoU, top-k; the largest face (ties within 1% go to the one nearest the centre); the
          68-point model on its box (floored, moved inside the photo) as 64x64 grey x / 256, reduced to 5 points
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
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import onnxruntime as ort  # noqa: E402

ARCFACE_112 = np.array([[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366],
                        [41.5493, 92.3655], [70.7299, 92.2041]], dtype=np.float64)


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
    def __init__(self, home, detector, landmarks, embedder, score_threshold, nms_threshold, top_k, denormal_as_zero):
        def model(mid):
            p = os.path.join(home, "models", mid, mid + ".onnx")
            if not os.path.isfile(p):
                raise SystemExit(f"peer: error: model file {p} is missing; run: ./sameface models fetch {mid}")
            return session(p, denormal_as_zero)

        self.detector = model(detector)
        self.landmarks = model(landmarks)
        self.embedder = model(embedder)
        self.embedder_input = self.embedder.get_inputs()[0].name
        self.score_threshold = score_threshold
        self.nms_threshold = nms_threshold
        self.top_k = top_k

    def detect(self, img):
        h, w = img.shape[:2]
        blob = cv2.dnn.blobFromImage(img, 1 / 128, (320, 240), (127, 127, 127), swapRB=True)
        scores, boxes = self.detector.run(["scores", "boxes"], {"input": blob})
        s = scores[0, :, 1].astype(np.float64)  # compared in double, as the Java stage does
        b = boxes[0].astype(np.float64) * np.array([w, h, w, h])
        keep = (s >= self.score_threshold) & (b[:, 2] - b[:, 0] >= 2) & (b[:, 3] - b[:, 1] >= 2)
        s, b = s[keep], b[keep]
        kept = []
        for i in np.argsort(-s, kind="stable"):
            if len(kept) >= self.top_k:
                break
            if all(iou(b[i], b[k]) <= self.nms_threshold for k in kept):
                kept.append(i)
        if not kept:
            return None
        face = largest(b[kept], w, h)
        return self.five_points(img, face)

    def five_points(self, img, box):
        ih, iw = img.shape[:2]
        x, y = np.floor(box[0]), np.floor(box[1])
        w, h = np.floor(box[2] - box[0]), np.floor(box[3] - box[1])
        w, h = min(w, iw - 1), min(h, ih - 1)
        x = max(0.0, min(x, iw - 1 - w))
        y = max(0.0, min(y, ih - 1 - h))
        x, y, w, h = int(x), int(y), int(w), int(h)
        grey = cv2.cvtColor(img[y:y + h, x:x + w], cv2.COLOR_BGR2GRAY)
        blob = cv2.dnn.blobFromImage(grey, 1 / 256, (64, 64))
        p = self.landmarks.run(["output"], {"input": blob})[0].reshape(68, 2).astype(np.float64)
        p = p * [w, h] + [x, y]
        return np.array([p[[37, 38, 40, 41]].mean(0), p[[43, 44, 46, 47]].mean(0), p[30],
                         p[[48, 60]].mean(0), p[[54, 64]].mean(0)])

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
        points = self.detect(img)
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
                "embed_ms": ms(t3, t4), "match_ms": ms(t4, t5), "template_ms": ms(t0, t4),
                "landmarks": points.reshape(-1).tolist(), "embedding": e.tolist()}


def iou(a, b):
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return 0.0 if union <= 0 else inter / union


def largest(boxes, w, h):
    """The largest box; ties within 1% go to the one nearest the image centre (sameface's face-selection: largest)."""
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    near = boxes[area >= 0.99 * area.max()]
    d = np.hypot((near[:, 0] + near[:, 2]) / 2 - w / 2, (near[:, 1] + near[:, 3]) / 2 - h / 2)
    return near[np.argmin(d)]


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
    ap.add_argument("--landmarks", default="fr-landmark-68")
    ap.add_argument("--embedder", default="fr-feature-512")
    ap.add_argument("--score-threshold", type=float, default=0.7)
    ap.add_argument("--nms-threshold", type=float, default=0.4)
    ap.add_argument("--top-k", type=int, default=20)
    ap.add_argument("--keep-denormals", action="store_true",
                    help="do not set session.set_denormal_as_zero (default: flush, as sameface does)")
    args = ap.parse_args()

    cv2.setNumThreads(1)
    peer = Peer(args.home, args.detector, args.landmarks, args.embedder, args.score_threshold, args.nms_threshold,
                args.top_k, not args.keep_denormals)
    print(json.dumps({"ready": True, "python": platform.python_version(), "onnxruntime": ort.__version__,
                      "opencv": cv2.__version__, "numpy": np.__version__, "cv2_threads": cv2.getNumThreads(),
                      "denormal_as_zero": not args.keep_denormals}), flush=True)
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
