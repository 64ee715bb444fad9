"""Ordinary commands and prose, so the provenance and text layers do not hold up what the user asked for.

Three questions about a typed text, answered from rules/provenance.toml:
  * `readonly`: one simple command that only shows things ("ls -la", "git log | head", "df -h");
  * `routine`: an everyday command ("pytest", "git push", "python3 app.py") whose purpose the user's
    message names in its own words ("run the tests", "push my commits", "start app.py");
  * `reads_as_prose`: text whose first word is no program, so a shell would run nothing of it
    ("what does sudo mean"); confirm-level command rules need not ask about it.
"Simple" means: no ; & ` $( ${ < > or newline, and a pipe only into a viewer (grep, head, less ...).
What is dangerous about such a text is still judged by the text layer; these answers only stop the
provenance layer from asking about commands that are plainly what the user wanted.
"""
import re
from dataclasses import dataclass
from functools import lru_cache

from alphaomega.safety.goal import GoalView
from alphaomega.safety.normalize import Normalized
from alphaomega.safety.rules import RuleBook, RulesError

_UNSAFE = re.compile(r"[;&`<>\n\r]|\$[({]|\|\|")
# The same places, written to begin with one character class (the engine then skips ahead).
_UNSAFE_FAST = re.compile(r"[;&`<>\n\r$|](?:(?<=\$)[({]|(?<=\|)\||(?<=[;&`<>\n\r]))")
# An argument that leaves the current folder: /absolute, C:\\, ../, ~/.hidden (also after "--dir=").
_OUTSIDE = re.compile(r"(?:^|[\s=:,])(?:/(?!/)|[a-z]:[\\/]|\.\.(?:/|\\|$)|~/\.|~\\\.)")
_WORD = re.compile(r"[a-z0-9][a-z0-9'’-]*")


@dataclass(frozen=True)
class Routine:
    id: str
    command: re.Pattern
    goal: str  # a regular expression; {name} and {stem} stand for the command's file or table name


@dataclass(frozen=True)
class CommandBook:
    readonly: re.Pattern
    routines: tuple[Routine, ...]
    prose_starters: frozenset[str]
    ask_words: re.Pattern
    run_words: re.Pattern


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for _ in range(3):  # macros may use macros
        for name, value in macros.items():
            pattern = pattern.replace("{" + name + "}", value)
    return pattern


