"""How many image jobs AlphaOmega runs at once on each ComfyUI server, first come first served.

ComfyUI renders one prompt at a time anyway; holding the rest here means a waiting request can
show its place in line and a user who gives up leaves without ever touching ComfyUI.
"""
import threading
from collections import deque


class ServerSlots:
    """A FIFO gate with `limit` places, shared by every request to one ComfyUI URL."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._waiting: deque[Ticket] = deque()
        self._running = 0

    def ticket(self, limit: int) -> "Ticket":
        ticket = Ticket(self, max(1, limit))
        with self._cond:
            self._waiting.append(ticket)
            self._admit()
        return ticket

    @property
    def running(self) -> int:
        return self._running

    def _admit(self) -> None:
        """Let in waiting tickets in order while places are free (call with the lock held)."""
        while self._waiting and self._running < self._waiting[0].limit:
            ticket = self._waiting.popleft()
            ticket.admitted = True
            self._running += 1
        self._cond.notify_all()

    def _position(self, ticket: "Ticket") -> int:
        with self._cond:
            if ticket.admitted:
                return 0
            return next((index + 1 for index, other in enumerate(self._waiting) if other is ticket), 0)

    def _wait(self, ticket: "Ticket", timeout: float) -> bool:
        with self._cond:
            if not ticket.admitted and not ticket.left:
                self._cond.wait(timeout)
            return ticket.admitted

    def _leave(self, ticket: "Ticket") -> None:
        with self._cond:
            if ticket.left:
                return
            ticket.left = True
            if ticket.admitted:
                self._running -= 1
            else:
                self._waiting.remove(ticket)
            self._admit()


class Ticket:
    """One request's place: `wait()` until admitted, `position` while waiting, `leave()` when done (or gone)."""

    def __init__(self, slots: ServerSlots, limit: int):
        self._slots = slots
        self.limit = limit
        self.admitted = False
        self.left = False

    @property
    def position(self) -> int:
        """1 = next in line; 0 once admitted."""
        return self._slots._position(self)

    def wait(self, timeout: float) -> bool:
        return self._slots._wait(self, timeout)

    def leave(self) -> None:
        self._slots._leave(self)

    def __enter__(self) -> "Ticket":
        return self

    def __exit__(self, *exc: object) -> None:
        self.leave()


_SERVERS: dict[str, ServerSlots] = {}
_SERVERS_LOCK = threading.Lock()


def slots_for(url: str) -> ServerSlots:
    key = url.rstrip("/").lower()
    with _SERVERS_LOCK:
        return _SERVERS.setdefault(key, ServerSlots())
