#!/usr/bin/env python3
"""Export one ONNX model to TorchScript and accept it only if it matches ONNX Runtime on real LFW photos.

Set-up tooling only: sameface never runs Python at inference time. The route is ONNX -> onnx2torch (a torch.fx
module, put in eval mode) -> torch.jit.trace -> torch.jit.freeze -> verify the saved file, reloaded from disk,
against ONNX Runtime.

Exit codes: 0 written (or already up to date), 1 verification failed (nothing written), 2 usage or input error.
"""
import argparse
import hashlib
import json
import math
import os
import platform
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

# One thread: the machines this runs on are shared and small; it also keeps numerics run-to-run identical.
os.environ.setdefault("OMP_NUM_THREADS", "1")
import onnx  # noqa: E402
import onnx.version_converter  # noqa: E402
import onnx2torch  # noqa: E402
import onnxruntime as ort  # noqa: E402
import torch  # noqa: E402
from onnx2torch.onnx_graph import OnnxGraph  # noqa: E402
from PIL import Image  # noqa: E402

torch.set_num_threads(1)
# The tracer warns about every shape-dependent Python branch in onnx2torch's converters. Whether a trace
# generalises is decided by verification (YuNet at several input sizes), not by these warnings.
warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)

# Decoded coordinates must agree within 0.5 px on the original photo. Coordinates scale with the photo, so the
# check is made for a photo of REFERENCE_SIDE pixels (a 16-megapixel camera frame), larger than any LFW image:
# passing it implies passing at every smaller size.
REFERENCE_SIDE = 4096.0
MAX_PX = 0.5
MIN_COSINE = 0.9999
# Scores (softmax / sigmoid probabilities) are compared to a threshold; a difference below 1e-4 can flip a
# decision only for a face scored within 1e-4 of the threshold, which no threshold calibration resolves anyway.
MAX_SCORE_DIFF = 1e-4
# Anchors scored below this by both engines are discarded by every detector plugin long before NMS; their box
# regressions are untrained noise (and exp() of noise), so only their raw outputs are compared (max_abs_diff).
ANCHOR_SCORE_FLOOR = 0.05
# YuNet has dynamic H and W: traced at the first size, verified at all of them (multiples of 32, both aspects).
YUNET_SIZES = [(320, 320), (256, 256), (480, 640), (640, 480), (160, 224)]

# MTCNN's nets see transposed images, [N, width, height, 3] (trained through Caffe/Matlab on column-major arrays),
# RGB, (v - 127.5) * 0.0078125. R-Net and O-Net are verified on LFW's central face crop (the crop fr-landmark-68 uses,
# about the face's box on a deep-funnelled photo) resized to their side; P-Net on whole photos at pyramid-level sizes.
MTCNN = dict(kind="mtcnn", color="RGB", mean=127.5, scale=0.0078125, layout="NWHC", batch=True)
# P-Net has dynamic W and H: traced at the first size, verified at all of them. A 250-px LFW photo's pyramid with a
# 20-px smallest face (150 ... 12), odd and even sides (the SAME_UPPER pooling differs between them), both aspects.
PNET_SIZES = [(150, 150), (106, 106), (75, 75), (53, 53), (27, 27), (12, 12), (90, 120), (91, 67)]

# How each model the product uses wants its input (mirrors the manifest entries; only used to make realistic
# verification inputs from photos). kind selects the output check; layout is NCHW unless given; batch: the product
# runs it on batches, so it is also verified on one batch of all the photos; sizes: (h, w) for dynamic H and W.
KNOWN = {
    "fr-feature-512": dict(kind="embedding", color="RGB", mean=127.0, scale=1 / 128, crop=128),
    "ulfg-rfb-320": dict(kind="ulfg", color="RGB", mean=127.0, scale=1 / 128, crop=None),
    "fr-landmark-68": dict(kind="landmarks", color="GRAY", mean=0.0, scale=1 / 256, crop=120),
    "yunet": dict(kind="yunet", color="BGR", mean=0.0, scale=1.0, crop=None, sizes=YUNET_SIZES),
    "mtcnn-pnet": dict(MTCNN, crop=None, sizes=PNET_SIZES),
    "mtcnn-rnet": dict(MTCNN, crop=120),
    "mtcnn-onet": dict(MTCNN, crop=120),
    # Speed-only, untrained (tools/iresnet): still verified, as any export djl-pytorch runs.
    "iresnet": dict(kind="embedding", color="RGB", mean=127.5, scale=1 / 127.5, crop=128),
}
# Bumped when the sidecar's fields change, so that prepare.sh redoes older exports.
SIDECAR_FORMAT = 2


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def declared_shape(value_info):
    return [d.dim_value if d.dim_value > 0 else -1 for d in value_info.type.tensor_type.shape.dim]


