"""The typed-text layer: destructive commands, secrets, sensitive paths and dangerous addresses.

Rules come from rules/text.toml, paths.toml, secrets.toml and urls.toml, and are matched against
the normalised copies of the text (see normalize.py), so case, spacing, quoting, look-alike letters
and invisible characters do not hide a command. Encoded payloads (base64) are decoded once and
checked too.
"""
import base64
import binascii
import re

from alphaomega.safety import commands, urls
from alphaomega.safety.decision import LayerResult, allow, block, confirm
from alphaomega.safety.goal import GoalView
from alphaomega.safety.normalize import Normalized, collapse
from alphaomega.safety.rules import RuleBook, SecretRule

_DIGITS = re.compile(r"\d")
_BASE64_TOKEN = re.compile(r"(?<![\w+/=-])[A-Za-z0-9+/_-]{8,}={0,2}(?![\w+/=-])")
# A capital letter and a digit in one run of the characters around a base64 token (either order).
_CAPITAL_AND_DIGIT = re.compile(r"[A-Z][\w+/=-]*?\d|\d[\w+/=-]*?[A-Z]")


def copies(norm: Normalized) -> dict[str, str]:
    cached = norm.__dict__.get("_copies")
    if cached is None:
        cached = norm.__dict__["_copies"] = {"text": norm.text, "shell": norm.shell, "squeezed": norm.squeezed,
                                             "path": norm.path}
    return cached


def first_match(verdict: str, norm: Normalized, book: RuleBook) -> tuple[object, re.Match] | None:
    """The first rule of this verdict (in file order) that matches any copy of the text it reads."""
    values = copies(norm)
    present = norm.__dict__.get("_present")
    if present is None:
        present = norm.__dict__["_present"] = book.present_keywords(values)
    for rule in book.candidates(verdict, present):
        found = rule.search(norm, present)
        if found:
            return rule, found
    return None


def luhn(digits: str) -> bool:
    numbers = [int(d) for d in digits if d.isdigit()]
    if not 13 <= len(numbers) <= 19 or len(set(numbers)) == 1:
        return False
    total = 0
    for index, number in enumerate(reversed(numbers)):
        if index % 2:
            number *= 2
            number -= 9 if number > 9 else 0
        total += number
    return total % 10 == 0


def iban(value: str) -> bool:
    compact = value.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    try:
        return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1
    except ValueError:
        return False


def secrets_in(cased: str, book: RuleBook, digits: int = -1, longest: int = -1) -> list[tuple[SecretRule, str]]:
    """Every secret-looking string in the (case-kept) normalised text. `digits` (how many) and
    `longest` (the longest run without a space) may be given when known; else they are counted."""
    found = []
    if digits < 0:
        digits = sum(map(cased.count, "0123456789"))
    lowered = ""
    for rule in book.secrets:
        if digits < rule.min_digits:
            continue
        if rule.min_run:
            if longest < 0:
                longest = max(map(len, cased.split()), default=0)
            if longest < rule.min_run:
                continue
        if rule.keywords:
            lowered = lowered or cased.casefold()
            for keyword in rule.keywords:
                if keyword in lowered:
                    break
            else:
                continue
        for match in rule.finder.finditer(cased):
            value = match.group(0)
            if rule.check == "luhn" and not luhn(value):
                continue
            if rule.check == "iban" and not iban(value):
                continue
            found.append((rule, value))
    return found


def _decoded_payloads(cased: str) -> list[str]:
    """Base64 tokens that decode to readable text (a classic way to smuggle a command past filters)."""
    if "=" not in cased and _CAPITAL_AND_DIGIT.search(cased) is None:
        return []  # every token would be skipped below: none ends with "=" or mixes capitals and digits
    payloads = []
    for token in _BASE64_TOKEN.findall(cased):
        if token[-1] != "=" and (token.isalpha() or token.lower() == token or not _DIGITS.search(token)):
            continue  # ordinary words and snake_case names are not base64 (it has digits and capitals)
        padded = token + "=" * (-len(token) % 4)
        try:
            raw = base64.b64decode(padded, altchars=b"-_" if ("-" in token or "_" in token) else None)
        except (binascii.Error, ValueError):
            continue
        for encoding in ("utf-8", "utf-16-le"):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            printable = sum(c.isprintable() or c in "\n\t" for c in text)
            if text and printable / len(text) > 0.9:
                payloads.append(text)
                break
    return payloads


