"""Normalised copies of typed text, so rules see through case, spacing, quoting and look-alikes.

An attacker (or a confused model) can write `rm -rf /` as `RM  -Rf /`, `r''m -rf /`, `rм -rf /` with a
Cyrillic letter, or with zero-width spaces inside. Rules are written once, in plain lower case, and
are searched in the copies built here:

    text      invisible characters removed, NFKC, look-alikes folded, lower case, spaces collapsed
    cased     the same but with the original case (for case-sensitive secrets such as AKIA...)
    shell     `text` with shell quoting undone ('' "" \\ $IFS `echo x` {a,b}) and s p a c e d letters joined
    squeezed  `shell` without any spaces
    path      `text` with quotes removed, backslashes as slashes, every home-folder spelling as "~"
"""
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parent / "rules"

# Zero-width and other invisible characters that are not "format" (Cf) characters.
_INVISIBLE_EXTRA = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u034f", "\u180e"}
_ZWJ = "\u200d"
_EMOJI_CATEGORIES = {"So", "Sk"}
_CONFUSABLE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC", "GEORGIAN", "LISU", "VAI"}

_SPACES = re.compile(r"\s+")
_SPACED_LETTERS = re.compile(r"(?<![\w/-])(?:[a-z0-9] )+[a-z0-9](?![\w])")
# Two one-character words in a row, at the start or after a space (starting with the space lets
# the regex engine jump from space to space)
_TWO_SINGLES_AT_START = re.compile(r"[^ ] [^ ](?![^ ])")
_TWO_SINGLES = re.compile(r" [^ ] [^ ](?![^ ])")
_HEX_ESCAPE = re.compile(r"\\x([0-9a-f]{2})")
_OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-f]{4})")
_ECHO_SUBST = re.compile(r"\$\(\s*(?:echo|printf)\s+([^()]*?)\s*\)|`\s*(?:echo|printf)\s+([^`]*?)\s*`")
_IFS = re.compile(r"\$\{ifs[^}]*\}|\$ifs\b")
_EMPTY_EXPANSIONS = re.compile(r"\$[@*]|\$\{[@*]\}|\$\(\s*\)|``|\$\{\w*:-\}")
_BRACE_LIST = re.compile(r"\{([^{}\s]*,[^{}\s]*)\}")
_CONCAT = re.compile(r"""['"]\s*\+\s*['"]""")
_SQL_COMMENT = re.compile(r"/\*.*?\*/")
_SHELL_COMMENT = re.compile(r"#(?<!\S#).*$")  # a "#" at the start or after a space
_WORD_ESCAPES = re.compile(r"(?<=\w)[`^](?=\w)")
# Command starts (see mark_commands): the beginning, after ; & | ( ! ` $( "{ ", and behind wrappers
# and shell keywords (then, do, if, eval...) found at such a start.
_SEPARATOR = re.compile(r"(?:^|[;&|(!`]|\$\(|\{(?=\s))\s*")
# The same places after the start, written to begin with one character class (the engine then skips
# to candidate characters): one of ;&|(!`${, then "(" after "$" and a space after "{".
_LATER_SEPARATOR = re.compile(r"[;&|(!`${](?:(?<=\$)\(|(?<=\{)(?=\s)|(?<=[;&|(!`]))\s*")
_SEPARATOR_CHAR = re.compile(r"[;&|(!`{$](?:(?<=\$)\(|(?<!\$))")  # one of ;&|(!`{ or "$("
_ASSIGNMENT = re.compile(r"\w+=\S*\s+")
_WRAPPER = re.compile(r"(?:sudo|doas|pkexec|run0|env|nohup|command|builtin|time|nice|ionice|stdbuf|xargs|busybox|"
                      r"then|do|else|elif|if|while|until|exec|eval|(?:ba|z|da|k|fi)?sh\s+-c|su\s+(?:-\s+)?(?:\w+\s+)?-c|"
                      r"cmd(?:\.exe)?\s+/[ck]|(?:powershell|pwsh)(?:\.exe)?(?:\s+-\w+)*\s+-c(?:ommand)?|"
                      r"timeout|watch|strace|caffeinate|setsid|chroot\s+\S+)(?:\s+-{1,2}[\w=.:-]+(?:\s+\d+)?)*\s+"
                      r"(?:\d+[smhd]?\s+)?")
