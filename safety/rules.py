"""Load the policy data files under safety/rules/ once, and compile them for fast matching.

The files are the policy; this module only reads them. A file that fails to load raises
`RulesError`, which the validator turns into "block everything" (fail closed).
"""
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from alphaomega.safety import normalize
from alphaomega.safety.keywords import KeywordScanner
from alphaomega.safety.prefilter import Prefiltered, split_alternatives

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

RULES_DIR = Path(__file__).resolve().parent / "rules"
VARIANTS = ("text", "shell", "squeezed", "path")
VERDICTS = ("block", "confirm")


class RulesError(Exception):
    """A rules file is missing or wrong; the message names the file and the rule."""


# `{CMD}` (where a command starts) is not matched by a regular expression at every position: the
# text gets a marker character at each command start once (normalize.mark_commands), and `{CMD}`
# becomes that literal marker, which the regex engine finds at once. Alternatives of a rule that use
# `{CMD}` are compiled separately and searched in the marked copy; the others in the plain copy.
CMD_MARK = "\x01"


@dataclass(frozen=True)
class TextRule:
    id: str
    verdict: str
    regex: re.Pattern | None  # the alternatives without {CMD}, for the plain copies
    why: str
    variants: tuple[str, ...] = ("shell",)
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    not_examples: tuple[str, ...] = ()
    keyword_set: frozenset[str] = frozenset()
    cmd_regex: re.Pattern | None = None  # the alternatives with {CMD}, for the marked copies

    def search(self, text: Any, present: dict[str, frozenset[str]] | None = None) -> re.Match | None:
        """The first match in the copies of `text` (a normalize.Normalized) this rule reads.

        `present` (keywords found per copy) skips copies where none of the rule's keywords occurs.
        """
        searched: list[str] = []
        for name in self.variants:
            value = text.variant(name)
            if any(value is seen for seen in searched):
                continue  # the same string as a copy already searched (prose: shell == text)
            searched.append(value)
            if self.keywords:
                if present is not None:
                    if self.keyword_set.isdisjoint(present[name]):
                        continue
                elif not any(k in value for k in self.keywords):
                    continue
            plain, with_cmd = self.searchers
            if plain is not None:
                found = plain.search(value)
                if found:
                    return found
            if with_cmd is not None:
                found = with_cmd.search(text.marked(name))
                if found:
                    return found
        return None

    @property
    def searchers(self) -> tuple[Prefiltered | None, Prefiltered | None]:
        """The two patterns, wrapped so that long texts are searched with the alternatives that can match."""
        cached = self.__dict__.get("_searchers")
        if cached is None:
            cached = tuple(Prefiltered(p) if p is not None else None for p in (self.regex, self.cmd_regex))
            object.__setattr__(self, "_searchers", cached)
        return cached


@dataclass(frozen=True)
class SecretRule:
    id: str
    regex: re.Pattern
    why: str
    check: str = ""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()  # lower case; the pattern is tried only when one occurs
    min_digits: int = 0
    min_run: int = 0  # every match has this many characters without a space in a row

    @property
    def finder(self) -> Prefiltered:
        """The pattern, wrapped so that long texts are searched with the alternatives that can match."""
        cached = self.__dict__.get("_finder")
        if cached is None:
            cached = Prefiltered(self.regex)
            object.__setattr__(self, "_finder", cached)
        return cached


@dataclass(frozen=True)
class HotkeyRule:
    combo: str
    modifiers: frozenset[str]
    key: str | None  # None: a bare modifier; "*": any key; "f*": any function key
    verdict: str
    why: str
    unless_goal: re.Pattern | None = None

    def matches(self, modifiers: frozenset[str], key: str | None) -> bool:
        if not self.modifiers <= modifiers:
            return False
        if self.key is None:
            return True
        if key is None:
            return False
        if self.key == "*":
            return True
        if self.key == "f*":
            return bool(re.fullmatch(r"f\d{1,2}", key))
        return self.key == key

    @property
    def specificity(self) -> tuple[int, int]:
        exact = 0 if self.key in (None, "*") else 1 if self.key == "f*" else 2
        return exact, len(self.modifiers)