def pick_photos(folder, count):
    """count photos spread over the folder, one per person for LFW's folder-per-person layout, deterministically."""
    root = Path(folder)
    people = sorted(p for p in root.iterdir() if p.is_dir())
    if people:
        step = max(1, len(people) // count)
        picked = [sorted(p.glob("*.jpg"))[0] for p in people[::step] if any(p.glob("*.jpg"))][:count]
    else:
        files = sorted(p for p in root.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
        picked = files[:: max(1, len(files) // count)][:count]
    if not picked:
        raise SystemExit(f"error: no photos in {folder}")
    return picked


def to_input(path, spec, height, width):
    img = Image.open(path).convert("RGB")
    if spec["crop"]:
        c = spec["crop"]
        left, top = (img.width - c) // 2, (img.height - c) // 2
        img = img.crop((left, top, left + c, top + c))
    img = img.resize((width, height), Image.BILINEAR)
    if spec["color"] == "GRAY":
        arr = np.asarray(img.convert("L"), dtype=np.float32)[None, :, :]
    elif spec.get("layout") == "NWHC":
        arr = np.asarray(img, dtype=np.float32).transpose(1, 0, 2)  # x before y, channels last
        if spec["color"] == "BGR":
            arr = arr[:, :, ::-1]
    else:
        arr = np.asarray(img, dtype=np.float32).transpose(2, 0, 1)
        if spec["color"] == "BGR":
            arr = arr[::-1]
    arr = (arr - spec["mean"]) * spec["scale"]
    return np.ascontiguousarray(arr[None], dtype=np.float32)


def yunet_decode(outs, names, height, width):
    """Boxes and landmarks in input pixels, with scores, as OpenCV's FaceDetectorYN decodes YuNet."""
    by = dict(zip(names, outs))
    scores, coords = [], []
    for s in (8, 16, 32):
        cols, rows = width // s, height // s
        cls = np.clip(by[f"cls_{s}"][0, :, 0], 0, 1)
        obj = np.clip(by[f"obj_{s}"][0, :, 0], 0, 1)
        bbox, kps = by[f"bbox_{s}"][0], by[f"kps_{s}"][0]
        idx = np.arange(rows * cols)
        c, r = (idx % cols).astype(np.float64), (idx // cols).astype(np.float64)
        cx, cy = (c + bbox[:, 0]) * s, (r + bbox[:, 1]) * s
        w, h = np.exp(bbox[:, 2].astype(np.float64)) * s, np.exp(bbox[:, 3].astype(np.float64)) * s
        pts = [cx - w / 2, cy - h / 2, w, h]
        for k in range(5):
            pts += [(kps[:, 2 * k] + c) * s, (kps[:, 2 * k + 1] + r) * s]
        scores.append(np.sqrt(cls * obj))
        coords.append(np.stack(pts, axis=1))
    return np.concatenate(scores), np.concatenate(coords)


def by_last_dim(outs, last):
    """The output whose last dimension is last (MtcnnDetector tells MTCNN's outputs apart so), or None."""
    return next((o for o in outs if o.shape[-1] == last), None)


def same_upper_pools_as_ceil_mode(model):
    """Rewrites MaxPool auto_pad=SAME_UPPER (Keras' 'same', which onnx2torch does not convert) as ceil_mode=1 without
    padding, where the two are the same computation: SAME_UPPER pads only at the end (at most one cell, so no window
    starts before the input) and gives ceil(n / stride) outputs, as ceil_mode does. Checked for the static size at
    the node, or for every size up to 4096 where it is dynamic (P-Net); any other pooling is refused, not guessed.
    Like the opset upgrade, a rewrite of the same computation; verification compares with the original file."""
    inferred = onnx.shape_inference.infer_shapes(model)
    shapes = {v.name: [d.dim_value if d.HasField("dim_value") else None for d in v.type.tensor_type.shape.dim]
              for v in list(inferred.graph.value_info) + list(inferred.graph.input)}
    rewritten = 0
    for node in model.graph.node:
        attrs = {a.name: a for a in node.attribute}
        if node.op_type != "MaxPool" or "auto_pad" not in attrs or attrs["auto_pad"].s != b"SAME_UPPER":
            continue
        kernel = list(attrs["kernel_shape"].ints)
        strides = list(attrs["strides"].ints) if "strides" in attrs else [1] * len(kernel)
        dilations = list(attrs["dilations"].ints) if "dilations" in attrs else [1] * len(kernel)
        spatial = (shapes.get(node.input[0]) or [None] * (len(kernel) + 2))[2:]
        for k, s, d, n in zip(kernel, strides, dilations, spatial):
            for size in ([n] if n else range(k, 4097)):
                out = math.ceil(size / s)
                total_pad = max((out - 1) * s + k - size, 0)
                if d != 1 or total_pad // 2 != 0 or math.ceil((size - k) / s) + 1 != out:
                    raise SystemExit(f"error: MaxPool {node.name} (kernel {k}, stride {s}, dilation {d}) pads SAME_UPPER "
                                     f"differently from ceil_mode at input size {size}; no conversion for it")
        for name in ("auto_pad", "ceil_mode", "pads"):
            if name in attrs:
                node.attribute.remove(attrs[name])
        node.attribute.append(onnx.helper.make_attribute("ceil_mode", 1))
        rewritten += 1
    return rewritten


def compare(kind, names, ref, got, height, width):
    """Returns (ok, metrics dict, message) for one input."""
    m = {"max_abs_diff": max(float(np.max(np.abs(a - b))) for a, b in zip(ref, got))}
    for a, b in zip(ref, got):
        if a.shape != b.shape:
            return False, m, f"shape {b.shape} where ONNX Runtime gives {a.shape}"
    if kind == "embedding":
        a, b = ref[0].ravel().astype(np.float64), got[0].ravel().astype(np.float64)
        cos = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
        m["cosine"] = cos
        return cos >= MIN_COSINE, m, f"cosine {cos:.6f} < {MIN_COSINE}"
    if kind == "landmarks":
        # 68 (x, y) pairs relative to the face box: a difference d is d * box side pixels; boxes are at most the photo.
        px = m["max_abs_diff"] * REFERENCE_SIDE
        m["max_px"] = px
        return px <= MAX_PX, m, f"landmarks differ by {px:.3f} px on a {REFERENCE_SIDE:.0f}-px photo"
    if kind == "ulfg":
        by_ref, by_got = dict(zip(names, ref)), dict(zip(names, got))
        live = np.maximum(by_ref["scores"][0, :, 1], by_got["scores"][0, :, 1]) >= ANCHOR_SCORE_FLOOR
        score_diff = float(np.max(np.abs(by_ref["scores"][0][live] - by_got["scores"][0][live]), initial=0.0))
        box_diff = float(np.max(np.abs(by_ref["boxes"][0][live] - by_got["boxes"][0][live]), initial=0.0))
        px = box_diff * REFERENCE_SIDE  # boxes are fractions of the photo's width / height
        m.update(max_score_diff=score_diff, max_px=px, live_anchors=int(live.sum()))
        ok = score_diff <= MAX_SCORE_DIFF and px <= MAX_PX
        return ok, m, f"score diff {score_diff:.2e} (max {MAX_SCORE_DIFF}), boxes differ by {px:.3f} px"
    if kind == "yunet":
        s_ref, c_ref = yunet_decode(ref, names, height, width)
        s_got, c_got = yunet_decode(got, names, height, width)
        # sqrt(cls * obj) has an unbounded slope at 0, so near-zero scores are compared as raw outputs only.
        live = np.maximum(s_ref, s_got) >= ANCHOR_SCORE_FLOOR
        score_diff = float(np.max(np.abs(s_ref[live] - s_got[live]), initial=0.0))
        diff = float(np.max(np.abs(c_ref[live] - c_got[live]), initial=0.0))
        # Input pixels become photo pixels by the resize factor; a photo of REFERENCE_SIDE is scaled by this much.
        px = diff * REFERENCE_SIDE / min(height, width)
        m.update(max_score_diff=score_diff, max_px=px, live_anchors=int(live.sum()))
        ok = score_diff <= MAX_SCORE_DIFF and px <= MAX_PX
        return ok, m, f"score diff {score_diff:.2e} (max {MAX_SCORE_DIFF}), boxes/landmarks differ by {px:.3f} px"
    if kind == "mtcnn":
        # Told apart by last dimension: 2 background/face probabilities, 4 box regression, 10 five x then five y.
        # Regressions and points are fractions of the net's window (P-Net's cell, the R-/O-Net crop), and a window
        # is at most the photo (O-Net's whole-photo crop): a difference d is at most d * REFERENCE_SIDE pixels.
        prob_ref, prob_got = by_last_dim(ref, 2), by_last_dim(got, 2)
        score_diff = float(np.max(np.abs(prob_ref - prob_got)))
        live = np.maximum(prob_ref[..., 1], prob_got[..., 1]) >= ANCHOR_SCORE_FLOOR
        diff = max(float(np.max(np.abs(by_last_dim(ref, last)[live] - by_last_dim(got, last)[live]), initial=0.0))
                   for last in (4, 10) if by_last_dim(ref, last) is not None)
        px = diff * REFERENCE_SIDE
        m.update(max_score_diff=score_diff, max_px=px, live_anchors=int(live.sum()))
        ok = score_diff <= MAX_SCORE_DIFF and px <= MAX_PX
        return ok, m, f"probability diff {score_diff:.2e} (max {MAX_SCORE_DIFF}), boxes/points differ by {px:.3f} px"
    raise ValueError(kind)


def layer_report(model, torch_model, x, limit=5):
    """Runs both sides keeping every intermediate value and names the first ONNX nodes whose outputs differ."""
    model = onnx.ModelProto.FromString(model.SerializeToString())  # a copy: outputs are added below
    graph = OnnxGraph(model.graph)
    known = {o.name for o in model.graph.output}
    for node in model.graph.node:
        for out in node.output:
            if out and out not in known:
                model.graph.output.append(onnx.ValueInfoProto(name=out))
                known.add(out)
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    ref = dict(zip(names, sess.run(None, {sess.get_inputs()[0].name: x})))

    seen = {}

    class Recorder(torch.fx.Interpreter):
        def call_module(self, target, args, kwargs):
            result = super().call_module(target, args, kwargs)
            seen[target] = result
            return result

    with torch.no_grad():
        Recorder(torch_model).run(torch.from_numpy(x))
    lines = []
    for name, node in graph.nodes.items():
        value = seen.get(name)
        if value is None:
            continue
        outs = value if isinstance(value, (tuple, list)) else [value]
        for onnx_name, t in zip(node.output_values, outs):
            if onnx_name not in ref or not isinstance(t, torch.Tensor):
                continue
            a, b = ref[onnx_name].astype(np.float64), t.detach().numpy().astype(np.float64)
            if a.shape != b.shape:
                lines.append(f"  {node.operation_type} node {name} output {onnx_name}: shape {b.shape} vs {a.shape}")
            else:
                # Relative to the layer's magnitude, but absolute for layers whose values are all near 0.
                rel = float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(a))), 1.0))
                if rel > 1e-4:
                    lines.append(f"  {node.operation_type} node {name} output {onnx_name}: diff {rel:.3e}"
                                 f" (relative to max |value| {float(np.max(np.abs(a))):.3g})")
            if len(lines) >= limit:
                return "\n".join(lines)
    return "\n".join(lines) if lines else "  no single layer differs by more than 1e-4 (drift accumulated over many layers)"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", required=True, help="SAMEFACE_HOME; output goes to <home>/models/<id>/<id>.pt")
    ap.add_argument("--id", required=True, help="manifest model id, e.g. fr-feature-512")
    ap.add_argument("--onnx", help="source ONNX file (default <home>/models/<id>/<id>.onnx)")
    ap.add_argument("--kind", choices=["embedding", "ulfg", "landmarks", "yunet", "mtcnn"], help="default: from the id")
    ap.add_argument("--images", required=True,
                    help="face photos to verify on: LFW's images_deepfunneled (a folder per person) or a flat folder")
    ap.add_argument("--inputs", type=int, default=8, help="how many LFW photos to verify on")
    ap.add_argument("--force", action="store_true", help="export even if an up-to-date .pt exists")
    ap.add_argument("--simulate-bn-bug", action="store_true",
                    help="lose BatchNorm running statistics on purpose (a classic conversion bug) to see the verifier "
                         "refuse the export and name the layer; writes nothing")
    a = ap.parse_args()

    home = Path(a.home)
    src = Path(a.onnx) if a.onnx else home / "models" / a.id / f"{a.id}.onnx"
    if not src.is_file():
        print(f"error: {src} not found; run: ./sameface models fetch", file=sys.stderr)
        return 2
    spec = next((v for k, v in KNOWN.items() if a.id == k or a.id.startswith(k)), None)
    if spec is None:
        print(f"error: no input convention known for {a.id} (known: {', '.join(KNOWN)})", file=sys.stderr)
        return 2
    spec = dict(spec, kind=a.kind or spec["kind"])
    out_dir = home / "models" / a.id
    pt, sidecar = out_dir / f"{a.id}.pt", out_dir / f"{a.id}.pt.json"
    source_sha = sha256(src)
    if not a.force and pt.is_file() and sidecar.is_file():
        try:
            if json.loads(sidecar.read_text())["source_sha256"] == source_sha:
                print(f"{a.id}: {pt} is up to date (source sha256 {source_sha[:12]}...)")
                return 0
        except (ValueError, KeyError):
            pass

    model = onnx.load(str(src))
    inits = {i.name for i in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in inits]
    if len(inputs) != 1:
        print(f"error: {a.id} has {len(inputs)} inputs; this tool handles one", file=sys.stderr)
        return 2
    input_names = [inputs[0].name]
    output_names = [o.name for o in model.graph.output]
    dims = [d.dim_value for d in inputs[0].type.tensor_type.shape.dim]
    nwhc = spec.get("layout") == "NWHC"
    sizes = spec.get("sizes") or [(dims[2], dims[1]) if nwhc else (dims[2], dims[3])]
    if "sizes" not in spec and (not all(dims[1:]) or dims[0] != 1 and not (spec.get("batch") and dims[0] == 0)):
        print(f"error: {a.id} input shape {dims} is not fixed with batch 1"
              + (" or dynamic" if spec.get("batch") else ""), file=sys.stderr)
        return 2

    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(str(src), so, providers=["CPUExecutionProvider"])

    if min(op.version for op in model.opset_import if op.domain in ("", "ai.onnx")) < 11:
        # onnx2torch has no converters for some opset-9 forms (Slice with attributes); upgrading the graph is a
        # rewrite of the same computation, and the verification below compares against the original file.
        model = onnx.version_converter.convert_version(model, 11)
    same_upper_pools_as_ceil_mode(model)
    fx_model = onnx2torch.convert(model)
    fx_model.eval()  # BatchNorm must use its running statistics, not the batch's
    if a.simulate_bn_bug:
        for module in fx_model.modules():
            if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
                module.reset_running_stats()

    photos = pick_photos(a.images, a.inputs)
    h0, w0 = sizes[0]
    example = to_input(photos[0], spec, h0, w0)
    out_dir.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        traced = torch.jit.trace(fx_model, torch.from_numpy(example), check_trace=False)
        # A trace keeps onnx2torch's one-submodule-per-ONNX-node structure: every node is a method call the
        # TorchScript interpreter dispatches (~20 us each, 1.5-3.5 ms per run here). Freezing inlines them and
        # makes the weights constants; optimize_numerics=False keeps it from folding conv/BatchNorm arithmetic,
        # so the exported graph computes exactly what the ONNX graph does (verified below all the same).
        traced = torch.jit.freeze(traced.eval(), optimize_numerics=False)
    fd, tmp = tempfile.mkstemp(prefix=f".{a.id}.", suffix=".pt.tmp", dir=out_dir)
    os.close(fd)
    try:
        torch.jit.save(traced, tmp)
        # Verify the file as the engine will read it, not the object in memory.
        reloaded = torch.jit.load(tmp)
        worst = {"min_cosine": None, "max_abs_diff": 0.0, "max_px": None, "max_score_diff": None}
        checked = 0
        batch_sizes = [1] + ([len(photos)] if spec.get("batch") and len(photos) > 1 else [])
        for (h, w) in sizes:
            # Each photo alone, then (for a net the product runs on batches) all of them as one batch.
            runs = [(p.name, to_input(p, spec, h, w)) for p in photos]
            if len(batch_sizes) > 1:
                runs.append((f"a batch of {len(photos)}", np.concatenate([x for _, x in runs])))
            for photo, x in runs:
                ref = sess.run(output_names, {input_names[0]: x})
                with torch.no_grad():
                    res = reloaded(torch.from_numpy(x))
                got = [t.numpy() for t in (res if isinstance(res, (tuple, list)) else [res])]
                if len(got) != len(ref):
                    raise SystemExit(f"{a.id}: TorchScript gives {len(got)} outputs, ONNX has {len(ref)}")
                ok, m, why = compare(spec["kind"], output_names, ref, got, h, w)
                checked += 1
                worst["max_abs_diff"] = max(worst["max_abs_diff"], m["max_abs_diff"])
                if "cosine" in m:
                    worst["min_cosine"] = m["cosine"] if worst["min_cosine"] is None else min(worst["min_cosine"], m["cosine"])
                for k in ("max_px", "max_score_diff"):
                    if k in m:
                        worst[k] = m[k] if worst[k] is None else max(worst[k], m[k])
                if not ok:
                    per_output = ", ".join(f"{n}: {float(np.max(np.abs(r - g))):.3e}"
                                           for n, r, g in zip(output_names, ref, got))
                    print(f"{a.id}: TorchScript REFUSED on {photo} at {w}x{h}: {why}", file=sys.stderr)
                    print(f"  max abs diff per output: {per_output}", file=sys.stderr)
                    if (h, w) != (h0, w0) or x.shape[0] != example.shape[0]:
                        print("  (a size or batch other than the traced one: the trace may have frozen a shape)", file=sys.stderr)
                    print("  first layers that differ (ONNX node, output):", file=sys.stderr)
                    print(layer_report(model, fx_model, x), file=sys.stderr)
                    return 1
        meta = {
            "format": SIDECAR_FORMAT,
            "source_sha256": source_sha,
            "sha256": sha256(tmp),
            "source_file": src.name,
            "input_names": input_names,
            "output_names": output_names,
            # As the ONNX file declares them, -1 where a dimension is dynamic (YuNet's batch, H, W).
            "input_shapes": [declared_shape(inputs[0])],
            "output_shapes": [declared_shape(o) for o in model.graph.output],
            "traced_input_shape": list(example.shape),
            "export": "onnx2torch -> torch.jit.trace -> torch.jit.freeze(optimize_numerics=False)",
            "verified": {
                "inputs": checked,
                "photos": [f"{p.parent.name}/{p.name}" for p in photos],
                "input_sizes_hw": [list(s) for s in sizes],
                "batch_sizes": batch_sizes,
                "min_cosine": worst["min_cosine"],
                "max_abs_diff": worst["max_abs_diff"],
                "max_px_at_reference_side": worst["max_px"],
                "reference_side_px": REFERENCE_SIDE,
                "max_score_diff": worst["max_score_diff"],
            },
            "tool_versions": {
                "python": platform.python_version(),
                "torch": torch.__version__,
                "onnx": onnx.__version__,
                "onnxruntime": ort.__version__,
                "onnx2torch": getattr(onnx2torch, "__version__", "1.5.15"),
                "numpy": np.__version__,
            },
        }
        fd, tmp_json = tempfile.mkstemp(prefix=f".{a.id}.", suffix=".json.tmp", dir=out_dir)
        with os.fdopen(fd, "w") as f:
            json.dump(meta, f, indent=2)
            f.write("\n")
        # mkstemp makes files private; the cache's files are as readable as any file the user creates.
        umask = os.umask(0)
        os.umask(umask)
        for f in (tmp, tmp_json):
            os.chmod(f, 0o666 & ~umask)
        # The .pt first, then the sidecar that vouches for it: a reader that sees the sidecar sees its .pt.
        os.replace(tmp, pt)
        os.replace(tmp_json, sidecar)
        v = meta["verified"]
        detail = (f"min cosine {v['min_cosine']:.7f}" if v["min_cosine"] is not None
                  else f"max {v['max_px_at_reference_side']:.4f} px on a {REFERENCE_SIDE:.0f}-px photo"
                  + (f", max score diff {v['max_score_diff']:.2e}" if v["max_score_diff"] is not None else ""))
        print(f"{a.id}: wrote {pt} — verified on {checked} inputs: {detail}, max abs diff {v['max_abs_diff']:.2e}")
        return 0
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


if __name__ == "__main__":
    sys.exit(main())