_STEP = re.compile(f"{_ASSIGNMENT.pattern}|{_WRAPPER.pattern}")  # one call per command start
CMD_MARK = "\x01"
_LATER_SEPARATOR_SPLIT = re.compile(f"({_LATER_SEPARATOR.pattern})")
_STEP_AFTER_MARK = re.compile(f"{CMD_MARK}(?:{_STEP.pattern})")
_HOME = re.compile(r"\$\{?home\}?|%userprofile%|%homedrive%%homepath%|\$\{?env:(?:userprofile|home)\}?"
                   r"|(?<![\w.])(?:[a-z]:)?/(?:home|users)/(?!shared\b)[^/\s'\"]+")

# %APPDATA% and $env:LOCALAPPDATA stand for folders under the home folder (path copy only).
_APPDATA = re.compile(r"%(local)?appdata%|\$\{?env:(local)?appdata\}?")


def _appdata_folder(found: re.Match) -> str:
    return "~/appdata/local" if found.group(1) or found.group(2) else "~/appdata/roaming"


@lru_cache(maxsize=1)
def homoglyphs() -> dict[str, str]:
    data = json.loads((RULES_DIR / "homoglyphs.json").read_text("utf-8"))
    return data["fold"]


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    return {ord(char): ascii_char for char, ascii_char in homoglyphs().items()}


def _class(codes: list[int]) -> re.Pattern:
    """A character class of these code points, as ranges (BMP code points only: sre then tests a
    character with one table look-up; code points above U+FFFF would make it try every range)."""
    spans: list[list[int]] = []
    for code in sorted(set(codes)):
        if spans and spans[-1][1] == code - 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    return re.compile("[" + "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in spans) + "]")


_NON_BMP = re.compile("[\U00010000-\U0010ffff]")


@lru_cache(maxsize=1)
def _bmp_classes() -> tuple[re.Pattern, re.Pattern, re.Pattern | None]:
    """Classes of BMP characters that normalisation has to look at, so that C finds them: special
    (format characters, tags and invisible fillers), dropped after NFKD (combining marks, variation
    selectors) and look-alikes (homoglyphs.json; None when a folded letter could be folded again,
    where only str.translate is right). Characters above U+FFFF are judged one by one (_NON_BMP)."""
    category, combining = unicodedata.category, unicodedata.combining
    bmp = range(0x80, 0x10000)
    special = [c for c in bmp if category(chr(c)) == "Cf" or chr(c) in _INVISIBLE_EXTRA]
    dropped = [c for c in bmp if combining(chr(c)) or 0xFE00 <= c <= 0xFE0F]
    table = _fold_table()
    simple = all(value.isascii() for value in table.values()) and all(code > 127 for code in table)
    return _class(special), _class(dropped), _class([c for c in table if c <= 0xFFFF]) if simple else None


def _is_special(char: str) -> bool:
    """A character whose keeping depends on the rules of Normalized._drop_invisible."""
    return _is_tag(char) or char in _INVISIBLE_EXTRA or unicodedata.category(char) == "Cf"


def _is_dropped(char: str) -> bool:
    """Removed after NFKD: combining marks and variation selectors."""
    code = ord(char)
    return bool(unicodedata.combining(char)) or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def is_invisible(char: str, previous: str = "", following: str = "") -> bool:
    """A character that renders as nothing. A zero-width joiner inside an emoji sequence is fine."""
    if char in _INVISIBLE_EXTRA:
        return True
    if unicodedata.category(char) != "Cf":
        return False
    if char == _ZWJ and previous and following:
        emoji = _EMOJI_CATEGORIES
        return not (unicodedata.category(previous) in emoji or unicodedata.category(following) in emoji)
    return True


