#!/usr/bin/env bash
# Install the pinned OpenWebUI for the end-to-end suite into a venv cached outside the clone, keyed by the
# pinned versions (a cold install takes about 2-3 minutes and 2.9 GB). CPU torch goes in first from the
# machine's local wheel, or open-webui's dependencies pull a multi-GB CUDA build.
set -euo pipefail
OWUI_VERSION=0.12.4
TORCH_VERSION=2.13.0
CACHE=${ALPHAOMEGA_CACHE:-$HOME/.cache/alphaomega}
DIR="$CACHE/e2e/owui-$OWUI_VERSION-torch-$TORCH_VERSION"
VENV="$DIR/venv"
if [ -f "$DIR/.ready" ] && [ -x "$VENV/bin/open-webui" ]; then
  exit 0
fi
echo "== installing open-webui==$OWUI_VERSION into $VENV (cached for later runs)"
rm -rf "$DIR"
mkdir -p "$DIR"
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q "torch==$TORCH_VERSION"
"$VENV/bin/python" -m pip install -q "open-webui==$OWUI_VERSION"
"$VENV/bin/python" -c "import torch; print('torch', torch.__version__)"
touch "$DIR/.ready"
