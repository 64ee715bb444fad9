"""Search long texts with only the alternatives of a rule that can match them.

Python's `re` tries every top-level alternative of a pattern at every position, which costs about
6 µs per alternative on a 500-character text, and most alternatives of a rule can never match a
given text because a word they need ("pip", "osascript") is not in it. Each alternative's required
literals are read from its parsed form (a literal run outside optional parts; for a group of choices,
one literal per choice), and on long texts only the alternatives whose literal occurs are searched,
joined into one pattern again. The result is the same match the whole pattern finds: an alternative
that was left out cannot match.
"""
import re
from functools import cache, lru_cache

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

MARK = "\x01"  # where a command starts (normalize.mark_commands); rules write it {CMD}
FEW_MARKS = 4
LONG = 160  # shorter texts are searched with the whole pattern (the test costs more than it saves)
MAX_NEEDS = 4  # requirements tested per alternative (the most selective ones)
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}
_IGNORECASE = re.IGNORECASE
# Under IGNORECASE an ASCII letter also matches these characters (checked over all of Unicode);
# lower case does the rest. Case-blind literals are looked for in value.translate(_FOLD).lower().
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u212a": "k", "\u017f": "s"})

Requirement = tuple[tuple[str, ...], bool]  # (literals, of which a match contains one; case-blind?)


def _requirements(items, flags: int) -> list[Requirement]:
    """Each entry: literals of which every match contains at least one."""
    found: list[Requirement] = []
    run: list[str] = []
    caseless = bool(flags & _IGNORECASE)
    for op, value in items:
        if op is _c.LITERAL and (not caseless or value < 128):
            run.append(chr(value).lower() if caseless else chr(value))
            continue
        if run:
            found.append((("".join(run),), caseless))
            if op is _c.BRANCH:  # "s(?:hred|rm)", as the parser writes (?:shred|srm): also "shred", "srm"
                leads = [_leading(branch, flags) for branch in value[1]]
                if all(leads):
                    found.append((tuple(dict.fromkeys("".join(run) + lead for lead in leads)), caseless))
            run = []
        if op is _c.SUBPATTERN:
            _, add, _, sub = value
            found += _requirements(sub, flags | add)
        elif op in _REPEATS:
            low, _, sub = value
            if low >= 1:
                found += _requirements(sub, flags)
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            found += _requirements(value, flags)
        elif op is _c.BRANCH:
            choices = [_best(_requirements(branch, flags)) for branch in value[1]]
            if choices and all(literals for literals, _ in choices):
                literals = tuple(dict.fromkeys(literal for choice, _ in choices for literal in choice))
                blind = any(blind for _, blind in choices)
                found.append((tuple(dict.fromkeys(x.lower() for x in literals)) if blind else literals, blind))
        # anything else (classes, anchors, look-arounds, back-references) ends a literal run
    if run:
        found.append((("".join(run),), caseless))
    return found


def _leading(items, flags: int) -> str:
    """The literal text a sequence starts with ("" when it starts with anything else)."""
    run = []
    caseless = bool(flags & _IGNORECASE)
    for op, value in items:
        if op is not _c.LITERAL or (caseless and value >= 128):
            break
        run.append(chr(value).lower() if caseless else chr(value))
    return "".join(run)


def _selectivity(requirement: Requirement) -> tuple[int, int]:
    literals, _ = requirement
    return min(map(len, literals)), -len(literals)


def _best(requirements: list[Requirement]) -> Requirement:
    """The most selective requirement: the longest shortest literal, then the fewest literals."""
    if not requirements:
        return (), False
    return max(requirements, key=_selectivity)


def _parse(pattern: str, flags: int = 0) -> list[Requirement]:
    try:
        parsed = _p.parse(pattern, flags)
    except (re.error, TypeError, ValueError):  # pragma: no cover - the rule compiled already
        return []
    if flags & re.LOCALE:
        return []
    return _requirements(list(parsed), parsed.state.flags if hasattr(parsed, "state") else flags)


def required_literals(pattern: str, flags: int = 0) -> tuple[str, ...]:
    """Literals of which every match of `pattern` contains one (empty: no such literal is known).
    Literals of case-blind parts are given in lower case."""
    return _best(_parse(pattern, flags))[0]


