"""Signs of prompt injection in what the vision model read off the screen (rules/injection.toml).

A hit does not block anything by itself: the agent switches the request to confirm-every-action
and tells the user what was seen. The text is normalised first (look-alike letters, invisible
characters), so the usual disguises do not hide an instruction from this check either.
"""
from alphaomega.safety import rules
from alphaomega.safety.normalize import Normalized
from alphaomega.safety.rules import InjectionSign

MAX_CHARS = 20_000


def injection_signs(text: str) -> list[tuple[InjectionSign, str]]:
    """Each sign found, with the piece of text that showed it (at most one hit per sign)."""
    if not isinstance(text, str) or not text:
        return []
    normalized = Normalized(text[:MAX_CHARS]).text
    found = []
    for sign in rules.load().injection_signs:
        match = sign.regex.search(normalized)
        if match:
            found.append((sign, match.group(0)[:200]))
    return found
