"""The hotkey layer: which keys and combinations may be pressed, per platform (rules/hotkeys.toml).

Key names are made canonical first (aliases such as "control" and "super", then the platform's
synonyms: "win" is "command" on macOS), so the same physical combination cannot slip through
under another name or another order.
"""
import re

from alphaomega.safety.decision import LayerResult, allow, block, confirm
from alphaomega.safety.permissions import fold, goal_says
from alphaomega.safety.rules import RuleBook

_SINGLE = re.compile(r"[a-z0-9]|[!-/:-@\[-`{-~]")
_MODIFIER_ORDER = ["ctrl", "command", "option", "alt", "shift", "win"]


def canonical(keys: list[str], platform: str, book: RuleBook) -> tuple[frozenset[str], str | None] | LayerResult:
    """(modifiers, final key) in canonical names, or a blocking result saying what is wrong."""
    synonyms = book.synonyms.get(platform, {})
    names: list[str] = []
    for raw in keys:
        name = book.key_aliases.get(raw, raw)
        name = synonyms.get(name, name)
        if name not in book.modifiers and name not in book.key_names and not _SINGLE.fullmatch(name):
            return block("hotkey", "hotkey.unknown_key", f"{raw!r} is not a key the agent may press")
        names.append(name)
    if len(set(names)) != len(names):
        return block("hotkey", "hotkey.repeated_key", f"{'+'.join(keys)} names the same key twice")
    modifiers = [n for n in names if n in book.modifiers]
    others = [n for n in names if n not in book.modifiers]
    if len(others) > 1:
        return block("hotkey", "hotkey.several_keys",
                     f"{'+'.join(keys)} presses several non-modifier keys at once; use separate key actions")
    if others and names[-1] != others[0]:
        return block("hotkey", "hotkey.order", f"in {'+'.join(keys)} the modifiers must come before the key")
    if len(modifiers) > 3:
        return block("hotkey", "hotkey.too_many_modifiers", f"{'+'.join(keys)} holds more than three modifiers")
    return frozenset(modifiers), (others[0] if others else None)


def check(action: dict, *, platform: str, goal: str, book: RuleBook, after_risky_type: bool = False) -> LayerResult:
    if action.get("type") != "key":
        return allow("hotkey", "hotkey.not_a_key_action")
    parsed = canonical(action["keys"], platform, book)
    if isinstance(parsed, LayerResult):
        return parsed
    modifiers, key = parsed
    shown = "+".join(sorted(modifiers, key=_MODIFIER_ORDER.index) + ([key] if key else []))
    rules = book.hotkeys.get(platform, ())
    for rule in rules:
        if rule.verdict == "block" and rule.matches(modifiers, key):
            return block("hotkey", f"hotkey.{platform}.{rule.combo}", f"{shown} {rule.why}")
    confirming = [rule for rule in rules if rule.verdict == "confirm" and rule.matches(modifiers, key)]
    common = (modifiers, key) in book.allowed_combos.get(platform, frozenset())
    if common and all(rule.key is None for rule in confirming):
        return allow("hotkey", "hotkey.common_shortcut")  # win+d: the "win" rule is about the launcher
    if confirming:
        rule = max(confirming, key=lambda r: r.specificity)
        # "bookmark nothing, just read" or "don't bookmark it" names the shortcut's purpose but does not ask for it
        if rule.unless_goal is not None and goal_says(rule.unless_goal, fold(goal), book):
            return allow("hotkey", f"hotkey.{platform}.{rule.combo}.asked_for")
        return confirm("hotkey", f"hotkey.{platform}.{rule.combo}", f"{shown} {rule.why}")
    if after_risky_type and key == "enter" and not modifiers:
        return confirm("hotkey", "hotkey.enter_after_risky_text",
                       "Enter would run or send the text typed just before, which needed confirmation")
    if not modifiers or modifiers == {"shift"} or key is None:
        return allow("hotkey", "hotkey.plain_key")
    if common:
        return allow("hotkey", "hotkey.common_shortcut")
    return confirm("hotkey", "hotkey.uncommon_combination", f"{shown} is not one of the usual editing shortcuts")