@dataclass(frozen=True)
class Consequence:
    id: str
    words: re.Pattern
    goal_words: re.Pattern
    why: str
    # Used instead of goal_words when the message only asks to look ("show what is in the trash"):
    # the words that ask for the action itself, not the nouns of the place it happens in.
    goal_verbs: re.Pattern | None = None
    # Found in the message, the user did not ask for it, whatever else it says ("draft a reply").
    not_asked: re.Pattern | None = None
    # The action types it applies to (clicks and drags unless the rule names some).
    actions: tuple[str, ...] = ("click", "drag")


@dataclass(frozen=True)
class InjectionSign:
    id: str
    regex: re.Pattern
    why: str


@dataclass(frozen=True)
class RuleBook:
    block_rules: tuple[TextRule, ...]
    confirm_rules: tuple[TextRule, ...]
    secrets: tuple[SecretRule, ...]
    modifiers: frozenset[str]
    key_names: frozenset[str]
    key_aliases: dict[str, str]
    synonyms: dict[str, dict[str, str]]
    hotkeys: dict[str, tuple[HotkeyRule, ...]]
    allowed_combos: dict[str, frozenset[tuple[frozenset[str], str]]]
    urls: dict[str, Any]
    provenance: dict[str, Any]
    command_targets: re.Pattern
    secret_targets: re.Pattern
    typed_injection: re.Pattern
    consequences: tuple[Consequence, ...]
    injection_signs: tuple[InjectionSign, ...]
    # consequences.toml: a message that only asks to look; the words in front of a negated goal word.
    look_only_goal: re.Pattern | None = None
    negated_goal_word: re.Pattern | None = None
    negated_after_goal_word: re.Pattern | None = None
    runnable_file: re.Pattern | None = None
    secret_file: re.Pattern | None = None
    place_target: re.Pattern | None = None
    action_in_target: re.Pattern | None = None
    # provenance.toml: text that moves money or gives consent, typed only when the user wrote it.
    typed_commitment: re.Pattern | None = None
    # provenance.toml: confirmation and signature boxes (text typed there is the user's consent).
    confirm_targets: re.Pattern | None = None
    files: tuple[str, ...] = field(default=())
    keywords: tuple[str, ...] = field(default=())
    url_sets: dict[str, frozenset[str]] = field(default_factory=dict)
    command_words: tuple[frozenset[str], frozenset[str], frozenset[str]] = (frozenset(), frozenset(), frozenset())
    index: dict[str, "RuleIndex"] = field(default_factory=dict)

    @property
    def text_rules(self) -> tuple[TextRule, ...]:
        return self.block_rules + self.confirm_rules

    def candidates(self, verdict: str, present: dict[str, frozenset[str]]) -> list[TextRule]:
        """The rules of one verdict that may match, in file order (rules whose keywords are absent are skipped)."""
        return self.index[verdict].candidates(present)

    def present_keywords(self, copies: dict[str, str]) -> dict[str, frozenset[str]]:
        """Which rule keywords occur in the copies (all copies scanned together, in one pass).

        A keyword that starts with a letter or digit counts only at the start of a word ("rm" in
        "/bin/rm -rf", not in "perform"), and one of up to four characters only as a whole word (digits
        may follow: "pip3"); other keywords ("|", "/dev/") count anywhere. Every copy
        gets the keywords of all copies: a rule then merely gets tried on a copy where its keyword
        is missing, which costs a regex search and changes no verdict.
        """
        # Words (and symbols with a space) are looked for in the spaced copies only: the squeezed copy
        # has no word boundaries left. No word holds a space, so a later copy can add only words found
        # in its pieces (split at spaces) that the first copy lacks: those pieces are scanned, not the
        # whole copy. Other symbols: the squeezed copy holds every space-free piece of the shell copy,
        # so only the pieces of the text and path copies that the shell copy lacks are added to it.
        spaced_copies = list(dict.fromkeys(v for name, v in copies.items() if name != "squeezed"))
        spaced = "\n".join(spaced_copies)
        words = spaced_copies[0] if spaced_copies else ""
        if len(spaced_copies) > 1:
            extra = set(spaced_copies[1].split(" ")).union(*(other.split(" ") for other in spaced_copies[2:]))
            extra.difference_update(words.split(" "))
            if extra:
                words += "\n" + "\n".join(extra)
        if {"text", "shell", "squeezed", "path"} <= copies.keys():
            value = copies["squeezed"]
            if copies["text"] != copies["shell"] or copies["path"] != copies["shell"]:
                extra = set(copies["text"].split(" ")).union(copies["path"].split(" "))
                extra.difference_update(copies["shell"].split(" "))
                if extra:
                    value += "\n" + "\n".join(extra)
        else:
            value = "\n".join(dict.fromkeys(v for name, v in copies.items()
                                             if name != "shell" or "squeezed" not in copies))
        found = self.scanner.found(value, spaced, words)
        return {name: found for name in copies}

    @property
    def injection_finder(self) -> Prefiltered:
        """typed_injection, wrapped so that long texts are searched with the alternatives that can match."""
        cached = self.__dict__.get("_injection_finder")
        if cached is None:
            cached = Prefiltered(self.typed_injection)
            object.__setattr__(self, "_injection_finder", cached)
        return cached

    @property
    def commitment_finder(self) -> Prefiltered | None:
        """typed_commitment, wrapped like injection_finder (long texts: only alternatives that can match)."""
        cached = self.__dict__.get("_commitment_finder")
        if cached is None and self.typed_commitment is not None:
            cached = Prefiltered(self.typed_commitment)
            object.__setattr__(self, "_commitment_finder", cached)
        return cached

    @property
    def scanner(self) -> KeywordScanner:
        """The keywords compiled for one-pass scanning (built once per rule book)."""
        cached = self.__dict__.get("_scanner")
        if cached is None:
            cached = KeywordScanner(self.keywords)
            object.__setattr__(self, "_scanner", cached)
        return cached


