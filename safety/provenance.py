"""The provenance layer: risky text must come from the user, not from the planner or the screen.

Prose may be written by the planner. A command, a database change, an unknown web site, an e-mail address, a
key-like token, text aimed at a terminal or a password field, or text with instructions for an AI
is typed without asking only when the user's own message contains it (rules/provenance.toml).
When the screen showed signs of prompt injection, every acting step needs confirmation.
"""
import re

from alphaomega.safety import commands, urls
from alphaomega.safety.decision import LayerResult, allow, confirm
from alphaomega.safety.goal import GoalView
from alphaomega.safety.normalize import Normalized, collapse
from alphaomega.safety.permissions import fold
from alphaomega.safety.rules import RuleBook

PASSIVE = ("screenshot", "wait", "done")
# Shell syntax that prose does not use: ` && || $( ${ and redirections to files ("> out.txt",
# "2>/dev/null", "< /etc/x"). ; and | also appear in prose and tables, so after them the next word
# has to be a program (see looks_like_command).
_OPERATORS = re.compile(r"`|&&|\|\||\$\(|\$\{|(?:^|\s|\w)\d?>{1,2}\s*(?:[/~&]|[\w-]+\.\w+)|(?:^|\s)<\s*[/~$]")
_SEGMENT_REST = r"\s*((?:sudo\s+|doas\s+|env\s+|nohup\s+|setsid\s+|exec\s+|xargs\s+)*)([\w./~-]+)((?:\s+\S+)?)"
_SEGMENT = re.compile(r"(?:^|[;|&(`]|\$\()" + _SEGMENT_REST)
# The same after the start, written to begin with one character class (the engine then jumps from
# separator to separator): one of ;|&(`$, and "(" after "$".
_LATER_SEGMENT = re.compile(r"[;|&(`$](?:(?<=\$)\(|(?<!\$))" + _SEGMENT_REST)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_EMAIL_LOCAL_CHARS = frozenset("_.+-")  # and letters and digits: what [\w.+-] allows
_TOKEN = re.compile(r"(?<![\w/+=-])[A-Za-z0-9+/_=-]{24,}(?![\w/+=-])")
_LONG_WORD = re.compile(r"[^ ]{24}")
_IDENT = r"[\w.`\"\[\]]+"
_SQL_WRITE_BODY = (rf"\s*(?:insert\s+into\s+{_IDENT}|update\s+{_IDENT}\s+set\b|delete\s+from\s+{_IDENT}\s*"
                   rf"(?:;|$|where\b)|(?:drop|truncate)\s+(?:table|database|schema|user|view|index|role)\s+(?:if\s+exists\s+)?"
                   rf"{_IDENT}\s*(?:;|$|cascade)|(?:alter|create)\s+(?:table|database|schema|user|view|index|role|"
                   rf"procedure|function|trigger)\s+{_IDENT}\s*(?:\(|;|$|add\b|drop\b|rename\b|set\b|as\b|with\b|"
                   rf"identified\b)|(?:grant|revoke)\s+\w+(?:\s*,\s*\w+)*\s+(?:on|to|from)\b|"
                   rf"exec(?:ute)?\s+(?:sp_|xp_)|merge\s+into\s+{_IDENT})")
_SQL_WRITE = re.compile("(?:^|;)" + _SQL_WRITE_BODY)
# The same, split in two so that the engine jumps from ";" to ";": at the start, and after a ";".
_SQL_WRITE_AT_START = re.compile(_SQL_WRITE_BODY)
_SQL_WRITE_AFTER_SEMICOLON = re.compile(";" + _SQL_WRITE_BODY)
_OPERATOR_MARKS = ("`", "&&", "||", "$(", "${", ">", "<")
_SQL_VERBS = ("insert", "update", "delete", "drop", "alter", "create", "truncate", "grant", "revoke", "exec", "merge")
_INJECTION_WORDS = ("ignore", "disregard", "forget", "override", "bypass", "you are now", "system prompt", "tell",
                    "inform", "alert", "show", "new instructions", "jailbreak", "developer mode", "system", "assistant")
_ARGUMENT = re.compile(r"\s+(?:-|[/~.]|\S*[/.]\S)")


def _command_words(book: RuleBook) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    return book.command_words


def has_operators(text: str) -> bool:
    if not any(mark in text for mark in _OPERATOR_MARKS):
        return False
    return _OPERATORS.search(text) is not None


def is_readonly(norm: Normalized, book: RuleBook) -> bool:
    """A single simple command that only looks at things ("ls -la", "cd src", "git log | head")."""
    _, readonly, _ = _command_words(book)
    if collapse(norm.text.rstrip(" .")) in readonly and commands.is_simple(norm):
        return True
    return commands.readonly(norm, book)


def looks_like_command(norm: Normalized, book: RuleBook) -> bool:
    """Shell operators, a path to a program, sudo, or a known program followed by an option or a path.

    "git status" and "python tutorials" stay prose here (the command rules judge real risk);
    "python app.py", "curl example.com", "./run" and "ls | sh" are commands.
    """
    if has_operators(norm.text):
        return True
    commands, _, _ = _command_words(book)
    shell = norm.shell
    first = _SEGMENT.match(shell)
    segments = [first.groups()] if first is not None else []
    if any(mark in shell for mark in ";|&(`$"):  # else one command at most, at the start
        segments += _LATER_SEGMENT.findall(shell, first.end() if first is not None else 1)
    for index, (wrapper, word, following) in enumerate(segments):
        if len(word) > 2 and (word.startswith("./") or (word.startswith(("/", "~/")) and (wrapper or following))):
            return True
        after_separator = index > 0 or first is None  # every segment but one at the very start
        if word.rsplit("/", 1)[-1] in commands and (wrapper or after_separator or _ARGUMENT.match(following)):
            return True
    return False


