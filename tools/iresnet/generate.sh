#!/usr/bin/env bash
# Generates a speed-only iResNet (seeded random weights, UNTRAINED) into <SAMEFACE_HOME>/models/<ID>/<ID>.onnx
# with its sidecar <ID>.onnx.json (MACs, FLOPs, sha256), using Debian's CPU torch in the TorchScript venv
# (tools/torchscript/prepare.sh makes it). Set-up tooling: nothing here runs at inference time.
#
# usage: tools/iresnet/generate.sh SAMEFACE_HOME ID SEED     (ID: iresnet100 or iresnet50)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $# -ne 3 ]]; then
  sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
home="$(mkdir -p "$1" && cd "$1" && pwd)"
id="$2"
seed="$3"
bash "$here/../torchscript/prepare.sh" "$home" --venv-only
echo "generating $id (seed $seed; about a minute) ..."
"$home/tools/torchscript-venv/bin/python" "$here/generate.py" --arch "$id" --seed "$seed" --out "$home/models/$id/$id.onnx"
