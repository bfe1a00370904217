#!/usr/bin/env bash
# Quantises an f32 ONNX model to int8 (QDQ) in a pinned venv of its own. Set-up tooling, called by
# `sameface models prepare --precision int8 ID`, which prepares the calibration inputs through the Java pipeline,
# runs the accuracy gate and writes the sidecar. Nothing here runs at inference time.
#
# usage: tools/quantize/prepare.sh SAMEFACE_HOME ID SRC.onnx OUT.onnx CALIBRATION.f32 C,H,W
#   the model's recipe (calibration method, layers kept in f32) is recipes.json's entry for ID
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $# -lt 6 ]]; then
  sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
home="$(mkdir -p "$1" && cd "$1" && pwd)"
py="${SAMEFACE_PYTHON:-python3}"
if ! "$py" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "error: $py cannot create a venv; install python3-venv (apt-get install --no-install-recommends python3-venv)" >&2
  exit 2
fi

venv="$home/tools/quantize-venv"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "creating $venv (pinned onnxruntime, onnx, numpy) ..."
  start=$SECONDS
  rm -rf "$venv"
  "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps -r "$here/requirements.txt"
  echo "$want" > "$stamp"
  echo "  done in $((SECONDS - start)) s"
fi
exec "$venv/bin/python" "$here/quantize.py" --id "$2" --onnx "$3" --out "$4" --calibration "$5" --shape "$6"
