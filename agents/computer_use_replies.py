"""The words of computer-use replies: what was done, what was refused and why, what waits for "confirm".

Targets, typed text and summaries come from the model (and so possibly from the screen): they are
shown as plain text, with Markdown disarmed, so a crafted target cannot render a link or an image
that leaks data.
"""
import re
import unicodedata

from alphaomega.agents.desktop_executor import Done
from alphaomega.safety.audit import redact_action
from alphaomega.safety.decision import Decision

# Enough to stop links, images, HTML and code spans from forming; the rest is left readable.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|~])")


def plain(text: object, limit: int = 80) -> str:
    """One line of untrusted text, safe to put in a Markdown reply."""
    value = "".join(" " if unicodedata.category(c).startswith(("C", "Z")) and c != " " else c for c in str(text))
    value = re.sub(r"\s+", " ", value).strip()
    if len(value) > limit:
        value = value[:limit - 1] + "…"
    return _MARKDOWN.sub(r"\\\1", value)


def shown_text(action: dict) -> str:
    """Typed text as the reply shows it: quoted, or only its length when it is a secret."""
    redacted = redact_action(action).get("text")
    if isinstance(redacted, dict):
        return f"{redacted['length']} hidden characters"
    return f"“{plain(action.get('text', ''), 120)}”"


def describe(action: dict, at: tuple[int, int] | None = None) -> str:
    """"click Submit button at (450, 320)", "type “hello” into Name field", "press ctrl+s"."""
    if not isinstance(action, dict):
        return "perform a malformed action"
    kind = action.get("type")
    target = plain(action.get("target") or "", 60)
    where = f" at {at}" if at else ""
    if kind == "click":
        verb = {1: "click", 2: "double-click", 3: "triple-click"}.get(action.get("clicks", 1), "click")
        if action.get("button", "left") != "left":
            verb = f"{action['button']}-{verb}"
        modifiers = "+".join(action.get("modifiers", []))
        return f"{modifiers + '+' if modifiers else ''}{verb} {target or 'the screen'}{where}"
    if kind == "type":
        return f"type {shown_text(action)}" + (f" into {target}" if target else "")
    if kind == "key":
        repeat = action.get("repeat", 1)
        return "press " + "+".join(plain(k, 16) for k in action.get("keys", [])) + (f" ×{repeat}" if repeat > 1 else "")
    if kind == "scroll":
        return f"scroll {action.get('direction')} {action.get('amount')}{where}"
    if kind == "drag":
        return f"drag {target or 'the mouse'}" + (f" to {at}" if at else "")
    if kind == "move":
        return f"move the pointer{(' to ' + target) if target else ''}{where}"
    if kind == "wait":
        return f"wait {action.get('seconds')} s"
    return plain(kind or "an action", 20)


def did(action: dict, done: Done) -> str:
    """"✓ Clicked Submit button at (450, 320)"."""
    kind = action.get("type")
    target = plain(action.get("target") or "", 60)
    at = f" at ({done.at[0]}, {done.at[1]})" if done.at else ""
    if kind == "click":
        return f"✓ {done.verb} {target or 'the screen'}{at}"
    if kind == "type":
        return f"✓ Typed {shown_text(action)}" + (f" into {target}" if target else "")
    if kind == "drag":
        end = f" ({done.at[0]}, {done.at[1]})" if done.at else ""
        return f"✓ {done.verb}{end}" + (f": {target}" if target else "")
    if kind == "move":
        return f"✓ Moved the pointer{(' to ' + target) if target else ''}{at}"
    return f"✓ {done.verb}{at}"


def refused(action: dict, decision: Decision) -> str:
    return (f"✗ Refused to {describe(action)}: {plain(decision.reason, 300)} "
            f"(rule `{_code(decision.rule)}`).")


def would(action: dict, decision: Decision, at: tuple[int, int] | None) -> str:
    """Dry run: what would happen, without doing it."""
    if decision.verdict == "allow":
        return f"○ Would {describe(action, at)}"
    if decision.verdict == "confirm":
        return f"○ Would ask you before I {describe(action, at)}: {plain(decision.reason, 300)}"
    return refused(action, decision)


def ask(action: dict, decision: Decision, code: str, ttl: int, at: tuple[int, int] | None) -> str:
    return (f"⏸ **Waiting for your confirmation** before I {describe(action, at)}.\n"
            f"Why I ask: {plain(decision.reason, 300)} (rule `{_code(decision.rule)}`).\n"
            f"Reply `confirm {code}` within {ttl} s to go ahead; any other reply cancels it.")


def _code(text: str) -> str:
    """A rule id inside a code span (ids are ours, but never let a backtick through)."""
    return str(text).replace("`", "'")[:80]