def requirements(pattern: str, flags: int = 0) -> list[Requirement]:
    """The most selective requirements of `pattern`; every match meets all of them."""
    found = list(dict.fromkeys(req for req in _parse(pattern, flags) if req[0]))
    return sorted(found, key=_selectivity, reverse=True)[:MAX_NEEDS]


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression ("a|(b|c)|[|]" -> ["a", "(b|c)", "[|]"])."""
    parts, depth, in_class, escaped, start = [], 0, False, False, 0
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]" or index == start  # a "]" right after "[" or "[^" is literal
        elif char == "[":
            in_class = True
            start = index + 1 if pattern[index + 1:index + 2] != "^" else index + 2
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(index)
    bounds = [-1, *parts, len(pattern)]
    return [pattern[bounds[i] + 1:bounds[i + 1]] for i in range(len(bounds) - 1)]


# Characters from rare to common in typed text: a literal can only occur where its rarest one does.
_RARITY = "\x01`^~|\\{}[]<>$%#@!*+=;:&?/'\"()_.,-0123456789zqxjkvbpygfwmucldrhsnioate "


def _anchor(literal: str) -> str:
    return min(literal, key=lambda char: _RARITY.find(char) % (len(_RARITY) + 1))


class _Need:
    """One requirement (any of some literals). Long lists are grouped by each literal's rarest
    character, so that a text without "/" skips forty path names at once."""

    def __init__(self, literals: tuple[str, ...], caseless: bool):
        self.literals = literals
        self.caseless = caseless
        by_anchor: dict[str, list[str]] = {}
        for literal in literals:
            by_anchor.setdefault(_anchor(literal), []).append(literal)
        self.by_anchor = tuple((anchor, tuple(found)) for anchor, found in by_anchor.items())
        self.grouped = len(literals) > 6

    def met(self, value: str) -> bool:
        """Whether `value` holds one of the literals (case-blind ones looked for in _folded(value))."""
        if self.caseless:
            value = _folded(value)
        if not self.grouped:
            for literal in self.literals:
                if literal in value:
                    return True
            return False
        memo = _memo_for(value)  # several rules share long lists (the path macros) on one copy
        known = memo.get(self)
        if known is None:
            known = memo[self] = self._met_grouped(value)
        return known

    def _met_grouped(self, value: str) -> bool:
        for anchor, literals in self.by_anchor:
            if anchor in value:
                for literal in literals:
                    if literal in value:
                        return True
        return False


_recent_memos: tuple = ()  # ((value, {need: met}), ...) for the last few values


def _memo_for(value: str) -> dict:
    """What was worked out about `value` (the last few values are remembered, matched by identity;
    the tuple is replaced as a whole, so threads sharing it can only miss, never mix texts up)."""
    global _recent_memos
    recent = _recent_memos
    for known, memo in recent:
        if known is value:
            return memo
    memo = {}
    _recent_memos = ((value, memo),) + recent[:5]
    return memo


@cache
def _need(literals: tuple[str, ...], caseless: bool) -> _Need:
    """One shared object per set of literals: path rules repeat the same long list several times."""
    return _Need(literals, caseless)


_recent_folded: tuple[str, str] = ("", "")  # (value, folded): the last value asked about


def _folded(value: str) -> str:
    """`value` as case-blind literals are looked for in it. The last answer is kept: rules ask
    about the same copy several times in a row. The pair is replaced as a whole (atomic under
    the GIL) and matched by identity, so threads sharing it can only miss."""
    global _recent_folded
    known, folded = _recent_folded
    if known is value:
        return folded
    folded = value.lower() if value.isascii() else value.translate(_FOLD).lower()
    _recent_folded = (value, folded)
    return folded


# "\bword" at the start of an alternative, where the word starts with a letter or digit.
_BOUNDARY_WORD = re.compile(r"\\b([a-z0-9][a-z0-9_-]*)(?![*+?{])")


# "\b" before one character that is always a word character: \d, or a class of ASCII letters,
# digits and "_" ([MN], [A-Za-z0-9_]), not followed by a quantifier.
_BOUNDARY_CHAR = re.compile(r"\\b(\\d|\[(?:[a-z]-[a-z]|[A-Z]-[A-Z]|[0-9]-[0-9]|[A-Za-z0-9_]|\\d)+\])(?![*+?{])")


def literal_first(part: str) -> str:
    r"""`\bpython\s+-c` as `python(?<!\wpython)\s+-c`, and `\b[MN]x` as `[MN](?<!\w[MN])x`: the same
    matches (after "\b", a word character must follow something that is none), but the regex engine
    can jump from one occurrence of the literal (or class) to the next instead of trying every position."""
    found = _BOUNDARY_WORD.match(part)
    if found is None:
        found = _BOUNDARY_CHAR.match(part)
        if found is None:
            return part
    first = found.group(1)
    rest = part[found.end():]
    return f"{first}(?<!\\w{first}){rest}"


class Prefiltered:
    """A rule pattern that, on long texts, searches only the alternatives that can match.

    Each alternative is compiled on its own (literal-first where it starts with a word), and the
    ones whose required literals all occur are searched one by one. Where several match, the one
    that starts first wins, and of those the earliest alternative: that is the match the whole
    pattern finds, since its alternatives are tried in order at each position, from left to right.
    """

    def __init__(self, pattern: re.Pattern):
        self.whole = pattern
        flags = pattern.flags & (re.IGNORECASE | re.LOCALE)
        self.parts = tuple(split_alternatives(pattern.pattern))
        self.needs = tuple(tuple(_need(*req) for req in requirements(part, flags)) for part in self.parts)
        # numbered back-references would change meaning when alternatives are compiled apart
        self.useful = any(self.needs) and re.search(r"\\[1-9]", pattern.pattern) is None
        # when every alternative starts with the command mark and the text has only a few marks,
        # the engine tries those few places faster than the literals could be looked for
        self.mark_led = all(part.startswith(MARK) for part in self.parts)
        self.alone: tuple[re.Pattern, ...] = ()
        if self.useful:
            self.alone = tuple(re.compile(literal_first(part), pattern.flags) for part in self.parts)
            # finditer is rebuilt from searches, which needs matches that are never empty
            self.never_empty = all(_min_width(part, pattern.flags) > 0 for part in self.parts)
        self.plan = tuple((index, needs) for index, needs in enumerate(self.needs))

    def _chosen(self, value: str) -> list[int]:
        chosen = []
        for index, needs in self.plan:
            for need in needs:
                if not need.met(value):
                    break
            else:
                chosen.append(index)
        return chosen

    def search(self, value: str, pos: int = 0) -> re.Match | None:
        if not self.useful or len(value) < LONG or (self.mark_led and value.count(MARK) <= FEW_MARKS):
            return self.whole.search(value, pos)
        chosen = self._chosen(value)
        if not chosen:
            return None
        if len(chosen) == 1:
            return self.alone[chosen[0]].search(value, pos)
        return self._first(chosen, value, pos)

    def _first(self, chosen: list[int], value: str, pos: int) -> re.Match | None:
        best = None
        for index in chosen:
            found = self.alone[index].search(value, pos)
            if found is not None and (best is None or found.start() < best.start()):
                best = found
                if found.start() == pos:
                    break
        return best

    def finditer(self, value: str):
        """All matches, as the whole pattern finds them (left-out alternatives cannot match)."""
        if not self.useful or len(value) < LONG:
            return self.whole.finditer(value)
        chosen = self._chosen(value)
        if not chosen:
            return iter(())
        if len(chosen) == 1:
            return self.alone[chosen[0]].finditer(value)
        if not self.never_empty:
            return _joined(self, tuple(chosen)).finditer(value)
        return self._matches(chosen, value)

    def _matches(self, chosen: list[int], value: str):
        position = 0
        while True:
            found = self._first(chosen, value, position)
            if found is None:
                return
            yield found
            position = found.end()


def _min_width(part: str, flags: int) -> int:
    try:
        return _p.parse(part, flags).getwidth()[0]
    except (re.error, TypeError, ValueError):  # pragma: no cover - the rule compiled already
        return 0


@lru_cache(maxsize=256)
def _joined(prefiltered: Prefiltered, chosen: tuple[int, ...]) -> re.Pattern:
    """The chosen alternatives as one pattern (only for patterns that may match the empty text)."""
    return re.compile("|".join(prefiltered.parts[i] for i in chosen), prefiltered.whole.flags)