class RuleIndex:
    """Rules of one verdict, indexed by keyword so that most rules are never tried."""

    def __init__(self, rules: tuple[TextRule, ...]):
        self.rules = rules
        self.always = [i for i, rule in enumerate(rules) if not rule.keywords]
        self.by_keyword: dict[str, list[int]] = {}
        for i, rule in enumerate(rules):
            for keyword in rule.keywords:
                self.by_keyword.setdefault(keyword, []).append(i)

    def candidates(self, present: dict[str, frozenset[str]]) -> list[TextRule]:
        found = set(self.always)
        for keywords in {id(v): v for v in present.values()}.values():
            for keyword in keywords:
                found.update(self.by_keyword.get(keyword, ()))
        return [self.rules[i] for i in sorted(found)]


def _read(name: str) -> dict[str, Any]:
    path = RULES_DIR / name
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RulesError(f"{path}: {exc}") from exc


def _compile(pattern: str, where: str, flags: int = 0) -> re.Pattern:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise RulesError(f"{where}: bad regular expression: {exc}") from exc


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for name, value in macros.items():
        pattern = pattern.replace("{" + name + "}", value)
    return pattern


def _text_rules(entries: list[dict], macros: dict[str, str], source: str) -> list[TextRule]:
    rules = []
    for entry in entries:
        where = f"{source} rule {entry.get('id', '?')}"
        verdict = entry.get("verdict")
        if verdict not in VERDICTS or not entry.get("id") or not entry.get("pattern") or not entry.get("why"):
            raise RulesError(f"{where}: needs id, verdict (block|confirm), pattern and why")
        variants = tuple(entry.get("variants", ["shell"]))
        if not set(variants) <= set(VARIANTS):
            raise RulesError(f"{where}: unknown variant in {variants}; use {VARIANTS}")
        _compile(_expand(entry["pattern"], macros), where)  # the whole pattern must be valid as written
        alternatives = split_alternatives(entry["pattern"])
        plain = [a for a in alternatives if "{CMD}" not in a]
        with_cmd = [a for a in alternatives if "{CMD}" in a]
        cmd_macros = {**macros, "CMD": re.escape(CMD_MARK) + r"(?:[\w.~-]*/)*"}
        rules.append(TextRule(
            id=entry["id"], verdict=verdict,
            regex=_compile(_expand("|".join(plain), macros), where) if plain else None,
            why=entry["why"], variants=variants, keywords=tuple(entry.get("keywords", ())),
            examples=tuple(entry.get("examples", ())), not_examples=tuple(entry.get("not_examples", ())),
            keyword_set=frozenset(entry.get("keywords", ())),
            cmd_regex=_compile(_expand("|".join(with_cmd), cmd_macros), where) if with_cmd else None))
    return rules


