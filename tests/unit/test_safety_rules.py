"""The rules files: they load, every rule's examples match it, its counter-examples do not,
and the normalisation behind them sees through the usual disguises."""
import json

import pytest

from alphaomega.safety import rules
from alphaomega.safety.normalize import Normalized
from alphaomega.safety.schema import StrictValidator, plan_schema, plan_validator
from alphaomega.safety.text_policy import copies, iban, luhn, secrets_in

BOOK = rules.load()


def _examples(kind: str):
    for rule in BOOK.text_rules:
        for example in getattr(rule, kind):
            yield pytest.param(rule, example, id=f"{rule.id}:{example[:40]}")


def _matches_through_the_index(rule, text: str) -> bool:
    """As the validator matches: keywords found per copy, then only the candidate rules are tried."""
    norm = Normalized(text)
    present = BOOK.present_keywords(copies(norm))
    return rule in BOOK.candidates(rule.verdict, present) and bool(rule.search(norm, present))


@pytest.mark.parametrize("rule,example", list(_examples("examples")))
def test_every_rule_matches_its_examples(rule, example):
    assert rule.search(Normalized(example)), f"{rule.id} misses {example!r}"
    assert _matches_through_the_index(rule, example), f"{rule.id}: its keywords miss {example!r}"


@pytest.mark.parametrize("rule,example", list(_examples("not_examples")))
def test_no_rule_matches_its_counter_examples(rule, example):
    assert not rule.search(Normalized(example)), f"{rule.id} wrongly matches {example!r}"


@pytest.mark.parametrize("secret", BOOK.secrets, ids=lambda s: s.id)
def test_every_secret_rule_matches_its_examples(secret):
    assert secret.examples
    for example in secret.examples:
        found = [rule.id for rule, _ in secrets_in(Normalized(example).cased, BOOK)]
        assert secret.id in found, example


def test_every_rule_has_examples_and_a_reason():
    for rule in BOOK.text_rules:
        assert rule.examples, rule.id
        assert rule.why and not rule.why.endswith("."), rule.id


def test_rule_files_are_listed():
    assert {"text.toml", "paths.toml", "secrets.toml", "hotkeys.toml", "urls.toml", "provenance.toml",
            "consequences.toml", "injection.toml"} <= set(BOOK.files)


def test_the_schema_is_a_valid_draft_2020_12_schema():
    StrictValidator.check_schema(plan_schema())
    plan = {"version": "1", "screenshot_id": "ab" * 8, "actions": [{"type": "click", "x": 1, "y": 2, "target": "OK"}]}
    assert plan_validator().is_valid(plan)
    assert not plan_validator().is_valid({**plan, "actions": [{"type": "wait", "seconds": 1}] * 6})


def test_homoglyph_table_maps_common_cyrillic_and_greek_letters():
    table = json.loads((rules.RULES_DIR / "homoglyphs.json").read_text("utf-8"))["fold"]
    for char, ascii_char in {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "ѕ": "s", "і": "i",
                             "ο": "o", "м": "m", "—": "-"}.items():
        assert table[char] == ascii_char


@pytest.mark.parametrize("disguised", [
    "RM -RF /", "rm\u00a0-rf\u00a0/", "r\u200bm -rf /", "rм -rf /", "ｒｍ -ｒｆ /", "r''m -rf /", "r\\m -rf /",
    "rm${IFS}-rf${IFS}/", "{rm,-rf,/}", "$(echo rm) -rf /", "r m -rf /", "𝐫𝐦 -𝐫𝐟 /", "rm —rf /", "r\u0301m -rf /",
])
def test_normalisation_undoes_disguises(disguised):
    assert "rm -rf /" in (Normalized(disguised).shell, Normalized(disguised).text)


def test_invisible_characters_are_reported_but_emoji_joiners_are_not():
    assert Normalized("a\u200bb").invisible == ("U+200B",)
    assert Normalized("👨\u200d👩\u200d👧").invisible == ()
    assert Normalized("x\U000e0072\U000e006d").tag_text == "rm"


def test_home_folder_spellings_become_tilde():
    for spelling in ("$HOME/.ssh", "${HOME}/.ssh", "/home/alice/.ssh", "/Users/alice/.ssh", "%USERPROFILE%\\.ssh",
                     "C:\\Users\\alice\\.ssh"):
        assert Normalized(spelling).path.endswith("~/.ssh"), spelling


def test_checksums():
    assert luhn("4111 1111 1111 1111") and not luhn("4111 1111 1111 1112") and not luhn("0000 0000 0000 0000")
    assert iban("DE89 3704 0044 0532 0130 00") and not iban("DE89 3704 0044 0532 0130 01")
