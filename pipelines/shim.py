"""The thin file a Pipelines server loads from its PIPELINES_DIR.

All logic lives in the installed `alphaomega` package. If the package is missing from
the server's environment, the shim still loads (instead of vanishing into `failed/`) and
every answer says how to install it.
"""
from pathlib import Path

SHIM_NAME = "alphaomega.py"

SHIM_SOURCE = '''"""
title: AlphaOmega
author: AlphaOmega
description: One model that routes each message to chat, code, vision, screen, computer use or image generation.
version: 0.1.0
"""
# Thin shim: the code lives in the `alphaomega` package, installed into this server's
# Python environment with `pip install "alphaomega[server]"`.
try:
    from alphaomega.pipelines.pipeline import Pipeline  # noqa: F401
except ImportError as _missing:
    _MODULE = getattr(_missing, "name", None) or "alphaomega"

    class Pipeline:
        """Stands in when the package is missing, so the admin sees why."""

        def __init__(self):
            self.id = "alphaomega"
            self.name = "AlphaOmega (not installed)"

        def pipe(self, user_message, model_id, messages, body):
            return (
                "AlphaOmega cannot run on this Pipelines server: Python cannot import "
                f"{_MODULE} in the server's environment. Install AlphaOmega there with: "
                "pip install alphaomega[server], then restart the Pipelines server."
            )
'''


def write_shim(directory: Path) -> Path:
    """Write (or refresh) the shim; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / SHIM_NAME
    if not target.exists() or target.read_text(encoding="utf-8") != SHIM_SOURCE:
        tmp = target.with_suffix(".py.tmp")
        tmp.write_text(SHIM_SOURCE, encoding="utf-8")
        tmp.replace(target)
    return target
