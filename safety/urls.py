"""Find web addresses in typed text and judge them (rules/urls.toml).

Blocked schemes (javascript:, file:, data:...) and request-catching services are refused outright.
Any other host must be well known, named by the user, or allowed by the admin; hosts that hide
where they lead (IP addresses, punycode, non-ASCII look-alikes, user@host tricks, shorteners) are
confirmed even then.
"""
import html
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import unquote

from alphaomega.safety.rules import RuleBook

# Top-level domains that count for bare names such as "example.com" (file extensions such as
# .py, .sh, .md are left out on purpose: "setup.py" is a file, not a site).
_TLDS = ("com|net|org|edu|gov|mil|int|io|ai|app|dev|co|me|info|biz|xyz|site|online|store|shop|tech|cloud|blog|news|"
         "page|link|live|tv|fm|gg|ly|to|uk|us|ca|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|pl|cz|pt|ie|ru|ua|cn|jp|kr|in|"
         "br|mx|ar|au|nz|za|eu|asia|top|win|club|work|ws|cc|su|ir|tk|ml|ga|cf|gq|icu|zip|mov|lol|click|download|onion")
_SCHEME_URL = re.compile(r"(?<![\w.+-])([a-z][a-z0-9+.-]{1,30}):(?!\s)(//)?([^\s<>\"'`]*)")
_BARE_HOST = re.compile(
    rf"(?<![\w@./-])((?:www\.)?(?:[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff-]{{0,61}}[a-z0-9\u00a1-\uffff])?\.)+"
    rf"(?:{_TLDS}|xn--[a-z0-9-]+))(?=[/:?#\s]|$|[.,;!)])(\S*)")
_NOT_SCHEMES = {"c", "d", "e"}
# Where a bare host can end: a dot, a top-level domain, then what _BARE_HOST allows after it. Every
# bare host contains this, and it is far cheaper to look for than a host (code is full of dots).
_TLD_END = re.compile(rf"[a-z0-9\u00a1-\uffff-]\.(?:{_TLDS}|xn--[a-z0-9-]+)(?=[/:?#\s]|$|[.,;!)])")
# The same places, written to start with the dot (the engine then jumps from dot to dot).
_DOT_TLD = re.compile(rf"\.(?<=[a-z0-9\u00a1-\uffff-]\.)(?:{_TLDS}|xn--[a-z0-9-]+)(?=[/:?#\s]|$|[.,;!)])")
# Characters of a scheme (before its ":") and of a bare host (before its top-level domain).
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789+.-")
_ASCII_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")  # and U+00A1-U+FFFF
_LONGEST_WALK = 64


@dataclass(frozen=True)
class Url:
    raw: str
    scheme: str  # "" for a bare host such as example.com
    host: str
    userinfo: bool = False


@dataclass(frozen=True)
class UrlVerdict:
    verdict: str  # "block" | "confirm" | "vouch" (needs the user's word) | "ok"
    rule: str
    reason: str


def find(text: str) -> list[Url]:
    """Addresses in lower-cased, normalised text (HTML entities and %-escapes in schemes undone)."""
    if ":" not in text and "." not in text and "&" not in text and "%" not in text:
        return []
    unescaped = html.unescape(text) if "&" in text else text
    if "%" in unescaped:
        unescaped = unquote(unescaped)
    if unescaped is not text:
        unescaped = re.sub(r"[\x00-\x20\x7f]+(?=[a-z]*:)", "", unescaped)  # "java&#9;script:" is javascript:
    found: list[Url] = []
    spans: list[tuple[int, int]] = []
    for match in (_scheme_urls(unescaped) if ":" in unescaped else ()):
        scheme, slashes, rest = match.group(1), match.group(2), match.group(3)
        if scheme in _NOT_SCHEMES and not slashes:
            continue
        if not slashes and scheme not in ("javascript", "vbscript", "livescript", "data", "mailto", "tel", "sms",
                                          "about", "blob", "intent", "jar", "mhtml", "res", "shell") \
                and not scheme.startswith("ms-") and not scheme.startswith("x-") and not scheme.startswith("search"):
            continue  # "note:", "time: 3pm" and the like are not addresses
        authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0] if slashes else ""
        userinfo = "@" in authority
        host = authority.rsplit("@", 1)[-1]
        host = host[1:].split("]", 1)[0] if host.startswith("[") else host.split(":", 1)[0]
        found.append(Url(match.group(0), scheme, host.strip(".").lower(), userinfo))
        spans.append(match.span())
    if not _DOT_TLD.search(unescaped):  # "example.com" needs a dot and a top-level domain
        return found
    for match in _bare_hosts(unescaped):
        if any(start <= match.start() < end for start, end in spans):
            continue
        found.append(Url(match.group(0), "", match.group(1).lower()))
    return found


def _scheme_urls(text: str):
    """The matches of _SCHEME_URL.finditer(text), found from the colons.

    A match's scheme is the whole run of scheme characters in front of its colon (the character
    before it may be none of them), so each colon has one possible start, tried with match()."""
    end = 0
    colon = text.find(":")
    while colon != -1:
        start = colon
        while start > 0 and text[start - 1] in _SCHEME_CHARS and colon - start <= 31:
            start -= 1
        if start >= end and 2 <= colon - start <= 31:
            found = _SCHEME_URL.match(text, start)
            if found is not None:
                yield found
                end = found.end()
                colon = text.find(":", max(end, colon + 1))
                continue
        colon = text.find(":", colon + 1)


