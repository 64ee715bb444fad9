"""Rate limit and loop guard: the validator layers that need memory of earlier actions.

`RateLimiter` is per user and shared by that user's requests; `ActionHistory` is per request. The
validator only reads them; the agent records an action after it really ran. Without a history
(a one-off check) both layers report that they were not applied.
"""
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from alphaomega.safety.decision import LayerResult, allow, block, confirm

LOOP_REPEATS = 3  # the same action this many times in a row
UNCHANGED_SCREENS = 3  # this many rounds of actions without any change on screen


class RateLimiter:
    """At most `per_minute` executed actions in any 60 s window."""

    def __init__(self, per_minute: int = 30, window: float = 60.0):
        self.per_minute = per_minute
        self.window = window
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    def _trim(self, now: float) -> None:
        while self._times and now - self._times[0] >= self.window:
            self._times.popleft()

    def wait_seconds(self, now: float | None = None) -> float:
        """0 when another action may run now, else how long until one may."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._trim(now)
            if len(self._times) < self.per_minute:
                return 0.0
            return max(0.0, self.window - (now - self._times[0]))

    def note(self, now: float | None = None) -> None:
        with self._lock:
            self._times.append(time.monotonic() if now is None else now)


def fingerprint(action: dict) -> str:
    """What makes two actions "the same": everything except the model's free-text target."""
    return json.dumps({k: v for k, v in action.items() if k != "target"}, sort_keys=True, ensure_ascii=False)


@dataclass
class ActionHistory:
    """The actions one request has executed, and the screens seen between them."""

    rate: RateLimiter | None = None
    entries: list[tuple[str, str, str | None]] = field(default_factory=list)  # (fingerprint, type, screen hash)
    after_risky_type: bool = False
    screens: list[str] = field(default_factory=list)  # hash of each fresh screenshot taken after acting
    _acted_since_screen: bool = True

    def note_screen(self, screen_hash: str) -> None:
        """A fresh screenshot; counted for the loop guard when something was done since the last one."""
        if self._acted_since_screen:
            self.screens.append(screen_hash)
            self._acted_since_screen = False

    def record(self, action: dict, *, screen_hash: str | None = None, needed_confirmation: bool = False,
               now: float | None = None) -> None:
        kind = action.get("type", "")
        self.entries.append((fingerprint(action), kind, screen_hash))
        if kind not in ("wait", "screenshot", "done"):
            self._acted_since_screen = True
        if kind == "type":
            self.after_risky_type = needed_confirmation
        elif kind not in ("wait", "screenshot", "move"):
            self.after_risky_type = False
        if self.rate is not None and kind not in ("wait", "screenshot", "done"):
            self.rate.note(now)


def check_rate(history: ActionHistory | None, action: dict, now: float | None = None) -> LayerResult:
    if history is None or history.rate is None:
        return allow("rate_limit", "rate_limit.not_applied")
    if action.get("type") in ("wait", "screenshot", "done"):
        return allow("rate_limit", "rate_limit.passive")
    wait = history.rate.wait_seconds(now)
    if wait > 0:
        return block("rate_limit", "rate_limit.per_minute",
                     f"more than {history.rate.per_minute} actions in a minute; wait {wait:.0f} s")
    return allow("rate_limit", "rate_limit.ok")


def check_loop(history: ActionHistory | None, action: dict, screen_hash: str | None = None) -> LayerResult:
    if history is None:
        return allow("loop_guard", "loop_guard.not_applied")
    kind = action.get("type")
    if kind in ("wait", "screenshot", "done"):
        return allow("loop_guard", "loop_guard.passive")
    current = fingerprint(action)
    acting = [entry for entry in history.entries if entry[1] not in ("wait", "screenshot", "done")]
    recent = [entry[0] for entry in acting[-(LOOP_REPEATS - 1):]]
    if len(recent) == LOOP_REPEATS - 1 and all(f == current for f in recent):
        return confirm("loop_guard", "loop_guard.repeated",
                       f"the same {kind} would run {LOOP_REPEATS} times in a row; the plan may be stuck")
    last3 = [entry[0] for entry in acting[-3:]]
    if len(last3) == 3 and last3[0] == last3[2] != current and last3[1] == current:
        return confirm("loop_guard", "loop_guard.ping_pong",
                       "the plan keeps switching between the same two actions")
    if screen_hash is not None:
        # The first screenshot, then one after each round of actions: all the same means no effect.
        hashes = history.screens[-(UNCHANGED_SCREENS + 1):]
        if len(hashes) == UNCHANGED_SCREENS + 1 and all(h == screen_hash for h in hashes):
            return confirm("loop_guard", "loop_guard.no_effect",
                           f"the screen did not change after the last {UNCHANGED_SCREENS} rounds of actions")
    return allow("loop_guard", "loop_guard.ok")