def parse_combo(combo: str) -> tuple[frozenset[str], str | None]:
    """"ctrl+alt+f*" -> ({ctrl, alt}, "f*"); "ctrl++" -> ({ctrl}, "+"); "win" -> ({win}, None)."""
    if combo.endswith("++"):
        parts, key = combo[:-2].split("+"), "+"
    else:
        parts = combo.split("+")
        key = parts.pop()
    mods = frozenset(p for p in parts if p)
    return mods, key


def _hotkeys(data: dict[str, Any]) -> tuple[dict, dict, frozenset, frozenset]:
    modifiers = frozenset(data["keys"]["modifiers"])
    per_platform: dict[str, tuple[HotkeyRule, ...]] = {}
    for platform in ("linux", "windows", "macos"):
        rules = []
        for entry in data.get(platform, []):
            where = f"hotkeys.toml {platform} {entry.get('combo')}"
            if entry.get("verdict") not in VERDICTS or not entry.get("why"):
                raise RulesError(f"{where}: needs verdict (block|confirm) and why")
            mods, key = parse_combo(entry["combo"])
            if key in modifiers:
                mods, key = mods | {key}, None
            unless = entry.get("unless_goal")
            rules.append(HotkeyRule(entry["combo"], mods, key, entry["verdict"], entry["why"],
                                    _compile(unless, where) if unless else None))
        per_platform[platform] = tuple(rules)
    allowed: dict[str, frozenset] = {}
    for platform in ("linux", "windows", "macos"):
        combos = list(data["allow"].get("any", [])) + list(data["allow"].get(platform, []))
        allowed[platform] = frozenset(parse_combo(c) for c in combos)
    return per_platform, allowed, modifiers, frozenset(data["keys"]["named"])


