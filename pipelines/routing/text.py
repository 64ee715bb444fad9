"""Text normalisation shared by the guards and the features: fold case and accents, cut quotes.

Users type "oeffne", "öffne" and "ÖFFNE", "ecran" and "écran"; folding makes one pattern
cover them all. Quoted spans are replaced by a placeholder because words inside quotes
("what does 'click here' mean?") are talked about, not asked for.
"""
import re
import unicodedata

# Longest text the guards and features look at. Longer messages are pasted logs or code;
# their first and last parts carry the request, and the cap keeps decisions well under 1 ms.
HEAD_CHARS = 360
TAIL_CHARS = 140

QUOTE_MARK = " qqq "  # placeholder that no language uses as a word

_TRANSLATE = str.maketrans({
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l",
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "`": "'", "´": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "‹": '"', "›": '"',
    "–": "-", "—": "-", "‐": "-", "‑": "-", "…": "...", "¿": " ", "¡": " ",
    "\u00a0": " ", "\u202f": " ", "\u200b": "",
})
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")

# Quoted spans, bounded so that a stray quote mark cannot swallow a whole message.
_CODE_FENCE = re.compile(r"'''.{0,4000}?(?:'''|$)", re.DOTALL)  # ``` after folding
_DOUBLE = re.compile(r'"[^"\n]{1,300}"')
# A block pasted after a colon and a line break ("Summarize this email:\n..."): someone else's words.
_PASTED = re.compile(r":[ \t]*\n.{1,4000}", re.DOTALL)
_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[:,]))'[^'\n]{1,200}'(?=$|[\s.,;:!?)\]])")


def clip(text: str) -> str:
    """The head and tail of a long message, which is all the router reads."""
    if len(text) <= HEAD_CHARS + TAIL_CHARS:
        return text
    return text[:HEAD_CHARS] + "\n...\n" + text[-TAIL_CHARS:]


def fold(text: str) -> str:
    """Lower case, no accents, straight quotes, single spaces (newlines kept as clause breaks)."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_TRANSLATE)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n", text).strip()


def strip_quotes(folded: str) -> tuple[str, bool]:
    """Replace quoted spans, code blocks and pasted blocks by a placeholder; also say whether any were found."""
    out = _CODE_FENCE.sub(QUOTE_MARK, folded)
    out = _DOUBLE.sub(QUOTE_MARK, out)
    out = _SINGLE.sub(QUOTE_MARK, out)
    if ":" in out:
        out = _PASTED.sub(":" + QUOTE_MARK, out)
    return out, out != folded


def has_code_fence(text: str) -> bool:
    return "```" in text or "~~~" in text
