"""Regenerate homoglyphs.json: single characters that look like an ASCII character, mapped to it.

The validator folds typed text through this table before matching rules, so "rм -rf /" written
with a Cyrillic "м" is matched like "rm -rf /". The source is Unicode's confusables list as
shipped (MIT) by the `confusable-homoglyphs` package; it is only needed to regenerate:

    pip install confusable-homoglyphs
    python safety/rules/build_homoglyphs.py
"""
import json
import os
import string
import unicodedata
from pathlib import Path

# When a character looks like several ASCII characters (ǀ: l, I, 1, |), the earliest wins.
# Lower-case look-alikes that the confusables list only has in upper case (small capitals),
# because the validator folds before it lower-cases.
EXTRA = {
    "м": "m", "т": "t", "н": "h", "к": "k", "в": "b", "п": "n", "ш": "w", "ь": "b", "ԛ": "q", "ԝ": "w",
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ғ": "f", "ɢ": "g", "ʜ": "h", "ᴊ": "j", "ᴋ": "k",
    "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v",
    "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ꜰ": "f", "ǫ": "q",
    # dashes and minus signs all read as "-" (rm —rf / is still rm -rf /)
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "⁃": "-", "﹘": "-", "﹣": "-", "－": "-",
}
PRIORITY = string.ascii_lowercase + string.digits + string.ascii_uppercase + "/-.:|;&>$~*(){}<'\"`\\=_+!#%@,?[]^"


def build() -> dict[str, str]:
    import confusable_homoglyphs

    data = json.loads((Path(confusable_homoglyphs.__file__).parent / "confusables.json").read_text("utf-8"))
    table: dict[str, str] = {}
    for ascii_char in PRIORITY:
        for entry in data.get(ascii_char, []):
            char = entry["c"]
            if len(char) != 1 or ord(char) < 128 or char in table:
                continue
            folded = unicodedata.normalize("NFKC", char)
            if folded.isascii():
                continue  # NFKC already folds it (fullwidth, mathematical letters)
            table[char] = ascii_char
    table.update(EXTRA)
    return dict(sorted(table.items()))


if __name__ == "__main__":
    out = Path(__file__).with_name("homoglyphs.json")
    table = build()
    out.write_text(json.dumps({"source": "Unicode confusables via confusable-homoglyphs; see build_homoglyphs.py",
                               "fold": table}, ensure_ascii=False, indent=0, sort_keys=False) + "\n", "utf-8")
    print(f"{len(table)} characters -> {os.path.relpath(out)}")