def _is_tag(char: str) -> bool:
    return 0xE0020 <= ord(char) <= 0xE007F


def _script(char: str) -> str:
    try:
        return unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return ""


@lru_cache(maxsize=1)
def _script_classes() -> dict[str, re.Pattern]:
    """The BMP letters of each look-alike script (the first word of their Unicode names); "_other":
    those of every script but Latin."""
    letters: dict[str, list[int]] = {name: [] for name in sorted(_CONFUSABLE_SCRIPTS)}
    for code in range(0x10000):
        char = chr(code)
        if char.isalpha():
            script = _script(char)
            if script in letters:
                letters[script].append(code)
    classes = {name: _class(codes) for name, codes in letters.items() if codes}
    classes["_other"] = _class([code for name, codes in letters.items() if name != "LATIN" for code in codes])
    return classes


@lru_cache(maxsize=64)
def _mixed_words(scripts: tuple[str, ...]) -> re.Pattern:
    """Whole words (runs of \\w) holding letters of two of these scripts."""
    classes = _script_classes()
    pairs = [f"(?=\\w*?{classes[a].pattern})(?=\\w*?{classes[b].pattern})"
             for index, a in enumerate(scripts) for b in scripts[index + 1:]]
    return re.compile(r"(?<!\w)(?:" + "|".join(pairs) + r")\w+")


def prepare() -> None:
    """Build the character tables now (about 40 ms), not during the first text that needs them."""
    _bmp_classes()
    _script_classes()


def collapse(text: str) -> str:
    if "  " not in text and text.isprintable():  # nothing to collapse (isprintable is False for \t, \n, NBSP...)
        return text.strip()
    return _SPACES.sub(" ", text).strip()


def _has_spaced_letters(value: str) -> bool:
    """Two one-character words in a row ("r m", "s h u t"): only then is the regex worth running."""
    return _TWO_SINGLES_AT_START.match(value) is not None or _TWO_SINGLES.search(value) is not None


def light(text: str) -> str:
    """For comparing with the user's message: NFKC, lower case, spaces collapsed (no folding)."""
    return collapse(unicodedata.normalize("NFKC", text).casefold())


def mark_commands(value: str) -> str:
    """`value` with CMD_MARK wherever a command may start: at each start of a command segment, and
    again behind every variable assignment and wrapper (sudo -u x, env, nohup, xargs, sh -c...).
    Rules write this place as {CMD}; a folder in front of the program (/usr/bin/rm) is part of the
    {CMD} expression itself."""
    # The start (after its spaces) is the first separator; _LATER_SEPARATOR finds the others, the
    # same places as _SEPARATOR.finditer(value) would.
    start = len(value) - len(value.lstrip())
    if _SEPARATOR_CHAR.search(value) is not None:
        # fast path: a mark after every separator, done by the regex engine; valid when no wrapper or
        # variable assignment follows any of them (otherwise the loop below adds marks behind those)
        parts = _LATER_SEPARATOR_SPLIT.split(value[start:])  # text, separator, text, ..., text
        parts[1::2] = [separator + CMD_MARK for separator in parts[1::2]]
        marked = value[:start] + CMD_MARK + "".join(parts)
        if _STEP_AFTER_MARK.search(marked) is None:
            return marked
        ends = [start, *(found.end() for found in _LATER_SEPARATOR.finditer(value, start))]
    else:  # most texts have no separator at all: then only the start can begin a command
        ends = [start]
    marks: set[int] = set()
    for position in ends:
        while True:
            marks.add(position)
            step = _STEP.match(value, position)
            if step is None or step.end() == position:
                break
            position = step.end()
    if not marks:
        return value
    pieces, last = [], 0
    for position in sorted(marks):
        pieces.append(value[last:position])
        last = position
    pieces.append(value[last:])
    return CMD_MARK.join(pieces)


class _computed_once:
    """functools.cached_property without its lock (Python 3.11 takes one on every first access):
    a Normalized belongs to one call, so no other thread computes its copies."""

    def __init__(self, func):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


