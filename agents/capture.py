"""Grab the pixels of the screen of the machine that runs AlphaOmega, with mss.

mss is imported lazily (the plugin must load without the desktop extra and without a
display). One mss instance per display is shared by all threads: a new instance's first
grab costs 15-40 ms (shared-memory setup), later ones ~2 ms, and mss 10 serialises
grabs on an instance with its own lock.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from alphaomega.agents.errors import AlphaOmegaError, SettingsError
from alphaomega.agents.imaging import DESKTOP_EXTRA, MissingDependency

log = logging.getLogger("alphaomega.capture")

NO_SCREEN = "There is no screen to capture on the machine that runs AlphaOmega"


class NoScreen(AlphaOmegaError):
    """No display to capture: headless server, dead X server, Wayland-only session."""

    headline = "No screen to capture"

    def __init__(self, reason: str):
        super().__init__(f"{NO_SCREEN} ({reason}).")
        self.reason = reason


@dataclass(frozen=True)
class Grab:
    """Raw BGRA pixels of one monitor (or of all of them), as mss returns them."""

    raw: bytearray
    size: tuple[int, int]
    monitor: dict[str, int]
    monitor_count: int


def display_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """Why there is certainly no screen to capture here, or None if it is worth trying."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return None  # Windows and macOS always have a desktop for a logged-in user
    if env.get("DISPLAY", "").strip():
        return None
    if env.get("WAYLAND_DISPLAY", "").strip():
        return "the session is Wayland-only; mss can capture X11 or XWayland, so set DISPLAY"
    return "the DISPLAY environment variable is not set: the Pipelines server runs headless"


def load_mss() -> Any:
    try:
        import mss
    except ImportError as exc:
        raise MissingDependency(
            "Capturing the screen needs mss, which is not installed in the Pipelines server's environment. "
            f"Install it there with: {DESKTOP_EXTRA}, then restart the server.", package="mss") from exc
    return mss


class ScreenGrabber:
    """Shared mss instances, one per display name, rebuilt after a failure."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._instances: dict[str, Any] = {}

    def grab(self, monitor: int) -> Grab:
        problem = display_problem()
        if problem:
            raise NoScreen(problem)
        mss = load_mss()
        display = os.environ.get("DISPLAY", "")
        for attempt in (1, 2):
            sct = self._instance(mss, display)
            try:
                monitors = sct.monitors
                chosen = _pick(monitors, monitor)
                shot = sct.grab(chosen)
            except SettingsError:
                raise
            except Exception as exc:  # mss raises ScreenShotError and platform errors (XError)
                self._forget(display, sct)
                if attempt == 2:
                    log.warning("screen grab failed again", exc_info=True)
                    raise NoScreen(f"the display {display or '(default)'} could not be captured; check that it "
                                   "still runs (details in logs/alphaomega.log)") from exc
                log.info("screen grab failed (%s); reconnecting to the display once", exc)
                continue
            return Grab(shot.raw, (shot.width, shot.height), dict(chosen), len(monitors) - 1)
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            instances, self._instances = self._instances, {}
        for sct in instances.values():
            _close(sct)

    def _instance(self, mss: Any, display: str) -> Any:
        with self._lock:
            sct = self._instances.get(display)
            if sct is None:
                try:
                    factory = getattr(mss, "MSS", None) or mss.mss
                    sct = factory(display=display) if display else factory()
                except Exception as exc:
                    log.warning("cannot open the display %r", display, exc_info=True)
                    raise NoScreen(f"the display {display or '(default)'} cannot be opened; check that DISPLAY and "
                                   "XAUTHORITY let the Pipelines server's user open it (details in "
                                   "logs/alphaomega.log)") from exc
                self._instances[display] = sct
            return sct

    def _forget(self, display: str, sct: Any) -> None:
        with self._lock:
            if self._instances.get(display) is sct:
                del self._instances[display]
        _close(sct)


def _pick(monitors: list[dict], wanted: int) -> dict:
    """mss lists the union of all monitors first, then each monitor: index 0 is "all of them"."""
    count = len(monitors) - 1
    if wanted < 0 or wanted >= len(monitors):
        raise SettingsError(
            f"The SCREEN_MONITOR valve is {wanted}, but this machine has {count} monitor"
            f"{'s' if count != 1 else ''}. Set it to a number from 1 to {count}, or 0 for all monitors.",
            setting="SCREEN_MONITOR")
    return monitors[wanted]


def _close(sct: Any) -> None:
    try:
        sct.close()
    except Exception:
        log.debug("closing an mss instance failed", exc_info=True)


GRABBER = ScreenGrabber()