def _compile(pattern: str, where: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise RulesError(f"provenance.toml {where}: bad regular expression: {exc}") from exc


def command_book(book: RuleBook) -> CommandBook:
    """The compiled command tables of this rule book (built once, kept on the book)."""
    cached = book.__dict__.get("_commands")
    if cached is None:
        cached = _build(book)
        object.__setattr__(book, "_commands", cached)
    return cached


def _build(book: RuleBook) -> CommandBook:
    data = book.provenance
    macros = dict(data.get("command_macros", {}))
    readonly = "|".join(f"(?:{_expand(p, macros)})" for p in data.get("readonly_patterns", []))
    routines = []
    for entry in data.get("routine", []):
        if not entry.get("id") or not entry.get("command") or not entry.get("goal"):
            raise RulesError(f"provenance.toml routine {entry.get('id', '?')}: needs id, command and goal")
        routines.append(Routine(entry["id"], _compile(_expand(entry["command"], macros), entry["id"]), entry["goal"]))
    commands, _, readonly_commands = book.command_words
    wrappers = frozenset(data.get("wrappers", ()))
    return CommandBook(
        readonly=_compile(readonly or "(?!)", "readonly_patterns"),
        routines=tuple(routines),
        prose_starters=frozenset(data.get("prose_starters", ())) - commands - readonly_commands - wrappers,
        ask_words=_compile(data["ask_goal"], "ask_goal"),
        run_words=_compile(data["run_goal"], "run_goal"),
    )


def is_simple(norm: Normalized) -> bool:
    """One command: no separators, substitutions or redirections (a final ";" ends a SQL statement)."""
    cached = norm.__dict__.get("_simple")
    if cached is None:
        values = (norm.text,) if norm.shell is norm.text else (norm.text, norm.shell)
        cached = norm.__dict__["_simple"] = all(
            _UNSAFE_FAST.search(value.rstrip(" ").removesuffix(";")) is None for value in values)
    return cached


def readonly(norm: Normalized, book: RuleBook) -> bool:
    """One simple command that only looks at things (whatever the user's message says)."""
    return is_simple(norm) and command_book(book).readonly.fullmatch(norm.text.rstrip(" ")) is not None


def _stems(name: str) -> list[str]:
    base = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    stem = base.split(".", 1)[0] if not base.startswith(".") else base
    found = [re.escape(name), re.escape(base)]
    if len(stem) >= 3:
        found.append(r"\b" + re.escape(stem))
        if stem.endswith("s") and len(stem) >= 4:
            found.append(r"\b" + re.escape(stem[:-1]))
    return found


@lru_cache(maxsize=1024)
def _goal_pattern(template: str, name: str) -> re.Pattern | None:
    if "{name}" not in template and "{stem}" not in template:
        return re.compile(template)
    if not name:
        return None
    alternatives = "(?:" + "|".join(_stems(name)) + ")"
    return re.compile(template.replace("{name}", alternatives).replace("{stem}", alternatives))


def routine(norm: Normalized, goal: GoalView, book: RuleBook) -> str | None:
    """The id of the everyday command this text is, when the user's message asks for its purpose."""
    if not is_simple(norm):
        return None
    text = norm.text.rstrip(" ")
    for entry in command_book(book).routines:
        found = entry.command.fullmatch(text)
        if found is None:
            continue
        if _OUTSIDE.search(norm.path):
            return None  # a routine stays in the current folder (and the home folder's visible ones)
        name = found.groupdict().get("name") or ""
        pattern = _goal_pattern(entry.goal, name.strip("'\""))
        if pattern is not None and pattern.search(goal.light):
            return entry.id
    return None


def reads_as_prose(norm: Normalized, book: RuleBook) -> bool:
    """One simple sentence that starts with an ordinary word that no shell runs ("what", "please", "remember").

    The shell runs only the first word of a command, so "what does sudo mean" runs nothing. The first
    word has to be on a short list (rules/provenance.toml prose_starters) rather than merely "not a
    known program": unknown programs ("gem install x", "poetry run rm x") must still count as commands.
    """
    if not is_simple(norm) or "|" in norm.text:
        return False
    first = norm.shell.split(" ", 1)[0].strip("\"'")
    return first in command_book(book).prose_starters and first == norm.text.split(" ", 1)[0].strip("\"'")


_SEARCH_FILLER = frozenset({
    "vs", "versus", "and", "or", "the", "a", "an", "of", "to", "in", "on", "for", "how", "what", "why", "is", "are",
    "does", "do", "mean", "means", "meaning", "difference", "between", "with", "explained", "explain", "example",
    "examples", "tutorial", "guide", "usage", "syntax", "manual", "docs", "documentation", "definition", "command",
    "commands", "function", "option", "options", "flag", "flags", "linux", "windows", "mac", "macos", "ubuntu",
    "bash", "shell", "terminal", "safely", "safe", "use", "using", "when", "beginners"})


def asked_to_write(norm: Normalized, matched: str, goal: GoalView, book: RuleBook) -> bool:
    """The user asks to search for, write or say these words (not to run them), in their own words.

    `matched` is what a command rule found in the text: its words must all be in the user's message,
    and most words of the text too ("rm command explained" for "look up what the rm command does").
    """
    commands = command_book(book)
    if not is_simple(norm) or not commands.ask_words.search(goal.light) or commands.run_words.search(goal.light):
        return False
    goal_words = set(_WORD.findall(goal.light))
    if not all(word in goal_words for word in _WORD.findall(matched)):
        return False
    words = _WORD.findall(norm.text)
    known = sum(1 for word in words if word in goal_words or word in _SEARCH_FILLER)
    return bool(words) and known * 3 >= len(words) * 2
