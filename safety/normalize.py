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
from functools import cached_property, lru_cache
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parent / "rules"

# Zero-width and other invisible characters that are not "format" (Cf) characters.
_INVISIBLE_EXTRA = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u034f", "\u180e"}
_ZWJ = "\u200d"
_EMOJI_CATEGORIES = {"So", "Sk"}
_CONFUSABLE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC", "GEORGIAN", "LISU", "VAI"}

_SPACES = re.compile(r"\s+")
_SPACED_LETTERS = re.compile(r"(?<![\w/-])(?:[a-z0-9] )+[a-z0-9](?![\w])")
_TWO_SINGLES = re.compile(r"(?<![^ ])[^ ] [^ ](?![^ ])")
_HEX_ESCAPE = re.compile(r"\\x([0-9a-f]{2})")
_OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-f]{4})")
_ECHO_SUBST = re.compile(r"\$\(\s*(?:echo|printf)\s+([^()]*?)\s*\)|`\s*(?:echo|printf)\s+([^`]*?)\s*`")
_IFS = re.compile(r"\$\{ifs[^}]*\}|\$ifs\b")
_EMPTY_EXPANSIONS = re.compile(r"\$[@*]|\$\{[@*]\}|\$\(\s*\)|``|\$\{\w*:-\}")
_BRACE_LIST = re.compile(r"\{([^{}\s]*,[^{}\s]*)\}")
_CONCAT = re.compile(r"""['"]\s*\+\s*['"]""")
_SQL_COMMENT = re.compile(r"/\*.*?\*/")
_SHELL_COMMENT = re.compile(r"(?:^|(?<=\s))#.*$")
_WORD_ESCAPES = re.compile(r"(?<=\w)[`^](?=\w)")
# Command starts (see mark_commands): the beginning, after ; & | ( ! ` $( "{ ", and behind wrappers
# and shell keywords (then, do, if, eval...) found at such a start.
_SEPARATOR = re.compile(r"(?:^|[;&|(!`]|\$\(|\{(?=\s))\s*")
_SEPARATOR_CHAR = re.compile(r"[;&|(!`{]|\$\(")
_ASSIGNMENT = re.compile(r"\w+=\S*\s+")
_WRAPPER = re.compile(r"(?:sudo|doas|pkexec|run0|env|nohup|command|builtin|time|nice|ionice|stdbuf|xargs|busybox|"
                      r"then|do|else|elif|if|while|until|exec|eval|(?:ba|z|da|k|fi)?sh\s+-c|su\s+(?:-\s+)?(?:\w+\s+)?-c|"
                      r"cmd(?:\.exe)?\s+/[ck]|(?:powershell|pwsh)(?:\.exe)?(?:\s+-\w+)*\s+-c(?:ommand)?|"
                      r"timeout|watch|strace|caffeinate|setsid|chroot\s+\S+)(?:\s+-{1,2}[\w=.:-]+(?:\s+\d+)?)*\s+"
                      r"(?:\d+[smhd]?\s+)?")
_STEP = re.compile(f"{_ASSIGNMENT.pattern}|{_WRAPPER.pattern}")  # one call per command start
CMD_MARK = "\x01"
_SEPARATOR_SPLIT = re.compile(f"({_SEPARATOR.pattern})")
_STEP_AFTER_MARK = re.compile(f"{CMD_MARK}(?:{_STEP.pattern})")
_HOME = re.compile(r"\$\{?home\}?|%userprofile%|%homedrive%%homepath%"
                   r"|(?<![\w.])(?:[a-z]:)?/(?:home|users)/(?!shared\b)[^/\s'\"]+")


@lru_cache(maxsize=1)
def homoglyphs() -> dict[str, str]:
    data = json.loads((RULES_DIR / "homoglyphs.json").read_text("utf-8"))
    return data["fold"]


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    return {ord(char): ascii_char for char, ascii_char in homoglyphs().items()}


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


def collapse(text: str) -> str:
    if "  " not in text and text.isprintable():  # nothing to collapse (isprintable is False for \t, \n, NBSP...)
        return text.strip()
    return _SPACES.sub(" ", text).strip()


def _has_spaced_letters(value: str) -> bool:
    """Two one-character words in a row ("r m", "s h u t"): only then is the regex worth running."""
    return _TWO_SINGLES.search(value) is not None


