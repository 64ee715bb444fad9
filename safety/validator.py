"""`check_action`: may the computer-use agent perform this one action? allow, confirm or block.

    from alphaomega.safety.validator import check_action
    decision = check_action({"type": "click", "x": 450, "y": 320, "target": "Submit button"},
                            goal="click the Submit button")
    decision.verdict   # "allow" | "confirm" | "block"
    decision.reason    # why, in words for the user ("" when allowed)
    decision.rules     # the rule each layer applied, e.g. {"schema": "schema.v1", "text": ...}

Layers, in order: schema, bounds, permission, hotkey, text, provenance, rate_limit, loop_guard.
The strictest verdict wins. It never raises: malformed input and internal failures are "block".
The policy itself is data under safety/rules/.
"""
import logging
from collections.abc import Iterable
from typing import Any

from alphaomega.safety import bounds, hotkeys, permissions, provenance, rules, schema, session, text_policy
from alphaomega.safety.decision import BLOCK, Decision, LayerResult, allow, block
from alphaomega.safety.goal import goal_view
from alphaomega.safety.normalize import Normalized

log = logging.getLogger("alphaomega.safety")

PLATFORMS = {"linux": "linux", "windows": "windows", "macos": "macos", "darwin": "macos", "mac": "macos",
             "osx": "macos", "win32": "windows", "win": "windows", "win64": "windows", "cygwin": "windows"}
MAX_IMAGE_SIDE = 16384


def check_action(action: Any, *, goal: str, platform: str = "linux", image_size: tuple[int, int] = (1280, 720),
                 role: str | None = None, allowed_roles: str | Iterable[str] = ("admin",),
                 history: session.ActionHistory | None = None, screen_hash: str | None = None,
                 untrusted_screen: bool = False, allowed_domains: Iterable[str] = ()) -> Decision:
    """Judge one action of schema v1. Coordinates are pixels of the screenshot the model saw.

    goal: the user's own chat message (provenance: risky text it does not contain needs confirmation).
    role / allowed_roles: the OpenWebUI role and the COMPUTER_USE_ROLES valve (role None: not checked).
    history / screen_hash: per-request memory for the rate limit and the loop guard (None: not applied).
    untrusted_screen: the screen showed prompt-injection signs; every acting step is confirmed.
    allowed_domains: extra web sites the admin allows (COMPUTER_USE_ALLOWED_DOMAINS).
    """
    try:
        return _check(action, goal, platform, image_size, role, allowed_roles, history, screen_hash,
                      untrusted_screen, tuple(allowed_domains))
    except Exception as exc:  # fail closed: a bug in a rule must never let an action through
        log.exception("the validator failed; blocking the action")
        return Decision(BLOCK, f"the safety check failed ({type(exc).__name__}), so the action is refused",
                        "validator.internal_error", (block("validator", "validator.internal_error", str(exc)[:200]),))


def _arguments_problem(goal: Any, platform: Any, image_size: Any) -> LayerResult | None:
    if not isinstance(goal, str):
        return block("schema", "schema.bad_goal", "the goal (the user's message) must be text")
    if not isinstance(platform, str) or platform.strip().lower() not in PLATFORMS:
        return block("schema", "schema.bad_platform",
                     f"unknown platform {str(platform)[:20]!r}; expected linux, windows or macos")
    if (not isinstance(image_size, (tuple, list)) or len(image_size) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) and 0 < v <= MAX_IMAGE_SIDE for v in image_size)):
        shown = repr(image_size)[:40]
        return block("schema", "schema.bad_image_size", f"image size must be two positive integers, not {shown}")
    return None


def _check(action: Any, goal: Any, platform: Any, image_size: Any, role: str | None,
           allowed_roles: str | Iterable[str], history: session.ActionHistory | None, screen_hash: str | None,
           untrusted_screen: bool, allowed_domains: tuple[str, ...]) -> Decision:
    problem = _arguments_problem(goal, platform, image_size)
    if problem is not None:
        return Decision.combine([problem])
    shape = schema.check(action)
    if shape.verdict == BLOCK:
        return Decision.combine([shape])
    try:
        book = rules.load()
    except rules.RulesError as exc:
        log.error("safety rules could not be loaded: %s", exc)
        return Decision.combine([shape, block("text", "rules.unavailable",
                                              f"the safety rules could not be loaded ({exc}), so nothing runs")])
    platform = PLATFORMS[platform.strip().lower()]
    view = goal_view(goal)
    text = action.get("text")
    norm = Normalized(text) if isinstance(text, str) else None
    layers = [
        shape,
        bounds.check(action, (image_size[0], image_size[1])),
        permissions.check(action, goal=view, book=book, platform=platform, role=role, allowed_roles=allowed_roles),
        hotkeys.check(action, platform=platform, goal=view.light, book=book,
                      after_risky_type=bool(history and history.after_risky_type)),
        text_policy.check(norm, goal=view, book=book, allowed_domains=allowed_domains,
                          target=action.get("target") or "") if norm is not None
        else allow("text", "text.no_text"),
        provenance.check(action, norm, goal=view, book=book, untrusted_screen=untrusted_screen,
                         allowed_domains=allowed_domains),
        session.check_rate(history, action),
        session.check_loop(history, action, screen_hash),
    ]
    return Decision.combine(layers)
