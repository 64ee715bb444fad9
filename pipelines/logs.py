"""AlphaOmega's log files under the data dir, rotated, and never holding image data.

- `logs/alphaomega.log`: what happened, at the LOG_LEVEL valve's level;
- `logs/pipeline.log`: one JSON line per request with its routing decision and timing.
"""
import json
import logging
import re
import sys
import threading
from logging.handlers import RotatingFileHandler
from typing import Any

from alphaomega.valves import logs_dir

MAIN_LOGGER = "alphaomega"
DECISIONS_LOGGER = "alphaomega.decisions"
_MAX_BYTES = 5 * 1024 * 1024
_BACKUPS = 5
_lock = threading.Lock()

# A base64 image is hundreds of kilobytes of noise and may show private screens.
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]{16,}")
_LONG_BASE64 = re.compile(r"[A-Za-z0-9+/]{512,}={0,2}")


def redact_images(text: str) -> str:
    return _LONG_BASE64.sub("<base64 omitted>", _DATA_URI.sub("<image omitted>", text))


class _NoImages(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact_images(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def _handler(name: str, fmt: str) -> RotatingFileHandler:
    handler = RotatingFileHandler(logs_dir() / name, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(fmt))
    handler.addFilter(_NoImages())
    handler._alphaomega = True  # type: ignore[attr-defined]
    return handler


def configure(level: str = "INFO") -> str | None:
    """Attach the handlers once per process; later calls only change the level.

    If the log folder cannot be written (a read-only home in a container, say), AlphaOmega logs to
    stderr only and returns the problem: it must never stop the Pipelines server from starting."""
    with _lock:
        main = logging.getLogger(MAIN_LOGGER)
        main.setLevel(level)
        if any(getattr(h, "_alphaomega", False) for h in main.handlers):
            return None
        main.propagate = False  # the Pipelines server's root handler would print our INFO lines
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.WARNING)
        console.setFormatter(logging.Formatter("alphaomega %(levelname)s: %(message)s"))
        console.addFilter(_NoImages())
        console._alphaomega = True  # type: ignore[attr-defined]
        main.addHandler(console)
        decisions = logging.getLogger(DECISIONS_LOGGER)
        decisions.setLevel(logging.INFO)
        decisions.propagate = False
        try:
            logs_dir().mkdir(parents=True, exist_ok=True)
            main.addHandler(_handler("alphaomega.log", "%(asctime)s %(levelname)s %(name)s %(threadName)s: "
                                                       "%(message)s"))
            decisions.addHandler(_handler("pipeline.log", "%(message)s"))
        except OSError as exc:
            problem = (f"AlphaOmega cannot write its logs under {logs_dir()} ({exc.strerror or exc}); logging to "
                       "stderr only. Set ALPHAOMEGA_DATA_DIR to a writable folder.")
            main.warning(problem)
            return problem
        return None


def log_decision(record: dict[str, Any]) -> None:
    logging.getLogger(DECISIONS_LOGGER).info(json.dumps(record, ensure_ascii=False, default=str))
