"""What survives between chat messages of one computer-use request, keyed by (user id, chat id).

* A `Run` is one request's progress: the goal, the actions done, the plan not yet carried out.
* A pending confirmation holds a paused Run and the action waiting for "confirm CODE". The code
  is random, single-use and expires after CONFIRM_TTL seconds. Expired ones are dropped at the
  next message from anyone (each holds a whole screenshot); a small note of the code is kept for
  an hour, so that a late "confirm CODE" is told it came too late.
* A running request registers its desktop lease (desktop_lease.py), so that a "stop" message
  (handled by another thread, since the Pipelines server serves messages concurrently) cancels
  it and frees the desktop at once, even when nobody resumes the run any more.

Everything lives in this process's memory: a server restart forgets pending confirmations,
which then simply expire (fail safe).
"""
from __future__ import annotations

import hmac
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from alphaomega.agents.desktop_lease import Lease
from alphaomega.agents.desktop_screen import Screenshot
from alphaomega.safety.decision import Decision
from alphaomega.safety.session import ActionHistory, RateLimiter

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 6
EXPIRED_KEPT = 3600.0  # seconds a note of an expired code is kept, for the "too late" answer

Key = tuple[str, str]


def key_of(user_id: str | None, chat_id: str | None) -> Key:
    return (user_id or "", chat_id or "")


@dataclass
class Run:
    """One computer-use request, possibly spread over several messages (confirmations)."""

    user_id: str
    chat_id: str
    role: str
    goal: str
    history: ActionHistory
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    executed: int = 0
    active_seconds: float = 0.0
    untrusted_screen: bool = False
    planned: list[dict[str, Any]] = field(default_factory=list)
    screenshot: Screenshot | None = None
    done_so_far: list[str] = field(default_factory=list)
    plan_turns: int = 0

    @property
    def key(self) -> Key:
        return key_of(self.user_id, self.chat_id)


@dataclass
class Pending:
    run: Run
    action: dict[str, Any]
    decision: Decision
    code: str
    expires_at: float

    def matches(self, code: str) -> bool:
        return _same_code(code, self.code)


@dataclass(frozen=True)
class Expired:
    """What is left of a confirmation nobody gave in time: the code and what it was for, no screenshot."""

    code: str
    action: dict[str, Any]
    forget_at: float

    def matches(self, code: str) -> bool:
        return _same_code(code, self.code)


def _same_code(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.strip().upper().encode(), expected.encode())


class Registry:
    """Pending confirmations, the leases of running requests and per-user rate limiters (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[Key, Pending] = {}
        self._expired: dict[Key, Expired] = {}
        self._running: dict[Key, Lease] = {}
        self._rates: dict[str, RateLimiter] = {}

    # --- confirmations ------------------------------------------------------------
    def park(self, run: Run, action: dict, decision: Decision, ttl: float) -> Pending:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        pending = Pending(run, action, decision, code, time.monotonic() + ttl)
        with self._lock:
            self._pending[run.key] = pending
            self._expired.pop(run.key, None)
        self.prune()
        return pending

    def prune(self, now: float | None = None) -> None:
        """Drop the confirmations whose time is up (called for every chat message), keeping a note of each."""
        now = time.monotonic() if now is None else now
        with self._lock:
            for key in [key for key, pending in self._pending.items() if now > pending.expires_at]:
                pending = self._pending.pop(key)
                self._expired[key] = Expired(pending.code, pending.action, now + EXPIRED_KEPT)
            for key in [key for key, expired in self._expired.items() if now > expired.forget_at]:
                del self._expired[key]

    def take_pending(self, key: Key) -> Pending | None:
        """Remove and return the pending confirmation (every answer consumes it: codes are single-use)."""
        with self._lock:
            return self._pending.pop(key, None)

    def take_expired(self, key: Key) -> Expired | None:
        with self._lock:
            return self._expired.pop(key, None)

    def has_pending(self, key: Key) -> bool:
        with self._lock:
            return key in self._pending

    # --- running requests ---------------------------------------------------------
    def start(self, key: Key, lease: Lease) -> None:
        with self._lock:
            self._running[key] = lease

    def finish(self, key: Key, lease: Lease) -> None:
        with self._lock:
            if self._running.get(key) is lease:
                del self._running[key]

    def stop(self, key: Key) -> bool:
        """Cancel the request running in this chat and free the desktop; False if none runs."""
        with self._lock:
            lease = self._running.pop(key, None)
        if lease is None:
            return False
        lease.end("stop message")
        return True

    # --- rate limits ----------------------------------------------------------------
    def rate_for(self, user_id: str, per_minute: int) -> RateLimiter:
        with self._lock:
            limiter = self._rates.get(user_id)
            if limiter is None or limiter.per_minute != per_minute:
                limiter = self._rates[user_id] = RateLimiter(per_minute)
            return limiter

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()
            self._expired.clear()
            self._running.clear()
            self._rates.clear()


REGISTRY = Registry()
