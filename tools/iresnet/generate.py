"""Generates InsightFace's iResNet-100 / iResNet-50 with seeded random weights as ONNX, for speed measurement only.

The architecture is arcface_torch's iresnet.py: conv3x3(3, 64) + BN + PReLU; four stages of IBasicBlock
(BN - conv3x3 - BN - PReLU - conv3x3(stride) - BN, plus a 1x1 conv + BN shortcut where the shape changes), stride 2
in the first block of each stage, widths 64/128/256/512, layers [3, 13, 30, 3] (r100) or [3, 4, 14, 3] (r50);
then BN2d, dropout (off in eval), flatten, fc 512*7*7 -> 512, BN1d. Input 1x3x112x112, output 1x512.

The weights are random (kaiming-normal convolutions, seeded), so the embeddings mean nothing: the model is UNTRAINED
and sameface refuses it for decisions. To keep activations realistic (finite, not denormal), the BatchNorm running
statistics are calibrated on one seeded random batch in training mode, then frozen; the last BN of each block is
scaled to 0.2 so the 49 (r100) residual additions do not blow up the scale.

Writes <out> (ONNX, opset 17, fixed shape) and <out>.json: macs (Conv + Gemm multiply-accumulates, from the
traced shapes), flops (= 2 * macs), params, sha256, seed, torch version, untrained: true.
One thread throughout, so that the same seed gives the same bytes on any machine with this torch.

usage: python generate.py --arch iresnet100 --seed 42 --out DIR/iresnet100.onnx
"""
import argparse
import hashlib
import json
import os
import sys

import numpy as np
import torch
from torch import nn

LAYERS = {"iresnet100": [3, 13, 30, 3], "iresnet50": [3, 4, 14, 3]}


def conv3x3(cin, cout, stride=1):
    return nn.Conv2d(cin, cout, 3, stride, 1, bias=False)


class IBasicBlock(nn.Module):
    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(inplanes, eps=1e-05)
        self.conv1 = conv3x3(inplanes, planes)
        self.bn2 = nn.BatchNorm2d(planes, eps=1e-05)
        self.prelu = nn.PReLU(planes)
        self.conv2 = conv3x3(planes, planes, stride)
        self.bn3 = nn.BatchNorm2d(planes, eps=1e-05)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.bn3(self.conv2(self.prelu(self.bn2(self.conv1(self.bn1(x))))))
        return out + identity


class IResNet(nn.Module):
    def __init__(self, layers, num_features=512):
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64, eps=1e-05)
        self.prelu = nn.PReLU(64)
        self.layer1 = self._stage(64, layers[0])
        self.layer2 = self._stage(128, layers[1])
        self.layer3 = self._stage(256, layers[2])
        self.layer4 = self._stage(512, layers[3])
        self.bn2 = nn.BatchNorm2d(512, eps=1e-05)
        self.dropout = nn.Dropout(p=0.0)
        self.fc = nn.Linear(512 * 7 * 7, num_features)
        self.features = nn.BatchNorm1d(num_features, eps=1e-05)

    def _stage(self, planes, blocks):
        down = nn.Sequential(nn.Conv2d(self.inplanes, planes, 1, 2, bias=False), nn.BatchNorm2d(planes, eps=1e-05))
        mods = [IBasicBlock(self.inplanes, planes, 2, down)]
        self.inplanes = planes
        mods += [IBasicBlock(planes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*mods)

    def forward(self, x):
        x = self.prelu(self.bn1(self.conv1(x)))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = self.dropout(torch.flatten(self.bn2(x), 1))
        return self.features(self.fc(x))


def build(arch, seed):
    torch.manual_seed(seed)
    model = IResNet(LAYERS[arch])
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(m.weight, mode="fan_out" if isinstance(m, nn.Conv2d) else "fan_in", nonlinearity="relu")
            if getattr(m, "bias", None) is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.PReLU):
            nn.init.constant_(m.weight, 0.25)
    for m in model.modules():
        if isinstance(m, IBasicBlock):
            nn.init.constant_(m.bn3.weight, 0.2)
    # Calibrate the BN running statistics on a seeded random batch (cumulative average, one pass), then freeze.
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    with torch.no_grad():
        model(torch.randn(4, 3, 112, 112))
    return model.eval()


def count_macs(model, x):
    """Multiply-accumulates of every Conv2d and Linear, from the shapes of one traced forward pass."""
    macs = []

    def conv(m, _inp, out):
        k = m.kernel_size[0] * m.kernel_size[1] * (m.in_channels // m.groups)
        macs.append(out.numel() * k)

    def linear(m, _inp, out):
        macs.append(out.numel() * m.in_features)

    hooks = [m.register_forward_hook(conv) for m in model.modules() if isinstance(m, nn.Conv2d)]
    hooks += [m.register_forward_hook(linear) for m in model.modules() if isinstance(m, nn.Linear)]
    with torch.no_grad():
        out = model(x)
    for h in hooks:
        h.remove()
    return sum(macs), out


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def main():
    ap = argparse.ArgumentParser(description="seeded random-weight iResNet to ONNX (speed measurement only)")
    ap.add_argument("--arch", choices=sorted(LAYERS), required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    torch.set_num_threads(1)
    model = build(args.arch, args.seed)
    torch.manual_seed(args.seed + 1)
    x = torch.randn(1, 3, 112, 112)
    macs, ref = count_macs(model, x)
    params = sum(p.numel() for p in model.parameters())

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    torch.onnx.export(model, x, tmp, opset_version=17, input_names=["input"], output_names=["embedding"],
                      do_constant_folding=True, export_params=True)
    check(tmp, x.numpy(), ref.numpy())
    os.replace(tmp, args.out)
    meta = {"format": 1, "arch": args.arch, "seed": args.seed, "untrained": True, "macs": macs, "flops": 2 * macs,
            "params": params, "input": [1, 3, 112, 112], "output": [1, 512], "opset": 17,
            "torch": torch.__version__, "sha256": sha256(args.out)}
    with open(args.out + ".json", "w") as f:
        json.dump(meta, f, indent=1)
    print(f"{args.arch}: {args.out} sha256 {meta['sha256']}, {macs / 1e9:.2f} GMACs ({2 * macs / 1e9:.2f} GFLOP), "
          f"{params / 1e6:.1f} M parameters (seed {args.seed}, untrained)")


def check(path, x, ref):
    """The ONNX file runs in ONNX Runtime, matches torch, and gives finite, non-denormal, non-constant output."""
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    out = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"]).run(None, {"input": x})[0]
    tiny = np.finfo(np.float32).tiny
    problems = []
    if out.shape != (1, 512):
        problems.append(f"output shape {out.shape}, (1, 512) expected")
    elif not np.isfinite(out).all():
        problems.append("non-finite outputs")
    else:
        denormal = np.count_nonzero((out != 0) & (np.abs(out) < tiny))
        if denormal:
            problems.append(f"{denormal} denormal outputs")
        if out.std() < 1e-3 or out.std() > 1e3:
            problems.append(f"output standard deviation {out.std():.3g}: not a realistic scale")
        cos = float((out.ravel() @ ref.ravel()) / np.linalg.norm(out) / np.linalg.norm(ref))
        if cos < 0.9999:
            problems.append(f"ONNX Runtime vs torch cosine {cos:.6f} < 0.9999")
    if problems:
        os.remove(path)
        sys.exit(f"error: {path}: " + "; ".join(problems))


if __name__ == "__main__":
    main()