# Confirm-level rules about running a command. They need not ask about prose that only mentions a
# command ("what does sudo mean": typed into a shell, nothing of it runs), nor about words the user
# asked to search for or write ("search sudo vs su"). Block rules, paths, SQL and code always apply.
_COMMAND_RULES = ("shell.", "windows.", "macos.")


def confirm_match(norm: Normalized, book: RuleBook, goal: GoalView, target: str) -> object | None:
    """The first confirm rule that matches, passing over command rules where the text is not a command."""
    values = copies(norm)
    present = norm.__dict__.get("_present")
    if present is None:
        present = norm.__dict__["_present"] = book.present_keywords(values)
    prose: bool | None = None
    for rule in book.candidates("confirm", present):
        found = rule.search(norm, present)
        if not found:
            continue
        if rule.id.startswith(_COMMAND_RULES):
            if prose is None:
                prose = commands.reads_as_prose(norm, book)
            if prose:
                continue
            if not book.command_targets.search(target.casefold()) and \
                    commands.asked_to_write(norm, found.group(0), goal, book):
                continue
        return rule
    return None


def check(norm: Normalized, *, goal: GoalView, book: RuleBook, allowed_domains: tuple[str, ...] = (),
          target: str = "") -> LayerResult:
    hit = first_match("block", norm, book)
    if hit:
        rule, _ = hit
        return block("text", rule.id, f"the text {rule.why}")
    address_problem: LayerResult | None = None
    for _, verdict in urls.judged(norm, goal=goal.light, book=book, allowed_domains=allowed_domains):
        if verdict.verdict == "block":
            return block("text", verdict.rule, f"the text contains an address that {verdict.reason}"
                         if verdict.reason.startswith("a ") else verdict.reason)
        if verdict.verdict == "confirm" and address_problem is None:
            address_problem = confirm("text", verdict.rule, verdict.reason)
    # The variants have the same digits, and the collapsed one (if any) the same runs without a space.
    variants = norm.cased_variants
    digits = sum(map(variants[0].count, "0123456789"))
    longest = max(map(len, variants[0].split()), default=0)
    collapsed = collapse(variants[0]) if len(variants) > 1 else variants[0]
    for cased in variants:
        if cased is not variants[0] and cased != collapsed:
            longest = -1
        for rule, value in secrets_in(cased, book, digits, longest):
            if value not in goal.raw and value.casefold() not in goal.light and not goal.contains_number(value):
                return block("text", rule.id, f"the text contains {rule.why}, which you did not give in your message")
    if len(norm.cased) >= 8 and ("=" in norm.cased or _DIGITS.search(norm.cased)):
        for payload in _decoded_payloads(norm.cased):
            inner = Normalized(payload)
            hit = first_match("block", inner, book)
            if hit:
                return block("text", f"encoded.{hit[0].id}", f"the text hides an encoded command that {hit[0].why}")
    rule = confirm_match(norm, book, goal, target)
    if rule is not None:
        return confirm("text", rule.id, f"the text {rule.why}")
    if address_problem is not None:
        return address_problem
    if norm.invisible:
        return confirm("text", "text.invisible_characters",
                       f"the text hides invisible characters ({', '.join(norm.invisible[:4])})")
    if norm.mixed_script_words:
        return confirm("text", "text.lookalike_letters",
                       f"the text mixes look-alike letters from different alphabets ({norm.mixed_script_words[0]!r})")
    return allow("text", "text.no_rule_matched")