def _bare_hosts(text: str):
    """The matches of _BARE_HOST.finditer(text), tried only where one can start.

    A bare host consists of host characters up to a _DOT_TLD place. So the next match starts in
    the run of host characters in front of the next such place (or later), and there only at the
    run's start or behind a character the look-behind lets pass (a non-ASCII one that is no
    letter or digit, such as a curly quote). Each of those few places is tried with match()."""
    position = 0
    while True:
        dot = _DOT_TLD.search(text, position)
        if dot is None:
            return
        end = dot.start()
        starts = []  # right to left
        start = end
        while start > position:
            char = text[start - 1]
            if char not in _ASCII_HOST_CHARS:
                if not "\u00a1" <= char <= "\uffff":
                    break
                if not char.isalnum():
                    starts.append(start)
            start -= 1
            if end - start > _LONGEST_WALK:
                break
        if end - start > _LONGEST_WALK:  # a very long run: search as finditer would
            found = _BARE_HOST.search(text, position)
        else:
            found = None
            for candidate in (start, *reversed(starts)):
                found = _BARE_HOST.match(text, candidate)
                if found is not None:
                    break
            if found is None:
                position = end + 1  # no host starts before this dot, nor at it
                continue
        if found is None:
            return
        yield found
        position = found.end()


def registrable(host: str) -> str:
    """example.co.uk -> example.co.uk, a.b.example.com -> example.com (good enough without the PSL)."""
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in ("co", "com", "org", "net", "gov", "ac", "edu") and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


_DIGIT = re.compile(r"\d")


def _is_ip(host: str) -> bool:
    if ":" not in host and _DIGIT.search(host) is None:
        return False  # every form below has a digit, or a colon (IPv6)
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return bool(re.fullmatch(r"0x[0-9a-f]+|\d{8,10}|(?:\d+\.){1,2}\d+", host))  # 0x7f000001, 2130706433


def _listed(host: str, domains) -> bool:
    """host is one of `domains` or a sub-domain of one (domains: a set, for speed)."""
    return _in(_suffixes(host), domains)


def _suffixes(host: str) -> tuple[str, ...]:
    """a.b.example.com -> (a.b.example.com, b.example.com, example.com, com)."""
    labels = host.split(".")
    return tuple(".".join(labels[i:]) for i in range(len(labels)))


def _in(suffixes: tuple[str, ...], domains) -> bool:
    if not isinstance(domains, (set, frozenset)):
        domains = set(domains)
    return not domains.isdisjoint(suffixes)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w means in a str pattern


def _has_word(text: str, word: str) -> bool:
    """re.search(rf"\b{re.escape(word)}\b", text) is not None, without compiling a pattern for
    every new word (host names differ from text to text; compiling costs more than the check)."""
    starts_word, ends_word = _is_word_char(word[0]), _is_word_char(word[-1])
    at = text.find(word)
    while at != -1:
        end = at + len(word)
        before = _is_word_char(text[at - 1]) if at else False
        after = _is_word_char(text[end]) if end < len(text) else False
        if before != starts_word and after != ends_word:
            return True
        at = text.find(word, at + 1)
    return False


def judged(norm, *, goal: str, book: RuleBook, allowed_domains: tuple[str, ...] = ()):
    """Each address of a normalize.Normalized text with its verdict, in order. Verdicts are worked
    out once per text and only as far as asked (the text and provenance layers both ask)."""
    key = (goal, allowed_domains)
    state = norm.__dict__.get("_judged")
    if state is None or state[0] != key:
        state = norm.__dict__["_judged"] = (key, [], iter(norm.urls()))
    _, done, pending = state
    index = 0
    while True:
        if index == len(done):
            url = next(pending, None)
            if url is None:
                return
            done.append((url, judge(url, goal=goal, book=book, allowed_domains=allowed_domains)))
        yield done[index]
        index += 1


def judge(url: Url, *, goal: str, book: RuleBook, allowed_domains: tuple[str, ...] = ()) -> UrlVerdict:
    config = book.url_sets
    scheme, host = url.scheme, url.host
    if scheme in config["block_schemes"]:
        return UrlVerdict("block", f"url.scheme.{scheme}", f"a {scheme}: address runs code or opens local files")
    suffixes = _suffixes(host)  # the host and each domain above it, for the lists below
    if _in(suffixes, config["exfiltration_hosts"]):
        return UrlVerdict("block", "url.exfiltration_host", f"{host} is a service for catching requests (data leaves "
                                                            "the machine through it)")
    if scheme in config["confirm_schemes"]:
        return UrlVerdict("confirm", f"url.scheme.{scheme}", f"a {scheme}: address opens another program or service")
    if scheme in ("mailto",):
        return UrlVerdict("vouch", "url.mailto", f"the address {url.raw[:60]}")
    if not host:
        return UrlVerdict("vouch", "url.unusual", f"the address {url.raw[:60]}")
    in_goal = url.raw.rstrip(".,;!)") in goal or host in goal
    if url.userinfo:
        return UrlVerdict("ok" if url.raw in goal else "confirm", "url.userinfo",
                          f"{url.raw[:60]} hides its real host ({host}) behind a user name")
    if not host.isascii() or "xn--" in host:
        return UrlVerdict("ok" if in_goal else "confirm", "url.lookalike_host",
                          f"{host} uses non-Latin letters that can imitate another site")
    if _is_ip(host):
        return UrlVerdict("ok" if in_goal else "confirm", "url.ip_host", f"{host} is a raw IP address")
    if _in(suffixes, config["confirm_hosts"]):
        return UrlVerdict("confirm", "url.hidden_destination", f"{host} hides where the link leads")
    if in_goal or _in(suffixes, config["allowed_domains"]) or _in(suffixes, allowed_domains):
        return UrlVerdict("ok", "url.known_host", "")
    name = registrable(host).split(".")[0]
    if len(name) >= 3 and _has_word(goal, name):
        return UrlVerdict("ok", "url.named_by_user", "")
    return UrlVerdict("vouch", "url.unknown_host", f"the site {host}")