class Normalized:
    """The copies of one typed text that rules are matched against (computed on first use)."""

    def __init__(self, raw: str):
        self.raw = raw
        self.invisible: tuple[str, ...] = ()
        self.tag_text = ""
        if raw.isascii():
            self.cased = raw
            self.folded_lookalikes = False
            return
        special, dropped, lookalikes = _bmp_classes()
        wide = set(_NON_BMP.findall(raw))  # emoji and other characters above U+FFFF, judged one by one
        wide_special = any(_is_special(char) for char in wide)
        kept = self._drop_invisible(raw, special, wide_special) if wide_special or special.search(raw) else raw
        # Accents and variation selectors go (for matching only): "ŕm" and "r\ufe0fm" read as "rm".
        # NFKC(NFKD(x)) is NFKC(x), so when NFKD brings out nothing to drop, the NFKC copy stays.
        nfkc = unicodedata.normalize("NFKC", kept)
        decomposed = unicodedata.normalize("NFKD", nfkc)
        stripped = dropped.sub("", decomposed)
        if wide:
            for char in set(_NON_BMP.findall(stripped)):
                if _is_dropped(char):
                    stripped = stripped.replace(char, "")
        if len(stripped) != len(decomposed):
            nfkc = unicodedata.normalize("NFKC", stripped)
        table = _fold_table()
        if lookalikes is None:
            folded = nfkc.translate(table)
        else:  # the same as translate: single non-ASCII characters become ASCII ones, a few at a time
            folded = nfkc
            found = set(lookalikes.findall(nfkc))
            if wide:
                found.update(char for char in _NON_BMP.findall(nfkc) if ord(char) in table)
            for char in found:
                folded = folded.replace(char, table[ord(char)])
        self.folded_lookalikes = folded != nfkc
        self.cased = unicodedata.normalize("NFKC", folded) if self.folded_lookalikes else nfkc
        if self.tag_text:
            self.cased += " " + self.tag_text

    def _drop_invisible(self, raw: str, special: re.Pattern, wide_special: bool) -> str:
        """`raw` without invisible characters; sets `invisible` and `tag_text`. Only the characters
        that can be invisible or tags are looked at (found by `special`, and above U+FFFF one by one)."""
        pieces: list[str] = []
        hidden: list[str] = []
        tags: list[str] = []
        last = 0
        in_flag = False  # tag characters are fine only right after a black flag (England's flag emoji)
        last_tag = -2
        positions = [found.start() for found in special.finditer(raw)]
        if wide_special:
            positions = sorted(positions + [found.start() for found in _NON_BMP.finditer(raw)
                                            if _is_special(found.group())])
        for index in positions:
            char = raw[index]
            previous = raw[index - 1] if index else ""
            following = raw[index + 1] if index + 1 < len(raw) else ""
            if _is_tag(char):
                in_flag = (in_flag and last_tag == index - 1) or previous == "\U0001F3F4"
                last_tag = index
                if in_flag:
                    continue
            if is_invisible(char, previous, following):
                hidden.append(f"U+{ord(char):04X}")
                if 0xE0020 <= ord(char) <= 0xE007E:
                    tags.append(chr(ord(char) - 0xE0000))  # "ASCII smuggling" in tag characters
                pieces.append(raw[last:index])
                last = index + 1
        pieces.append(raw[last:])
        self.invisible = tuple(dict.fromkeys(hidden))
        self.tag_text = "".join(tags)
        return "".join(pieces)

    @_computed_once
    def text(self) -> str:
        return collapse(self.cased.casefold())

    @_computed_once
    def shell(self) -> str:
        value = self.text
        if "\\" in value:
            value = _HEX_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
            value = _OCTAL_ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), value)
            value = _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
        if "$" in value or "`" in value:
            value = _ECHO_SUBST.sub(lambda m: m.group(1) or m.group(2) or "", value)
            value = _IFS.sub(" ", value)
            value = _EMPTY_EXPANSIONS.sub("", value)
            value = value.replace("$'", "'").replace('$"', '"')
        if "'" in value or '"' in value:
            value = _CONCAT.sub("", value)
            value = value.replace("'", "").replace('"', "")
        if "/*" in value:
            value = _SQL_COMMENT.sub(" ", value)
        if "{" in value:
            value = _BRACE_LIST.sub(lambda m: m.group(1).replace(",", " "), value)
        if "\\" in value:
            value = value.replace("\\", "")
        if "`" in value or "^" in value:
            value = _WORD_ESCAPES.sub("", value)
        if "#" in value:
            value = _SHELL_COMMENT.sub("", value)  # "reboot # harmless" runs reboot
        if _has_spaced_letters(value):
            value = _SPACED_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), value)
        if "home" in value or "users" in value or "%" in value:
            value = _HOME.sub("~", value)
        value = collapse(value.casefold())
        return self.text if value == self.text else value  # the same object: rules search it once

    @_computed_once
    def squeezed(self) -> str:
        return "".join(self.shell.split())

    @_computed_once
    def cased_variants(self) -> tuple[str, ...]:
        """The case-kept text, and the same with spaces collapsed and shell quoting removed (for secrets)."""
        found = [self.cased]
        if "  " in self.cased or not self.cased.isprintable():
            found.append(collapse(self.cased))
        if any(c in self.cased for c in "'\"\\`^"):
            found.append(collapse(re.sub(r"['\"\\`^]", "", self.cased)))
        return tuple(dict.fromkeys(found))

    @_computed_once
    def path(self) -> str:
        value = self.text.replace("\\", "/").replace("'", "").replace('"', "")
        if "appdata" in value:
            value = _APPDATA.sub(_appdata_folder, value)
        if "home" in value or "users" in value or "%" in value or "env:" in value:
            value = _HOME.sub("~", value)
        value = re.sub(r"/{2,}", "/", value) if "//" in value and "://" not in value else value
        return self.text if value == self.text else value

    @_computed_once
    def mixed_script_words(self) -> tuple[str, ...]:
        """Words that mix Latin with Cyrillic or Greek letters: a classic disguise ("pаypal")."""
        if self.raw.isascii():
            return ()
        nfkc = unicodedata.normalize("NFKC", self.raw)
        if not any(c.isalpha() and _script(c) in _CONFUSABLE_SCRIPTS for c in set(_NON_BMP.findall(nfkc))):
            # all letters that count are in the BMP: let C find the words (two scripts in the text first)
            classes = _script_classes()
            if classes["_other"].search(nfkc) is None:
                return ()  # Latin letters alone
            present = tuple(name for name, letters in classes.items() if name != "_other" and letters.search(nfkc))
            return tuple(_mixed_words(present).findall(nfkc)) if len(present) > 1 else ()
        found = []
        for word in re.findall(r"\w+", nfkc):
            if word.isascii():
                continue
            scripts = {_script(c) for c in word if c.isalpha()} & _CONFUSABLE_SCRIPTS
            if len(scripts) > 1:
                found.append(word)
        return tuple(found)

    def variant(self, name: str) -> str:
        return getattr(self, name)

    def marked(self, name: str) -> str:
        """A copy with CMD_MARK at every command start (computed once per copy)."""
        value = self.variant(name)
        marks = self.__dict__.setdefault("_marks", {})  # by copy: copies that are one string share it
        found = marks.get(id(value))
        if found is None:
            found = marks[id(value)] = mark_commands(value)
        return found

    def urls(self) -> list:
        """Web addresses in the text (computed once; both the text and provenance layers need them)."""
        found = self.__dict__.get("_urls")
        if found is None:
            from alphaomega.safety import urls

            found = urls.find(self.text)
            if self.shell != self.text:  # j''avascript: and friends
                seen = {u.raw for u in found}
                found += [u for u in urls.find(self.shell) if u.raw not in seen]
            self.__dict__["_urls"] = found
        return found
