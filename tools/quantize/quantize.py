"""Quantises one f32 ONNX model to int8 (QDQ) with ONNX Runtime's static quantiser, calibrated on inputs the Java
pipeline prepared (aligned crops, exactly as the embedder receives them). Set-up tooling: nothing here runs at
inference time. The accuracy gate is not here: `sameface models prepare --precision int8` runs it in Java with the
project's own evaluation, and writes the sidecar.

Writes OUT and prints one JSON line: the method and the cosine of int8 vs f32 outputs on held-out inputs (a sanity
check; the gate decides).
"""
import argparse
import json
import os
import sys
import tempfile

import numpy as np
import onnx
import onnx.version_converter
import onnxruntime
from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType,
                                      quantize_static)
from onnxruntime.quantization.shape_inference import quant_pre_process


class Batches(CalibrationDataReader):
    def __init__(self, name, data):
        self._items = iter([{name: data[i:i + 1]} for i in range(len(data))])

    def get_next(self):
        return next(self._items, None)


def outputs(model_path, name, data):
    so = onnxruntime.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    s = onnxruntime.InferenceSession(model_path, so, providers=["CPUExecutionProvider"])
    return np.concatenate([s.run(None, {name: data[i:i + 1]})[0].reshape(1, -1) for i in range(len(data))])


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--onnx", required=True, help="the f32 source model")
    ap.add_argument("--out", required=True, help="where the int8 QDQ model goes")
    ap.add_argument("--calibration", required=True, help="raw little-endian float32 inputs, N*C*H*W")
    ap.add_argument("--shape", required=True, help="C,H,W of one input")
    ap.add_argument("--id", help="model id: its recipe in recipes.json gives method and keep_f32 (defaults below otherwise)")
    ap.add_argument("--method", choices=["MinMax", "Percentile", "Entropy"])
    ap.add_argument("--reduce-range", action="store_true",
                    help="7-bit weights: avoids the u8s8 overflow of AVX2/AVX-512 kernels without VNNI (vpmaddubsw)")
    ap.add_argument("--keep-f32", help="comma-separated node names left in f32 (e.g. the embedding layers)")
    ap.add_argument("--holdout", type=int, default=32, help="inputs kept out of calibration for the cosine check")
    a = ap.parse_args()

    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "recipes.json")) as f:
        recipes = json.load(f)
    recipe = recipes.get(a.id or "", recipes["default"])
    a.method = a.method or recipe["method"]
    a.keep_f32 = a.keep_f32 if a.keep_f32 is not None else ",".join(recipe["keep_f32"])

    c, h, w = (int(x) for x in a.shape.split(","))
    data = np.fromfile(a.calibration, dtype="<f4").reshape(-1, c, h, w)
    if len(data) <= a.holdout:
        sys.exit(f"error: {len(data)} calibration inputs, need more than the {a.holdout} held out")
    calib, held = data[a.holdout:], data[:a.holdout]
    name = onnx.load(a.onnx, load_external_data=False).graph.input[0].name

    with tempfile.TemporaryDirectory() as tmp:
        # Per-channel weights need DequantizeLinear's axis, which ONNX has from opset 13; older models (the
        # embedder is opset 9) are converted first, and the conversion is checked by the cosine below.
        src = a.onnx
        model = onnx.load(a.onnx)
        opset = max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
        if opset < 13:
            src = os.path.join(tmp, "opset13.onnx")
            onnx.save(onnx.version_converter.convert_version(model, 13), src)
        # Shape inference and graph folding first, as ONNX Runtime recommends before quantising.
        pre = os.path.join(tmp, "pre.onnx")
        quant_pre_process(src, pre, skip_symbolic_shape=True)
        # QDQ keeps the graph an ordinary ONNX model that ONNX Runtime, OpenVINO and DJL's ONNX Runtime all fuse
        # into their int8 kernels; per-channel s8 weights keep each filter's own range (per-tensor loses the thin
        # ones); u8 activations are what the x86 kernels (AVX2 u8s8, VNNI) take.
        quantize_static(pre, a.out, Batches(name, calib), quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        calibrate_method=getattr(CalibrationMethod, a.method), reduce_range=a.reduce_range,
                        nodes_to_exclude=[n for n in a.keep_f32.split(",") if n])

    f = outputs(a.onnx, name, held)
    q = outputs(a.out, name, held)
    cos = (f * q).sum(1) / np.linalg.norm(f, axis=1) / np.linalg.norm(q, axis=1)
    print(json.dumps({"method": f"onnxruntime {onnxruntime.__version__} quantize_static QDQ, per-channel s8 weights, "
                                f"u8 activations, {a.method} calibration" + (", reduced range (7-bit)" if a.reduce_range else "")
                                + (f", kept in f32: {a.keep_f32}" if a.keep_f32 else ""),
                      "kept_f32": a.keep_f32, "calibration_inputs": int(len(calib)), "holdout_inputs": int(len(held)),
                      "holdout_min_cosine": float(cos.min()), "holdout_median_cosine": float(np.median(cos))}))


if __name__ == "__main__":
    main()
