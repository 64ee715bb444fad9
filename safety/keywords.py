"""Which rule keywords occur in a text, found in one regular-expression pass.

Rules name keywords so that most rules are never tried (rules.py). Looking for ~400 keywords one by
one costs more than the rules themselves on a long text, so the word keywords are compiled into one
trie-shaped expression that is tried only where a word starts; the few symbol keywords ("|", "/dev/")
are plain substring tests. Same meaning as before: a word keyword counts at the start of a word
("rm" in "/bin/rm", not in "perform"), and one of up to four letters and digits only as a whole word
(digits may follow: "pip3").
"""
import re
from collections.abc import Iterable

WORD_KEYWORD = re.compile(r"[a-z0-9][a-z0-9_.-]+")


def _is_short(keyword: str) -> bool:
    return len(keyword) <= 4 and keyword.isalnum()


def _trie(words: Iterable[str]) -> str:
    """A regular expression matching the longest keyword at a position (short ones as whole words)."""
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = word

    def emit(node: dict) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if "" in node:  # a keyword ends here; longer ones are tried first
            branches.append(r"(?![a-z])" if _is_short(node[""]) else "")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return emit(root)


class KeywordScanner:
    def __init__(self, keywords: Iterable[str]):
        keywords = sorted(set(keywords))
        words = [k for k in keywords if WORD_KEYWORD.fullmatch(k)]
        symbols = [k for k in keywords if not WORD_KEYWORD.fullmatch(k)]
        self.symbols = tuple(k for k in symbols if not any(c.isspace() for c in k))
        self.spaced_symbols = tuple(k for k in symbols if any(c.isspace() for c in k))
        by_first: dict[str, list[str]] = {}
        for symbol in self.symbols:
            by_first.setdefault(symbol[0], []).append(symbol)
        self.symbols_by_first = tuple((first, tuple(found)) for first, found in by_first.items())
        # a word start is a letter or digit after any other character: the pattern starts with that
        # other character (consumed, so the engine skips ahead with a character-class test) and
        # looks at the keyword without consuming it; the scanned text gets a "\n" in front
        self.words = re.compile(r"[^a-z0-9](?=(" + _trie(words) + "))") if words else None
        # every keyword that also counts where a longer one was found ("pip" inside "pip3", not "sh" in "shred")
        self.prefixes = {
            word: tuple(p for p in words if p != word and word.startswith(p)
                        and not (_is_short(p) and word[len(p)].isalpha()))
            for word in words}

    def found(self, value: str, spaced: str, words: str | None = None) -> frozenset[str]:
        """Keywords in `spaced` (words at word starts, symbols with a space anywhere) and `value`
        (other symbols, anywhere). `words`, when given, is where the words are looked for instead of
        `spaced` (a shorter text that holds the same words)."""
        hits = set()
        for first, symbols in self.symbols_by_first:
            if first in value:
                hits.update(k for k in symbols if k in value)
        for symbol in self.spaced_symbols:
            if symbol in spaced:
                hits.add(symbol)
        if self.words is not None:
            for word in set(self.words.findall("\n" + (spaced if words is None else words))):
                hits.add(word)
                hits.update(self.prefixes[word])
        return frozenset(hits)
