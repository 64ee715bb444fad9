"""Where AlphaOmega keeps its files: never the source tree, always the user's data dir.

The Pipelines server moves files it cannot import into `failed/`, so the pipelines dir
must live outside a checkout. `ALPHAOMEGA_DATA_DIR` overrides the location.
"""
import os
from pathlib import Path

import platformdirs

DATA_DIR_ENV = "ALPHAOMEGA_DATA_DIR"


def data_dir() -> Path:
    configured = os.environ.get(DATA_DIR_ENV, "").strip()
    root = Path(configured).expanduser() if configured else Path(platformdirs.user_data_dir("alphaomega"))
    return root.resolve()


def logs_dir() -> Path:
    return data_dir() / "logs"


def default_pipelines_dir() -> Path:
    return data_dir() / "pipelines"
