"""Ordinary commands, prose, and the speed-ups that must not change any verdict.

commands.py decides when a command or a mention of one is no reason to ask; prefilter.py,
keywords.py and the fast path of normalize.mark_commands make long texts cheaper and are checked
here against plain reference implementations on many texts.
"""
import random
import re

import pytest

from alphaomega.safety import commands, rules, text_policy
from alphaomega.safety.goal import goal_view
from alphaomega.safety.keywords import KeywordScanner
from alphaomega.safety.normalize import _SEPARATOR, _STEP, CMD_MARK, Normalized, mark_commands
from alphaomega.safety.prefilter import Prefiltered, literal_first, required_literals
from tests.unit import safety_cases

BOOK = rules.load()


def _texts() -> list[str]:
    """Every typed text of the tuning table and every rule example (not the blind sets)."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, dict) and isinstance(value.get("text"), str):
            found.add(value["text"])
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            found.add(value)

    for value in vars(safety_cases).values():
        walk(value)
    for rule in BOOK.text_rules:
        found.update(rule.examples)
        found.update(rule.not_examples)
    return sorted(found)


TEXTS = _texts()
PADDING = "Dear team, thanks for the update on the release; please review the notes before Friday. "


@pytest.mark.parametrize("text", ["ls -la", "git log --oneline | head -5", "df -h", "cat README.md",
                                  "find . -name '*.py'", "docker ps", "SELECT id FROM users;", "pip list"])
def test_read_only_commands(text):
    assert commands.readonly(Normalized(text), BOOK)


@pytest.mark.parametrize("text", ["ls; python3 x.py", "cat x | sh", "echo hi > ~/.bashrc", "find . -delete",
                                  "find / -exec rm {} +", "git config core.pager 'sh -c x'", "ls && rm -rf ~",
                                  "SELECT * INTO OUTFILE '/tmp/x' FROM users", "git diff --output=/etc/x"])
def test_commands_that_do_more_than_look(text):
    assert not commands.readonly(Normalized(text), BOOK)


@pytest.mark.parametrize("text,goal", [
    ("pytest", "run the tests"), ("git push", "push my commits"), ("python3 app.py", "start app.py"),
    ("npm run build", "build the frontend"), ("mv a.txt b.txt", "rename a.txt"),
    ("UPDATE users SET name = 'x' WHERE id = 3;", "rename user 3"),
])
def test_routines_need_a_goal_that_names_their_purpose(text, goal):
    norm = Normalized(text)
    assert commands.routine(norm, goal_view(goal), BOOK)
    assert commands.routine(norm, goal_view("summarize this web page"), BOOK) is None


@pytest.mark.parametrize("text,goal", [
    ("python3 -m http.server 80 --directory /", "serve this folder"),
    ("tar -xzf a.tar.gz -C /", "extract a.tar.gz"), ("cp a.txt ../../x", "copy a.txt"),
    ("mv a.txt ~/.bashrc", "move a.txt"), ("git push; rm -rf ~", "push"), ("python3 /tmp/x.py", "run x.py"),
    ("UPDATE users SET admin = 1 WHERE 1 = 1", "update users"), ("DELETE FROM users", "delete users"),
])
def test_routines_stay_in_the_current_folder_and_simple(text, goal):
    assert commands.routine(Normalized(text), goal_view(goal), BOOK) is None


@pytest.mark.parametrize("text,prose", [
    ("what does sudo mean", True), ("Remember to sudo carefully.", True), ("please reboot now", True),
    ("sudo reboot", False), ("gem install evil", False), ("poetry run rm -r x", False),
    ("Note: sudo rm x", False), ("what; sudo reboot", False), ("what | sudo sh", False), ("time sudo x", False),
])
def test_prose_is_text_whose_first_word_runs_nothing(text, prose):
    assert commands.reads_as_prose(Normalized(text), BOOK) is prose


def test_asked_to_write_needs_the_users_words_and_no_request_to_run():
    norm = Normalized("sudo vs su")
    assert commands.asked_to_write(norm, "sudo", goal_view("search the difference between sudo and su"), BOOK)
    assert not commands.asked_to_write(norm, "sudo", goal_view("run sudo vs su in the terminal"), BOOK)
    assert not commands.asked_to_write(norm, "sudo", goal_view("tell me a joke"), BOOK)
    long_command = Normalized("sudo rm -rf build")
    assert not commands.asked_to_write(long_command, "sudo", goal_view("google sudo"), BOOK)


def _slow_marks(value: str) -> str:
    """mark_commands without its fast path (the definition)."""
    marks = set()
    for separator in _SEPARATOR.finditer(value):
        position = separator.end()
        while True:
            marks.add(position)
            step = _STEP.match(value, position)
            if step is None or step.end() == position:
                break
            position = step.end()
    pieces, last = [], 0
    for position in sorted(marks):
        pieces.append(value[last:position])
        last = position
    pieces.append(value[last:])
    return CMD_MARK.join(pieces)


def test_mark_commands_fast_path_marks_the_same_places():
    rng = random.Random(11)
    texts = TEXTS + [rng.choice([" ; ", " && ", " | ", "(", "`", "$(", " { ", "!"]).join(rng.sample(TEXTS, 3))
                     for _ in range(3000)]
    for text in texts:
        norm = Normalized(text)
        for value in {norm.text, norm.shell}:
            assert mark_commands(value) == _slow_marks(value), value


def _reference_keywords(copies: dict[str, str]) -> frozenset[str]:
    """Which keywords occur, one by one (the meaning KeywordScanner implements in one pass)."""
    value = "\n".join(copies.values())
    spaced = "\n".join(v for name, v in copies.items() if name != "squeezed")
    found = set()
    for keyword in BOOK.keywords:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]+", keyword):
            if keyword in value:
                found.add(keyword)
            continue
        ending = r"(?![a-z])" if len(keyword) <= 4 and keyword.isalnum() else ""
        if re.search(r"(?<![a-z0-9])" + re.escape(keyword) + ending, spaced):
            found.add(keyword)
    return frozenset(found)


def test_keyword_scanner_finds_what_a_keyword_by_keyword_search_finds():
    rng = random.Random(5)
    texts = TEXTS + [rng.choice(TEXTS) + rng.choice([" ", "-", ".", "_", "/", ""]) + rng.choice(TEXTS)
                     for _ in range(2000)]
    for text in texts:
        copies = text_policy.copies(Normalized(text))
        assert BOOK.present_keywords(copies)["text"] == _reference_keywords(copies), text


def test_keyword_scanner_counts_short_words_only_whole():
    scanner = KeywordScanner(["sh", "pip", "pip3", "shred", "set-"])
    assert scanner.found("should dashboard", "should dashboard") == frozenset()
    assert scanner.found("pip3 install; x | sh", "pip3 install; x | sh") == {"pip", "pip3", "sh"}
    assert scanner.found("shred x; set-mppreference", "shred x; set-mppreference") == {"shred", "set-"}


def test_required_literals():
    assert required_literals(r"\bpython[\d.]*\s+-c") == ("python",)
    assert set(required_literals(r"\b(?:shred|srm)\s")) == {"shred", "srm"}
    assert required_literals(r"(?:a|\d)x") == ("x",)
    assert required_literals(r"(?i:SeCret)\s*=") == ("secret",)  # case-blind parts in lower case
    assert set(required_literals(r"\b(?i:AKIA|ASIA)\d")) == {"akia", "asia"}
    assert required_literals(r"[a-z]+") == ()


def test_prefiltered_rules_find_what_the_whole_pattern_finds_on_long_texts():
    rng = random.Random(7)
    texts = [PADDING * 2 + t for t in TEXTS[::3]] + [t + " " + PADDING * 2 for t in TEXTS[1::3]]
    texts += [" ; ".join(rng.sample(TEXTS, 4)) + " " + PADDING for _ in range(300)]
    for text in texts:
        norm = Normalized(text)
        for rule in BOOK.text_rules:
            for name in rule.variants:
                for searcher, value in ((rule.searchers[0], norm.variant(name)),
                                        (rule.searchers[1], norm.marked(name))):
                    if searcher is None:
                        continue
                    fast, whole = searcher.search(value), searcher.whole.search(value)
                    assert (fast is None) == (whole is None), (rule.id, text)
                    assert fast is None or fast.span() == whole.span(), (rule.id, text)


def test_literal_first_keeps_the_meaning_of_a_leading_word_boundary():
    rng = random.Random(3)
    alphabet = "pyth on-_x. é\u00e9Pab3"
    for part in (r"\bpython\s*x", r"\bab?c", r"\bpy_th-on", r"\bon\b"):
        fast, slow = re.compile(literal_first(part)), re.compile(part)
        for _ in range(20000):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)], (part, text)
    assert literal_first(r"\b(?:a|b)") == r"\b(?:a|b)"
    assert literal_first(r"\bx+y") == r"\bx+y"


def test_prefiltered_single_alternative_skips_when_its_literal_is_absent():
    searcher = Prefiltered(re.compile(r"\bcat\b[^;]*/etc/shadow"))
    assert searcher.search(PADDING * 3) is None
    assert searcher.search(PADDING * 3 + "cat /etc/shadow") is not None


@pytest.mark.parametrize("secret", [s for s in BOOK.secrets if s.min_run], ids=lambda s: s.id)
def test_secret_min_run_is_not_longer_than_any_match(secret):
    for example in secret.examples:
        for match in secret.regex.finditer(example):
            assert all(len(word) >= secret.min_run for word in match.group(0).split()) or " " in match.group(0)
            assert max(map(len, match.group(0).split())) >= secret.min_run


def test_prefiltered_secrets_find_every_match_the_whole_pattern_finds():
    """Case-blind parts too: İ ı K (Kelvin) ſ match i, k, s under IGNORECASE and are folded alike."""
    odd = str.maketrans({"i": "\u0131", "I": "\u0130", "k": "\u212a", "s": "\u017f"})
    samples = [example for secret in BOOK.secrets for example in secret.examples] + TEXTS[::5]
    variants = []
    for sample in samples:
        variants += [sample, sample.upper(), sample.lower(), sample.swapcase(), sample.translate(odd)]
    for variant in variants:
        for text in (PADDING * 2 + variant, variant + " " + PADDING * 2, PADDING + variant + " " + PADDING):
            for secret in BOOK.secrets:
                fast = [m.span() for m in secret.finder.finditer(text)]
                assert fast == [m.span() for m in secret.regex.finditer(text)], (secret.id, text)
