#!/usr/bin/env bash
# Set up AlphaOmega and the Pipelines server in their own virtual environment, then serve AlphaOmega.
#   deploy/serve.sh [alphaomega serve options: --host 127.0.0.1 --port 9099 --api-key KEY --pipelines-dir DIR]
# Environment: ALPHAOMEGA_VENV (default ~/.local/share/alphaomega/venv), ALPHAOMEGA_* valves.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
VENV=${ALPHAOMEGA_VENV:-${XDG_DATA_HOME:-$HOME/.local/share}/alphaomega/venv}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "deploy/serve.sh: root is needed for: $*" >&2; return 1
  fi
}

# Debian: python3-venv is required; xdotool lets computer use type text that is not ASCII.
missing=()
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
command -v xdotool >/dev/null || missing+=(xdotool)
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null; then
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" \
    || echo "deploy/serve.sh: could not install ${missing[*]}; continuing" >&2
fi

[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
stamp="$VENV/.alphaomega-installed"
if [ ! -f "$stamp" ] || [ "$REPO/setup.py" -nt "$stamp" ]; then
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e "$REPO[server,desktop]"
  touch "$stamp"
fi
exec "$VENV/bin/alphaomega" serve "$@"