@lru_cache(maxsize=1)
def load() -> RuleBook:
    text = _read("text.toml")
    paths = _read("paths.toml")
    secrets = _read("secrets.toml")
    hotkeys = _read("hotkeys.toml")
    urls = _read("urls.toml")
    provenance = _read("provenance.toml")
    consequences = _read("consequences.toml")
    injection = _read("injection.toml")

    macros = dict(text.get("macros", {}))
    boundary = r"(?<![\w.~-])"
    macros["SENSITIVE_PATH"] = boundary + "(?:" + "|".join(paths["sensitive"]) + ")"
    macros["CREDENTIAL_PATH"] = boundary + "(?:" + "|".join(paths["credential"]) + ")"
    for name, value in list(macros.items()):  # macros may use each other (one level)
        macros[name] = _expand(value, {k: v for k, v in macros.items() if k != name})

    path_rules = [{**entry, "variants": entry.get("variants", ["path"])} for entry in paths.get("rule", [])]
    all_rules = _text_rules(text.get("rule", []), macros, "text.toml") + _text_rules(path_rules, macros, "paths.toml")
    ids = [rule.id for rule in all_rules]
    if len(ids) != len(set(ids)):
        raise RulesError(f"duplicate rule ids: {sorted({i for i in ids if ids.count(i) > 1})}")

    secret_rules = tuple(
        SecretRule(entry["id"], _compile(entry["pattern"], f"secrets.toml {entry['id']}"), entry["why"],
                   entry.get("check", ""), tuple(entry.get("examples", ())), tuple(entry.get("keywords", ())),
                   int(entry.get("min_digits", 0)), int(entry.get("min_run", 0)))
        for entry in secrets.get("secret", []))
    hotkey_rules, allowed, modifiers, named = _hotkeys(hotkeys)
    for rule in all_rules:
        rule.searchers  # noqa: B018 - parse the alternatives now, not during the first long text
    for secret in secret_rules:
        secret.finder  # noqa: B018
    normalize.prepare()  # its Unicode tables too
    block_rules = tuple(r for r in all_rules if r.verdict == "block")
    confirm_rules = tuple(r for r in all_rules if r.verdict == "confirm")
    return RuleBook(
        block_rules=block_rules,
        confirm_rules=confirm_rules,
        secrets=secret_rules,
        modifiers=modifiers,
        key_names=named,
        key_aliases=dict(hotkeys.get("aliases", {})),
        synonyms={k: dict(v) for k, v in hotkeys.get("synonyms", {}).items()},
        hotkeys=hotkey_rules,
        allowed_combos=allowed,
        urls=urls,
        provenance=provenance,
        command_targets=_compile(provenance["command_targets"], "provenance.toml command_targets"),
        secret_targets=_compile(provenance["secret_targets"], "provenance.toml secret_targets"),
        typed_injection=_compile(provenance["injection_phrases"], "provenance.toml injection_phrases"),
        consequences=tuple(
            Consequence(e["id"], _compile(e["words"], e["id"]), _compile(e["goal_words"], e["id"]), e["why"],
                        _compile(e["goal_verbs"], e["id"]) if "goal_verbs" in e else None,
                        _compile(e["not_asked"], e["id"]) if "not_asked" in e else None,
                        tuple(e.get("actions", ("click", "drag"))))
            for e in consequences.get("consequence", [])),
        look_only_goal=_compile(consequences["look_only_goal"], "consequences.toml look_only_goal"),
        negated_goal_word=_compile(consequences["negated_goal_word"], "consequences.toml negated_goal_word"),
        negated_after_goal_word=_compile(consequences["negated_after_goal_word"],
                                         "consequences.toml negated_after_goal_word"),
        runnable_file=_compile(consequences["runnable_file"], "consequences.toml runnable_file"),
        secret_file=_compile(consequences["secret_file"], "consequences.toml secret_file")
        if "secret_file" in consequences else None,
        place_target=_compile(consequences["place_target"], "consequences.toml place_target"),
        action_in_target=_compile(consequences["action_in_target"], "consequences.toml action_in_target"),
        confirm_targets=_compile(provenance["confirm_targets"], "provenance.toml confirm_targets"),
        typed_commitment=_compile(provenance["commitment_phrases"], "provenance.toml commitment_phrases"),
        injection_signs=tuple(
            InjectionSign(e["id"], _compile(e["pattern"], e["id"], re.DOTALL), e["why"])
            for e in injection.get("sign", [])),
        files=tuple(sorted(p.name for p in RULES_DIR.glob("*.toml"))),
        keywords=tuple(sorted({k for rule in all_rules for k in rule.keywords})),
        url_sets={key: frozenset(value) for key, value in urls.items() if isinstance(value, list)},
        command_words=(frozenset(provenance["commands"]), frozenset(provenance["readonly"]),
                       frozenset(provenance["readonly_commands"])),
        index={"block": RuleIndex(block_rules), "confirm": RuleIndex(confirm_rules)},
    )