def _emails(text: str):
    """The matches of _EMAIL.findall(text), found from the "@"s: a match starts where the run of
    address characters in front of its "@" starts (no later start can do better)."""
    end = 0
    at = text.find("@")
    while at != -1:
        start = at
        while start > end and (text[start - 1] in _EMAIL_LOCAL_CHARS or text[start - 1].isalnum()):
            start -= 1
        found = _EMAIL.match(text, start) if start < at else None
        if found is not None:
            yield found.group()
            end = found.end()
            at = text.find("@", max(end, at + 1))
        else:
            at = text.find("@", at + 1)


def _sql_write(text: str) -> bool:
    """_SQL_WRITE.search(text) is not None."""
    return _SQL_WRITE_AT_START.match(text) is not None or _SQL_WRITE_AFTER_SEMICOLON.search(text) is not None


_ASKS_TO_TYPE = re.compile(r"\b(?:type|enter|write|escrib\w*|introduz\w*|introduc\w*|ingres\w*|saisi\w*|tape[sz]?"
                           r"|entre[sz]|ecri\w*|gib|geben|tipp\w*|ein(?:geben|tippen)|digit\w*|scriv\w*|inserisc\w*"
                           r"|escrev\w*|typ|voer)\b|введите|впишите|напишите|入力|输入|입력")


def _typed_back(raw: str, target: str) -> bool:
    """A capitalised word the box itself asks for ('Escribe ELIMINAR para continuar', 'Saisissez
    SUPPRIMER'): typing it back is the consent a type-to-confirm box wants, in any language."""
    word = raw.strip()
    return len(word) >= 3 and word.isupper() and word in target and _ASKS_TO_TYPE.search(fold(target)) is not None


def risks(norm: Normalized, *, target: str, goal: GoalView, book: RuleBook,
          allowed_domains: tuple[str, ...] = ()) -> list[str]:
    """What in this text needs the user's word, in words the user reads ([] when nothing does)."""
    found: list[str] = []
    text = norm.text
    raw_target = target
    target = target.casefold()
    routine = None
    if is_readonly(norm, book):
        pass
    elif (routine := commands.routine(norm, goal, book)) is not None:
        pass  # an everyday command whose purpose the user's message names ("run the tests": pytest)
    elif book.command_targets.search(target):
        found.append(f"text typed into {target.strip()[:40]!r}, which runs what it receives")
    elif looks_like_command(norm, book):
        found.append("a command")
    if collapse(text.rstrip(" .")).removesuffix(".exe") in book.provenance["system_tools"]:
        found.append("the name of a system tool")
    if book.secret_targets.search(fold(target)):
        found.append(f"text for {target.strip()[:40]!r}")
    elif book.confirm_targets is not None and target and book.confirm_targets.search(fold(target)):
        found.append(f"text for {target.strip()[:40]!r}, which confirms or signs in your name")
    elif raw_target and _typed_back(norm.raw, raw_target):
        found.append(f"the word {norm.raw.strip()[:40]!r} that {raw_target.strip()[:40]!r} asks to be typed to confirm")
    for _, verdict in urls.judged(norm, goal=goal.light, book=book, allowed_domains=allowed_domains):
        if verdict.verdict == "vouch":
            found.append(verdict.reason)
    # Each check below runs only when the text can match it (long prose stays cheap).
    if "@" in text:
        for email in _emails(text):
            if not goal.contains(email):
                found.append(f"the e-mail address {email}")
                break
    if _LONG_WORD.search(text):
        for token in _TOKEN.findall(norm.cased):
            if any(c.isdigit() for c in token) and any(c.isalpha() for c in token) and not goal.contains(token):
                found.append("a long code that looks like a key or an encoded payload")
                break
    if routine is None and any(word in text for word in _SQL_VERBS) and _sql_write(text):
        found.append("a database change")
    if any(word in text for word in _INJECTION_WORDS) and book.injection_finder.search(text):
        found.append("words that give instructions to an AI")
    if book.typed_commitment is not None and any(word in text for word in book.provenance["commitment_keywords"]) \
            and book.commitment_finder.search(text):
        found.append("words that move money or give consent in your name")
    return found


def check(action: dict, norm: Normalized | None, *, goal: GoalView, book: RuleBook,
          untrusted_screen: bool = False, allowed_domains: tuple[str, ...] = ()) -> LayerResult:
    if untrusted_screen and action.get("type") not in PASSIVE:
        return confirm("provenance", "provenance.untrusted_screen",
                       "the screen showed text that looks like instructions to the assistant, so every step "
                       "is confirmed")
    if norm is None:
        return allow("provenance", "provenance.no_text")
    if goal.contains(norm.raw) or goal.contains_number(norm.raw):
        return allow("provenance", "provenance.from_user")
    found = risks(norm, target=action.get("target") or "", goal=goal, book=book, allowed_domains=allowed_domains)
    if found:
        return confirm("provenance", "provenance.not_from_user",
                       f"your message does not contain {', '.join(dict.fromkeys(found))} that the plan wants to type")
    return allow("provenance", "provenance.prose")
