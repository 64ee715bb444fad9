"""Screenshots on disk: written only when the SCREENSHOT_KEEP valve says so, pruned by age.

They live under `<data dir>/screenshots/`, readable by the server's user only. Pruning
runs at every capture, kept or not, so switching the valve off still clears old files.
"""
import logging
import os
import re
import time
import uuid
from pathlib import Path

from alphaomega.valves import data_dir

log = logging.getLogger("alphaomega.screenshots")

FOLDER = "screenshots"
_NAME = re.compile(r"^screen-\d{8}-\d{6}-[0-9a-f]{8}\.jpg$")
DAY = 24 * 3600


def screenshots_dir() -> Path:
    return data_dir() / FOLDER


def keep(jpeg: bytes, now: float | None = None) -> Path:
    """Write one capture; the name sorts by time and never collides between threads."""
    folder = screenshots_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if now is None else now))
    path = folder / f"screen-{stamp}-{uuid.uuid4().hex[:8]}.jpg"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(jpeg)
    return path


def prune(retention_days: int, now: float | None = None) -> int:
    """Delete our screenshots older than `retention_days`; other files in the folder are left alone."""
    folder = screenshots_dir()
    if not folder.is_dir():
        return 0
    cutoff = (time.time() if now is None else now) - retention_days * DAY
    removed = 0
    for path in folder.iterdir():
        if not _NAME.match(path.name):
            continue
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another thread pruned it first
            continue
        except OSError:
            log.warning("could not delete old screenshot %s", path, exc_info=True)
    if removed:
        log.info("deleted %d screenshot(s) older than %d day(s)", removed, retention_days)
    return removed
