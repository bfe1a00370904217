#!/usr/bin/env bash
# Exports TorchScript copies of the cached ONNX models for the djl-pytorch engine, each accepted only after it
# matches ONNX Runtime on real photos (see export.py). Set-up tooling: nothing here runs at inference time.
#
# usage: tools/torchscript/prepare.sh SAMEFACE_HOME [ID | ID=ONNX_FILE ...]
#   no IDs: the registry-fetched models fr-feature-512 ulfg-rfb-320 fr-landmark-68 mtcnn-pnet mtcnn-rnet mtcnn-onet
#           (from <home>/models/<id>/<id>.onnx)
#   ID=FILE: a model read from elsewhere, e.g. yunet-n=../shared/models/yunet_n_dynamic.onnx
#   --venv-only: only make the venv (tools/iresnet/generate.sh uses it for its torch + onnxruntime)
# env: SAMEFACE_VERIFY_IMAGES  folder of face photos to verify on (LFW layout or flat);
#                              default: ../shared/data/lfw/images_deepfunneled beside the repository
#      SAMEFACE_VERIFY_INPUTS  how many photos (default 8)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
if [[ $# -lt 1 ]]; then
  sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
home="$(mkdir -p "$1" && cd "$1" && pwd)"
shift
venv_only=false
if [[ "${1:-}" == --venv-only ]]; then
  venv_only=true
  shift
fi
models=("$@")
[[ ${#models[@]} -gt 0 ]] || models=(fr-feature-512 ulfg-rfb-320 fr-landmark-68 mtcnn-pnet mtcnn-rnet mtcnn-onet)
images="${SAMEFACE_VERIFY_IMAGES:-$repo/../shared/data/lfw/images_deepfunneled}"
if [[ $venv_only == false && ! -d "$images" ]]; then
  echo "error: no photos to verify TorchScript exports on: $images is missing; set SAMEFACE_VERIFY_IMAGES to a folder of face photos" >&2
  exit 2
fi

# Debian's interpreter on purpose: its python3-torch is CPU-only and installs in about a minute.
py=/usr/bin/python3
if ! "$py" -c 'import torch, torchvision, PIL, venv, ensurepip' 2>/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing Debian's CPU-only PyTorch (python3-torch python3-torchvision) ..."
    start=$SECONDS
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      python3-torch python3-torchvision python3-pil python3-venv >/dev/null
    echo "  done in $((SECONDS - start)) s"
  else
    echo "error: /usr/bin/python3 lacks torch; run as root: apt-get install --no-install-recommends python3-torch python3-torchvision python3-pil python3-venv" >&2
    exit 2
  fi
fi
torch_version="$("$py" -c 'import torch; print(torch.__version__)')"
case "$torch_version" in
  1.13.*) ;;
  *) echo "warning: Debian's torch is $torch_version; exports were verified with 1.13 (each export is still verified)" >&2 ;;
esac

venv="$home/tools/torchscript-venv"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "creating $venv (pinned onnx, onnxruntime, onnx2torch) ..."
  start=$SECONDS
  rm -rf "$venv"
  "$py" -m venv --system-site-packages "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps -r "$here/requirements.txt"
  echo "$want" > "$stamp"
  echo "  done in $((SECONDS - start)) s"
fi
[[ $venv_only == false ]] || exit 0

status=0
for m in "${models[@]}"; do
  id="${m%%=*}"
  src="$home/models/$id/$id.onnx"
  [[ "$m" == *=* ]] && src="${m#*=}"
  pt="$home/models/$id/$id.pt"
  # Up to date when the sidecar names this very ONNX file and the .pt is the one it vouches for (cheap: no torch).
  if [[ -f "$src" && -f "$pt" && -f "$pt.json" ]] && "$py" - "$src" "$pt" "$pt.json" <<'PY'
import hashlib, json, sys
def h(p):
    with open(p, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()
meta = json.load(open(sys.argv[3]))
sys.exit(0 if meta.get("format") == 2 and meta.get("source_sha256") == h(sys.argv[1]) and meta.get("sha256") == h(sys.argv[2]) else 1)
PY
  then
    echo "$id: $pt is up to date"
    continue
  fi
  args=(--home "$home" --id "$id" --onnx "$src" --images "$images" --inputs "${SAMEFACE_VERIFY_INPUTS:-8}" --force)
  "$venv/bin/python" "$here/export.py" "${args[@]}" || status=$?
done
exit $status
