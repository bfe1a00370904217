#!/usr/bin/env bash
# Creates (once, and again when requirements.txt changes) the venv the Python peer benchmark runs in:
# <SAMEFACE_HOME>/tools/peer-venv, from the machine's python3 and the pinned requirements.txt, wheels only.
# Prints nothing on stdout but the venv's python path, so callers can read it. Benchmark tooling only.
#
# usage: tools/peer/setup.sh SAMEFACE_HOME
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $# -ne 1 ]]; then
  sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
home="$(mkdir -p "$1" && cd "$1" && pwd)"
py="$(command -v python3 || true)"
if [[ -z "$py" ]]; then
  echo "error: no python3 on PATH; the peer benchmark needs CPython 3.11 with venv (Debian: apt-get install python3 python3-venv)" >&2
  exit 3
fi
if ! "$py" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "error: $py cannot create a venv (no venv/ensurepip module); Debian: apt-get install python3-venv" >&2
  exit 3
fi

venv="$home/tools/peer-venv"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" || ! -x "$venv/bin/python" ]]; then
  echo "creating $venv (pinned onnxruntime, opencv-python-headless, numpy) ..." >&2
  start=$SECONDS
  rm -rf "$venv"
  "$py" -m venv "$venv" >&2
  if ! "$venv/bin/python" -m pip install -q --disable-pip-version-check --only-binary :all: -r "$here/requirements.txt" >&2; then
    rm -rf "$venv"
    echo "error: pip could not install tools/peer/requirements.txt into $venv (see above); rerun: bash tools/peer/setup.sh $home" >&2
    exit 3
  fi
  echo "$want" > "$stamp"
  echo "  done in $((SECONDS - start)) s" >&2
fi
echo "$venv/bin/python"
