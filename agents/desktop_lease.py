"""Who drives the desktop: one computer-use run at a time, holding a lease that is given back once.

A run takes the lease before it first looks at the screen. Whichever comes first gives it back:
the run finishing; the user pressing Stop (the pipeline's stop watch calls the cleanup the run
registered with `ctx.on_abandon`, about 10 s after the answer stopped being read: the Pipelines
server never closes an abandoned answer, so the run's own `finally` may never run); or a `stop`
message in the run's chat. Giving the lease back also cancels its run: no further action of it
executes, even if its generator is resumed later.

Actions run one at a time (`acting`): when a `stop` frees the desktop while an action is still
under way (a long text being typed), the next run's first action waits for it instead of
interleaving with it.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from alphaomega.agents.errors import AlphaOmegaError

log = logging.getLogger("alphaomega.desktop")

# Longest wait for another run's last action to finish (xdotool types for at most 60 s).
HANDS_TIMEOUT = 75.0


class LeaseEnded(AlphaOmegaError):
    """The run was stopped (a `stop` message, or nobody reads its answer any more)."""

    headline = "Stopped"

    def __init__(self) -> None:
        super().__init__("Stopped: you asked me to stop, so no further actions were performed.")


class DesktopBusy(AlphaOmegaError):
    headline = "Desktop busy"

    def __init__(self) -> None:
        super().__init__("The desktop is still busy finishing an action of an earlier request, so I did not "
                         "act. Ask again in a moment.")


class Lease:
    """One run's hold on the desktop. `end()` cancels the run and gives the desktop back, once."""

    def __init__(self, desk: Desk, owner: str):
        self.owner = owner
        self._desk = desk
        self._cancelled = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def end(self, why: str) -> bool:
        """Cancel the run and free the desktop; True only for the call that freed it."""
        self._cancelled.set()
        return self._desk._give_back(self, why)

    @contextmanager
    def acting(self) -> Iterator[None]:
        """Hold the mouse and keyboard for one action; LeaseEnded if this run may not act any more."""
        if not self._desk._hands.acquire(timeout=HANDS_TIMEOUT):
            raise DesktopBusy()
        try:
            if self.cancelled or self._desk.holder is not self:
                raise LeaseEnded()
            yield
        finally:
            self._desk._hands.release()


class Desk:
    """The one desktop of this machine and the lease on it (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holder: Lease | None = None
        self._hands = threading.Lock()

    @property
    def holder(self) -> Lease | None:
        with self._lock:
            return self._holder

    def take(self, owner: str) -> Lease | None:
        """The lease for `owner`, or None while another run holds it."""
        with self._lock:
            if self._holder is not None:
                return None
            self._holder = Lease(self, owner)
            return self._holder

    def _give_back(self, lease: Lease, why: str) -> bool:
        with self._lock:
            if self._holder is not lease:
                return False
            self._holder = None
        log.info("desktop lease of run %s given back (%s)", lease.owner, why)
        return True


DESK = Desk()
