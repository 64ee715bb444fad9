"""The permission layer: may this user drive the desktop, and did they ask for this consequence?

Roles come from OpenWebUI (`body["user"]["role"]`) and the COMPUTER_USE_ROLES valve. A click whose
target pays, deletes, sends, grants or signs out (rules/consequences.toml) needs confirmation
unless the user's own message asks for that kind of thing. On Linux a middle click pastes the
selection (into a terminal: runs it), so it is treated like ctrl+v.
"""
from collections.abc import Iterable

from alphaomega.safety.decision import LayerResult, allow, block, confirm
from alphaomega.safety.goal import GoalView
from alphaomega.safety.rules import RuleBook


def parse_roles(value: str | Iterable[str]) -> frozenset[str]:
    """The roles a roles valve lets in. OpenWebUI cannot save an empty text box, so "none" means nobody."""
    items = value.split(",") if isinstance(value, str) else value
    return frozenset(item.strip().lower() for item in items if item and item.strip()) - {"none"}


def role_allowed(role: str | None, allowed_roles: str | Iterable[str]) -> bool:
    return bool(role) and role.strip().lower() in parse_roles(allowed_roles)


def check(action: dict, *, goal: GoalView, book: RuleBook, platform: str, role: str | None,
          allowed_roles: str | Iterable[str]) -> LayerResult:
    if role is not None and not role_allowed(role, allowed_roles):
        shown = ", ".join(sorted(parse_roles(allowed_roles))) or "nobody"
        return block("permission", "permission.role",
                     f"computer use is allowed for the roles {shown} (COMPUTER_USE_ROLES), not for {role or 'no role'}")
    kind = action.get("type")
    if kind == "click" and action.get("button") == "middle" and platform == "linux" \
            and "middle" not in goal.light and "new tab" not in goal.light:
        return confirm("permission", "permission.middle_click_paste",
                       "a middle click pastes the selected text (in a terminal it runs it)")
    if kind in ("click", "drag") and action.get("button", "left") != "right":
        target = (action.get("target") or "").casefold()
        for consequence in book.consequences:
            if consequence.words.search(target) and not consequence.goal_words.search(goal.light):
                return confirm("permission", consequence.id, f"clicking {action.get('target')!r} "
                               f"{consequence.why}, which your message did not ask for")
    return allow("permission", "permission.ok" if role is not None else "permission.role_not_given")