def light(text: str) -> str:
    """For comparing with the user's message: NFKC, lower case, spaces collapsed (no folding)."""
    return collapse(unicodedata.normalize("NFKC", text).casefold())


def mark_commands(value: str) -> str:
    """`value` with CMD_MARK wherever a command may start: at each start of a command segment, and
    again behind every variable assignment and wrapper (sudo -u x, env, nohup, xargs, sh -c...).
    Rules write this place as {CMD}; a folder in front of the program (/usr/bin/rm) is part of the
    {CMD} expression itself."""
    has_separators = _SEPARATOR_CHAR.search(value) is not None
    if has_separators:
        # fast path: a mark after every separator, done by the regex engine; valid when no wrapper or
        # variable assignment follows any of them (otherwise the loop below adds marks behind those)
        parts = _SEPARATOR_SPLIT.split(value)  # text, separator, text, separator, ..., text
        marked = "".join([part + CMD_MARK if index % 2 else part for index, part in enumerate(parts)])
        if _STEP_AFTER_MARK.search(marked) is None:
            return marked
    marks: set[int] = set()
    # most texts have no separator at all: then only the start can begin a command
    separators = _SEPARATOR.finditer(value) if has_separators else (_SEPARATOR.match(value),)
    for separator in separators:
        position = separator.end()
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
        kept: list[str] = []
        hidden: list[str] = []
        tags: list[str] = []
        in_flag = False  # tag characters are fine only right after a black flag (England's flag emoji)
        for index, char in enumerate(raw):
            if ord(char) < 128:
                kept.append(char)
                in_flag = False
                continue
            previous = raw[index - 1] if index else ""
            following = raw[index + 1] if index + 1 < len(raw) else ""
            if _is_tag(char):
                in_flag = in_flag or previous == "\U0001F3F4"
                if in_flag:
                    kept.append(char)
                    continue
            else:
                in_flag = False
            if is_invisible(char, previous, following):
                hidden.append(f"U+{ord(char):04X}")
                if 0xE0020 <= ord(char) <= 0xE007E:
                    tags.append(chr(ord(char) - 0xE0000))  # "ASCII smuggling" in tag characters
                continue
            kept.append(char)
        self.invisible = tuple(dict.fromkeys(hidden))
        self.tag_text = "".join(tags)
        # Accents and variation selectors go (for matching only): "ŕm" and "r\ufe0fm" read as "rm".
        nfkc = unicodedata.normalize("NFKC", "".join(kept))
        stripped = "".join(c for c in unicodedata.normalize("NFKD", nfkc) if not unicodedata.combining(c)
                           and not 0xFE00 <= ord(c) <= 0xFE0F and not 0xE0100 <= ord(c) <= 0xE01EF)
        nfkc = unicodedata.normalize("NFKC", stripped)
        folded = nfkc.translate(_fold_table())
        self.folded_lookalikes = folded != nfkc
        self.cased = unicodedata.normalize("NFKC", folded)
        if self.tag_text:
            self.cased += " " + self.tag_text

    @cached_property
    def text(self) -> str:
        return collapse(self.cased.casefold())

    @cached_property
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

    @cached_property
    def squeezed(self) -> str:
        return "".join(self.shell.split())

    @cached_property
    def cased_variants(self) -> tuple[str, ...]:
        """The case-kept text, and the same with spaces collapsed and shell quoting removed (for secrets)."""
        found = [self.cased]
        if "  " in self.cased or not self.cased.isprintable():
            found.append(collapse(self.cased))
        if any(c in self.cased for c in "'\"\\`^"):
            found.append(collapse(re.sub(r"['\"\\`^]", "", self.cased)))
        return tuple(dict.fromkeys(found))

    @cached_property
    def path(self) -> str:
        value = self.text.replace("\\", "/").replace("'", "").replace('"', "")
        if "home" in value or "users" in value or "%" in value:
            value = _HOME.sub("~", value)
        value = re.sub(r"/{2,}", "/", value) if "//" in value and "://" not in value else value
        return self.text if value == self.text else value

    @cached_property
    def mixed_script_words(self) -> tuple[str, ...]:
        """Words that mix Latin with Cyrillic or Greek letters: a classic disguise ("pаypal")."""
        if self.raw.isascii():
            return ()
        found = []
        for word in re.findall(r"\w+", unicodedata.normalize("NFKC", self.raw)):
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
