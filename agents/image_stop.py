"""Notice that nobody reads the answer any more (the user pressed Stop) while an image job runs.

The Pipelines server never closes a streaming generator when the client goes away: it just stops
asking for the next item, and `finally` blocks run whenever garbage collection gets to it
(reference pipelines.md §0.7; observed here too). So every yield is watched: an answer left
suspended at a yield for longer than `grace` seconds has been abandoned, and a watchdog thread runs
its cleanups (cancel our ComfyUI job, give back the slot). A live consumer resumes us within
milliseconds, and the job yields a status line at least every couple of seconds.
"""
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from typing import TypeVar

from alphaomega.agents.errors import AlphaOmegaError

log = logging.getLogger("alphaomega.image")

ABANDON_AFTER = 10.0  # seconds suspended at a yield before the answer counts as abandoned
CHECK_EVERY = 0.5
T = TypeVar("T")


class StoppedReading(AlphaOmegaError):
    headline = "Stopped"


class StopWatch:
    def __init__(self, grace: float = ABANDON_AFTER):
        self.grace = grace
        self.abandoned = False
        self._suspended_since: float | None = None
        self._cleanups: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    def on_abandon(self, cleanup: Callable[[], None]) -> None:
        with self._lock:
            self._cleanups.append(cleanup)

    def guard(self, items: Iterator[T]) -> Iterator[T]:
        """Yield `items`, noting when we wait for the consumer to come back."""
        _watching(self, True)
        try:
            with closing(items):
                for item in items:
                    self._suspended_since = time.monotonic()
                    yield item
                    self._suspended_since = None
                    if self.abandoned:
                        raise StoppedReading(f"The image job was cancelled because nobody read the answer for "
                                             f"{self.grace:g} s (Stop was pressed, or the connection dropped).")
        finally:
            self._suspended_since = None
            _watching(self, False)

    def check(self, now: float) -> bool:
        """Run the cleanups once if we have waited too long at a yield; True if that happened now."""
        since = self._suspended_since
        if self.abandoned or since is None or now - since < self.grace:
            return False
        with self._lock:
            if self.abandoned:
                return False
            self.abandoned = True
            cleanups, self._cleanups = self._cleanups, []
        log.info("the chat stopped reading an image answer; cancelling its job")
        for cleanup in cleanups:
            try:
                cleanup()
            except Exception:
                log.exception("cleanup after Stop failed")
        return True


_ACTIVE: set[StopWatch] = set()
_ACTIVE_LOCK = threading.Lock()
_THREAD: threading.Thread | None = None


def _watching(watch: StopWatch, active: bool) -> None:
    global _THREAD
    with _ACTIVE_LOCK:
        (_ACTIVE.add if active else _ACTIVE.discard)(watch)
        if active and (_THREAD is None or not _THREAD.is_alive()):
            _THREAD = threading.Thread(target=_watchdog, name="alphaomega-stop-watch", daemon=True)
            _THREAD.start()


def _watchdog() -> None:
    while True:
        time.sleep(CHECK_EVERY)
        with _ACTIVE_LOCK:
            watches = list(_ACTIVE)
        now = time.monotonic()
        for watch in watches:
            if watch.check(now):
                with _ACTIVE_LOCK:
                    _ACTIVE.discard(watch)  # nothing more to do for it, even if it is never closed
