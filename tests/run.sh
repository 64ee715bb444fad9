#!/usr/bin/env bash
# Set up and run AlphaOmega's whole test suite on a fresh Debian machine: Debian packages (Xvfb,
# xdotool, Tk, Chromium), a cached test venv, the cached OpenWebUI install for the end-to-end
# suite, then every test. Extra arguments go to pytest. Exits non-zero unless tests ran and passed.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
CACHE=${ALPHAOMEGA_CACHE:-$HOME/.cache/alphaomega}
mkdir -p "$CACHE"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "tests/run.sh: root is needed for: $*" >&2; return 1
  fi
}

# 1. Debian packages.
missing=()
command -v Xvfb >/dev/null || missing+=(xvfb)
command -v xdotool >/dev/null || missing+=(xdotool)
command -v chromium >/dev/null || missing+=(chromium)
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
python3 -c 'import tkinter' 2>/dev/null || missing+=(python3-tk)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. The test venv, cached outside the clone and keyed by what it installs.
key=$(cat setup.py pyproject.toml | sha256sum | cut -c1-12)
VENV="$CACHE/venv-test-$key"
if [ ! -f "$VENV/.ready" ]; then
  echo "== creating $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e ".[dev]"
  touch "$VENV/.ready"
else
  "$VENV/bin/python" -m pip install -q --no-deps -e . >/dev/null
fi

# 3. The end-to-end suite's OpenWebUI and Playwright installs (cached, keyed by pinned versions).
if [ -x tests/e2e/install.sh ]; then
  ALPHAOMEGA_CACHE="$CACHE" tests/e2e/install.sh
fi

# 4. Everything.
echo "== running the test suite"
exec "$VENV/bin/python" -m pytest tests -p no:cacheprovider -ra "$@"
