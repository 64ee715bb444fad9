"""Notice that nobody reads a streamed answer any more (the user pressed Stop, or the tab closed).

The Pipelines server never closes a streaming generator when the client goes away: it just stops
asking for the next item, and `finally` blocks run whenever garbage collection gets to it
(reference pipelines.md §0.7; observed here too). So the pipeline watches every yield: an answer
left suspended at a yield for longer than `grace` seconds has been abandoned, and a watchdog
thread runs the cleanups that agents registered (close the Ollama stream so the GPU stops, cancel
our ComfyUI job and give back its slot, end a desktop run and free the desktop). A live consumer
resumes us within milliseconds.
"""
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from typing import TypeVar

from alphaomega.agents.errors import AlphaOmegaError

log = logging.getLogger("alphaomega.stop")

ABANDON_AFTER = 10.0  # seconds suspended at a yield before the answer counts as abandoned
CHECK_EVERY = 0.5
T = TypeVar("T")


class StoppedReading(AlphaOmegaError):
    headline = "Stopped"


class StopWatch:
    """One streamed answer's watch: what to undo if it is abandoned, and whether that happened."""

    def __init__(self, grace: float = ABANDON_AFTER):
        self.grace = grace
        self.abandoned = False  # work was cancelled because nobody read the answer
        self._given_up = False
        self._suspended_since: float | None = None
        self._cleanups: list[Callable[[], None]] = []
        self._notes: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    def on_abandon(self, cleanup: Callable[[], None]) -> None:
        """Cancel work with `cleanup` (called from the watchdog thread) if the answer is abandoned."""
        with self._lock:
            self._cleanups.append(cleanup)

    def on_give_up(self, note: Callable[[], None]) -> None:
        """Bookkeeping for an abandoned answer (a log line); unlike a cleanup it cancels nothing."""
        with self._lock:
            self._notes.append(note)

    def done(self) -> None:
        """The work is over (results are in hand): a slow reader now has nothing to be cancelled."""
        with self._lock:
            self._cleanups = []

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
                        raise StoppedReading(f"This answer was stopped because nobody read it for {self.grace:g} s "
                                             "(Stop was pressed, or the connection dropped).")
                    if self._given_up:  # a slow reader came back: watch again
                        self._given_up = False
                        _watching(self, True)
        finally:
            self._suspended_since = None
            _watching(self, False)

    def check(self, now: float) -> bool:
        """Give up on the answer if it has waited too long at a yield; True if that happened now."""
        since = self._suspended_since
        if self._given_up or since is None or now - since < self.grace:
            return False
        with self._lock:
            if self._given_up:
                return False
            self._given_up = True
            cleanups, self._cleanups = self._cleanups, []
            notes, self._notes = self._notes, []
            self.abandoned = bool(cleanups)
        if cleanups:
            log.info("the chat stopped reading an answer; cleaning up after it")
        for action in notes + cleanups:  # the log says 'abandoned' before anything is cancelled
            try:
                action()
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
    """Checks the watched answers twice a second; ends when none is left (a new one starts it again)."""
    global _THREAD
    while True:
        time.sleep(CHECK_EVERY)
        with _ACTIVE_LOCK:
            watches = list(_ACTIVE)
            if not watches:
                _THREAD = None
                return
        now = time.monotonic()
        for watch in watches:
            if watch.check(now):
                with _ACTIVE_LOCK:
                    _ACTIVE.discard(watch)  # nothing more to do for it, even if it is never closed
