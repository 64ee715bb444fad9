"""Hashed word and character n-gram features, identical at training and at run time.

Words (uni- and bigrams, with a sentence-start marker so "<s> click" differs from "... click")
carry the meaning; character 3- and 4-grams absorb typos ("clcik"), inflection in German, French
and Spanish, and code punctuation.
Each group is a set of bucket ids (crc32 of the n-gram, modulo the table size), L2-normalised
on its own so long messages do not drown short ones. Guard flags and intent cues form a third
group that is not normalised: a cue weighs the same in a short and in a long message.
"""
import re
import zlib
from zlib import crc32

from alphaomega.pipelines.routing.guards import Analysis, flags

BUCKETS = 1 << 18
CHAR_SIZES = (3, 4)
_TOKEN = re.compile(r"\w+|[^\w\s]")
_DIGITS = re.compile(r"\d")


def _bucket(gram: str) -> int:
    return zlib.crc32(gram.encode("utf-8")) & (BUCKETS - 1)


def tokens(analysis: Analysis) -> list[str]:
    return [_DIGITS.sub("0", tok) for tok in _TOKEN.findall(analysis.folded)]


def word_grams(analysis: Analysis) -> list[str]:
    words = tokens(analysis)
    grams = list(words)
    previous = "<s>"
    for word in words:
        grams.append(previous + " " + word)
        previous = "<s>" if word in ".!?\n" else word
    return grams


def cue_grams(analysis: Analysis, has_image: bool = False) -> list[str]:
    out = flags(analysis)
    if has_image:
        out.append("@image_attached")
    return out


def char_grams(analysis: Analysis) -> list[bytes]:
    """Byte 3- and 4-grams of the folded tokens (folded text is nearly all ASCII, so bytes are letters)."""
    line = (" " + " ".join(tokens(analysis)) + " ").encode("utf-8")
    size = len(line)
    return [line[i:i + n] for n in CHAR_SIZES for i in range(size - n + 1)]


def featurize(analysis: Analysis, has_image: bool = False) -> tuple[set[int], set[int], set[int]]:
    """Bucket ids of the word, character and cue groups."""
    mask = BUCKETS - 1
    # Repeated n-grams are dropped before hashing: sets of str/bytes are cheap, crc32 calls are not.
    return ({_bucket(g) for g in set(word_grams(analysis))}, {crc32(g) & mask for g in set(char_grams(analysis))},
            {_bucket(g) for g in cue_grams(analysis, has_image)})
