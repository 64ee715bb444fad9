"""Fast word-list matching: a regex that only runs when one of its possible first words occurs.

Python's `re` tries every alternative of a big word list at every position, which costs
about 30 µs per pattern per 1,000 characters. Most patterns do not match most messages, so
each `Lexicon` works out, from its own entries, the set of words a match must start with;
when none of them is among the message's words (a C-speed set intersection) the regex is
skipped. Entries whose first word cannot be worked out (`\\w+liste`) make the lexicon always run.
The result is exactly the regex's result, only cheaper.
"""
import re
from collections.abc import Iterable

WORD = re.compile(r"\w+")
_MAX_EXPANSIONS = 400
_BOUNDARY = "\x00"  # not a word character: a `\b` in an expansion ends the word before it


class _Stop(Exception):
    """The pattern uses syntax the expander does not follow; what was read so far is a prefix."""


def _expand(pattern: str) -> list[tuple[str, bool]]:
    """All strings the pattern can match, as (text, complete); incomplete ones are prefixes."""
    results, _ = _sequence(pattern, 0)
    return results


def _sequence(pattern: str, pos: int) -> tuple[list[tuple[str, bool]], int]:
    outs: list[tuple[str, bool]] = [("", True)]
    while pos < len(pattern) and pattern[pos] not in "|)":
        if not any(done for _, done in outs):
            break
        try:
            options, pos = _atom(pattern, pos)
        except _Stop:
            return [(text, False) for text, _ in outs], len(pattern)
        if pos < len(pattern) and pattern[pos] == "?":
            options = options + [("", True)]
            pos += 1
        if pos < len(pattern) and pattern[pos] in "*+{":
            outs = [(text + option, False) for text, done in outs for option, _ in options if done]
            return outs, len(pattern)
        outs = [(text + option, done and complete) if done else (text, False)
                for text, done in outs for option, complete in options]
        if len(outs) > _MAX_EXPANSIONS:
            raise _Stop
    return outs, pos


def _atom(pattern: str, pos: int) -> tuple[list[tuple[str, bool]], int]:
    char = pattern[pos]
    if char == "(":
        if pattern.startswith("(?:", pos):
            pos += 3
        elif pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), pos):
            return [("", True)], _after_group(pattern, pos)  # zero-width: matches the same strings
        else:
            pos += 1
        alternatives: list[tuple[str, bool]] = []
        while True:
            part, pos = _sequence(pattern, pos)
            alternatives.extend(part)
            if pos >= len(pattern):
                raise _Stop
            if pattern[pos] == ")":
                return alternatives, pos + 1
            pos += 1  # "|"
    if char == "\\":
        escaped = pattern[pos + 1:pos + 2]
        if escaped == "b":
            return [(_BOUNDARY, True)], pos + 2  # a word ends (or starts) here
        if escaped and not escaped.isalnum():
            return [(escaped, True)], pos + 2
        raise _Stop  # \w, \d, \s ...
    if char == "[":
        return _char_class(pattern, pos)
    if char in ".^$":
        raise _Stop
    return [(char, True)], pos + 1


def _char_class(pattern: str, pos: int) -> tuple[list[tuple[str, bool]], int]:
    """A simple class such as `[sz]`, `[- ]` or `[1-9]`; negated or escaped classes are not followed."""
    end = pattern.find("]", pos + 2)
    body = pattern[pos + 1:end]
    if end < 0 or not body or body.startswith("^") or "\\" in body:
        raise _Stop
    chars: list[str] = []
    index = 0
    while index < len(body):
        if index + 2 < len(body) and body[index + 1] == "-":
            chars.extend(chr(code) for code in range(ord(body[index]), ord(body[index + 2]) + 1))
            index += 3
        else:
            chars.append(body[index])
            index += 1
    return [(char, True) for char in chars], end + 1


def _after_group(pattern: str, pos: int) -> int:
    """The index just after the group that opens at `pos`."""
    depth = 0
    while pos < len(pattern):
        char = pattern[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "[":
            end = pattern.find("]", pos + 2)
            pos = len(pattern) if end < 0 else end + 1
            continue
        depth += char == "("
        depth -= char == ")"
        pos += 1
        if depth == 0:
            return pos
    raise _Stop


def first_words(entries: Iterable[str]) -> frozenset[str] | None:
    """The words a match of any entry starts with, or None when some entry's first word is open."""
    words: set[str] = set()
    for entry in entries:
        try:
            expansions = _expand(entry)
        except _Stop:
            return None
        for text, complete in expansions:
            match = WORD.search(text)
            if match is None:
                return None
            if match.end() == len(text) and not complete:
                return None  # the word may go on: "klick\\w*"
            words.add(match.group())
    return frozenset(words)


class Lexicon:
    """A word-list regex with a first-word prefilter. `search(text, words)` equals `regex.search(text)`."""

    def __init__(self, entries: Iterable[str], bounded: bool = True, flags: int = 0, end: str = r"(?!\w)"):
        entries = tuple(entries)
        body = "|".join(entries)
        self.regex = re.compile(r"(?<!\w)(?:" + body + r")" + end if bounded else body, flags)
        self.triggers = first_words(entries)

    def search(self, text: str, words: frozenset[str] | set[str]) -> re.Match[str] | None:
        if self.triggers is not None and self.triggers.isdisjoint(words):
            return None
        return self.regex.search(text)

    def sub(self, replacement: str, text: str, words: frozenset[str] | set[str]) -> str:
        if self.triggers is not None and self.triggers.isdisjoint(words):
            return text
        return self.regex.sub(replacement, text)


def words_of(text: str) -> frozenset[str]:
    return frozenset(WORD.findall(text))
