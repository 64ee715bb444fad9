"""Read an image request in plain words: what to draw, size or shape, seed, negatives and how many.

"Generate three variations of a lighthouse at dusk in 16:9, seed 42, no text" becomes the prompt
"a lighthouse at dusk", aspect 16:9, seed 42, negative "text" and three images. Sizes are then
snapped to the model's native pixel count in multiples of 64 (`snap_size`), because diffusion models
draw best near the resolution they were trained at. Quoted text is left alone.
"""
import math
import re
from dataclasses import dataclass, field

MAX_IMAGES = 4
MAX_PROMPT_CHARS = 2000  # a request is read (and a prompt sent) up to this many characters
MAX_SEED = 2**64 - 1
SIZE_MULTIPLE = 64

OVERRIDE = re.compile(r"^\s*/(?:image|img)\b\s*", re.IGNORECASE)
_NUMBERS = {"one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "a pair of": 2, "a few": 3,
            "several": 3}
_SHAPES = {"portrait": 2 / 3, "vertical": 2 / 3, "landscape": 3 / 2, "horizontal": 3 / 2, "square": 1.0,
           "widescreen": 16 / 9, "panoramic": 21 / 9, "panorama": 21 / 9}
_RATIOS = {(1, 1), (4, 3), (3, 4), (3, 2), (2, 3), (16, 9), (9, 16), (21, 9), (9, 21), (5, 4), (4, 5), (2, 1),
           (1, 2), (16, 10), (10, 16)}
_IMAGE_NOUNS = (r"images?|pictures?|pics?|photos?|photographs?|illustrations?|drawings?|paintings?|renders?|"
                r"renderings?|artworks?|wallpapers?|variations?|versions?|variants?|takes|options|sketch(?:es)?")

# Every pattern below runs in time linear in the text, even before whitespace is collapsed: a leading
# separator is taken only where a run of separators starts (`_LEAD`), repeated words are bounded, and the
# trailing filler is matched from the end (`_TRAILING_REVERSED`). A quadratic pattern holds the GIL, so
# one long message used to freeze the whole server.
_LEAD = r"(?:[,;]\s*|(?<![\s,;])\s+)?"  # the same matches as `[,;]?\s*`, without a restart inside a run
_SEED = re.compile(_LEAD + r"\b(?:(?:with|using|and)\s+)?(?:the\s+|a\s+)?(?:random\s+)?seed\s*"
                   r"(?:[:=#]|of|number|no\.?)?\s*(\d{1,20})\b", re.IGNORECASE)
_PIXELS = re.compile(_LEAD + r"(?:\b(?:at|in|with|of|size|resolution|sized)\s+){0,3}(?<![\d.])(\d{2,5})\s*[x×*]\s*"
                     r"(\d{2,5})(?:\s*(?:px|pixels))?(?:\s+(?:resolution|size|pixels))?\b", re.IGNORECASE)
_RATIO = re.compile(_LEAD + r"(?:\b(?:in|at|with|as)\s+)?(?:(?:an?\s+)?(?:aspect\s+)?ratio(?:\s+of)?\s+)?(?<![\d:.])"
                    r"(\d{1,2})\s*:\s*(\d{1,2})(?![\d:])(?:\s+(?:aspect(?:\s+ratio)?|ratio|format))?", re.IGNORECASE)
_SHAPE_WORDS = "|".join(_SHAPES)
_SHAPE_DIRECTIVE = re.compile(
    _LEAD + r"(?:\b(?:in|as)\s+(?:an?\s+)?)?\b(" + _SHAPE_WORDS + r")\s+(?:format|orientation|mode|aspect(?:\s+ratio)?|"
    r"ratio|shape|layout)\b|" + _LEAD + r"\b(?:in|as)\s+(?:an?\s+)?(" + _SHAPE_WORDS + r")\b(?!\s+(?:of|with)\b)"
    r"(?:\s+(?:image|picture|photo|one))?"
    r"|,\s*(" + _SHAPE_WORDS + r")\s*(?=[,.;]|$)", re.IGNORECASE)
_SHAPE_BARE = re.compile(r"\b(portrait|landscape)\b", re.IGNORECASE)
_COUNT = re.compile(r"\b(\d{1,2}|a couple of|a pair of|a few|several|one|two|three|four|five|six|seven|eight|nine|ten)"
                    r"\s+(?:(?:more|different|distinct|separate|new|unique|alternative|other)\s+){0,3}(?:" +
                    _IMAGE_NOUNS + r")\b(?:\s+(?:of|showing|depicting|with|for)\b)?", re.IGNORECASE)
_NEGATIVE = re.compile(
    _LEAD + r"\b(?:no|without|avoid(?:ing)?|exclude|excluding|minus|(?:but\s+)?(?:don'?t|do\s+not|please\s+don'?t)\s+"
    r"(?:include|show|add|draw|put))\s+(?:any\s+)?(.+?)"
    r"(?=(?<!\s)\s*(?:[,.;!?]|\band\s+(?:no|without)\b|\bbut\b|\bwith\b|$))", re.IGNORECASE)
_NEGATIVE_SPLIT = re.compile(r"(?<!\s)\s*(?:,|\bor\b|\band\b|/)\s*")
_COMMAND = re.compile(
    r"^\s*(?:(?:hey|ok|okay)[, ]+)?(?:(?:please|kindly)\s+)?(?:(?:can|could|would|will)\s+you\s+)?(?:please\s+)?"
    r"(?:(?:generate|create|make|draw|paint|render|produce|design|sketch|illustrate|imagine|show|give|get)\s+(?:me\s+|us\s+)?)?"
    r"(?:(?:an?|the|some|one|another|new)\s+)?(?:(?:new|quick|nice|cool|beautiful|high[- ]quality|realistic|"
    r"photorealistic|detailed|ai)\s+)*(?:" + _IMAGE_NOUNS + r")\s*(?:of|showing|depicting|that\s+shows|featuring|with|"
    r"for|:|-)?\s+", re.IGNORECASE)
_VERB_ONLY = re.compile(r"^\s*(?:(?:please|kindly)\s+)?(?:(?:can|could|would|will)\s+you\s+)?(?:please\s+)?"
                        r"(?:generate|create|make|draw|paint|render|produce|design|sketch|illustrate|imagine)\s+(?:me\s+|us\s+)?",
                        re.IGNORECASE)
_QUOTED = re.compile(r"\"[^\"]*\"|“[^“”]*”")  # an unclosed “ ends at the next one, not at the end of the text
# Trailing marks and filler words ("…, and thanks!"), matched at the start of the reversed text: a pattern
# ending in `(…)+$` restarts at every position of a long run.
_TRAILING_REVERSED = re.compile(r"(?:[\s,;:.!?-]|\b(?:dna|htiw|ni|ta|esaelp|sknaht|uoy knaht)\b)+", re.IGNORECASE)


@dataclass(frozen=True)
class ImageRequest:
    """What the user asked for, before any model-specific snapping."""

    prompt: str
    negative: tuple[str, ...] = ()
    aspect: float | None = None  # width / height
    pixels: tuple[int, int] | None = None  # an explicit "1920x1080"
    shape: str | None = None  # the words used, e.g. "16:9" or "portrait", for the caption
    seed: int | None = None
    count: int = 1
    notes: tuple[str, ...] = field(default=())


def normalize_request(text: str) -> str:
    """One space for every run of whitespace, and no NUL (it marks quoted passages while parsing)."""
    return " ".join(strip_override(text).replace("\x00", " ").split())


def strip_override(text: str) -> str:
    """The `/image ` command that forces this intent is not part of the prompt."""
    return OVERRIDE.sub("", text or "", count=1)


def parse_image_request(text: str, max_count: int = MAX_IMAGES) -> ImageRequest:
    notes: list[str] = []
    text = normalize_request(text)
    if len(text) > MAX_PROMPT_CHARS:
        notes.append(f"only the first {MAX_PROMPT_CHARS} characters of your message were read")
        text = text[:MAX_PROMPT_CHARS].rstrip()
    text, quoted = _mask_quotes(text)

    seed = None
    if match := _SEED.search(text):
        seed = min(int(match.group(1)), MAX_SEED)
        text = _cut(text, match)

    aspect, pixels, shape = None, None, None
    if match := _PIXELS.search(text):
        width, height = int(match.group(1)), int(match.group(2))
        if width >= 16 and height >= 16:
            pixels, aspect, shape = (width, height), width / height, f"{width}×{height}"
            text = _cut(text, match)
    if aspect is None:
        for match in _RATIO.finditer(text):
            ratio = (int(match.group(1)), int(match.group(2)))
            if ratio in _RATIOS:
                aspect, shape = ratio[0] / ratio[1], f"{ratio[0]}:{ratio[1]}"
                text = _cut(text, match)
                break
    if match := _SHAPE_DIRECTIVE.search(text):
        word = next(group for group in match.groups() if group).lower()
        if aspect is None:  # an explicit size or ratio wins over a shape word
            aspect, shape = _SHAPES[word], word
        text = _cut(text, match)
    if aspect is None and (match := _SHAPE_BARE.search(text)):
        word = match.group(1).lower()  # "a portrait of my dog": keep the words, take the shape
        aspect, shape = _SHAPES[word], word

    count = 1
    if match := _COUNT.search(text):
        word = match.group(1).lower()
        count = int(word) if word.isdigit() else _NUMBERS[word]
        text = _cut(text, match, keep=" ")
        if count > max_count:
            notes.append(f"{count} images were asked for; at most {max_count} are made at once")
        count = max(1, min(count, max_count))

    negative: list[str] = []
    for match in list(_NEGATIVE.finditer(text)):
        for part in _NEGATIVE_SPLIT.split(match.group(1)):
            part = _strip_trailing(part.strip())
            if part and part.lower() not in (n.lower() for n in negative):
                negative.append(_unmask(part, quoted))
    text = _NEGATIVE.sub("", text)

    prompt = _COMMAND.sub("", text, count=1)
    prompt = _VERB_ONLY.sub("", prompt, count=1)
    prompt = _strip_trailing(re.sub(r"\s+", " ", prompt)).strip(" ,;:-")
    prompt = re.sub(r"^(?:of|showing|depicting)\s+", "", prompt, flags=re.IGNORECASE)
    return ImageRequest(prompt=_unmask(prompt, quoted), negative=tuple(negative), aspect=aspect, pixels=pixels,
                        shape=shape, seed=seed, count=count, notes=tuple(notes))


def parse_size_setting(value: str | None) -> tuple[float | None, tuple[int, int] | None]:
    """The IMAGE_SIZE valve: None (native), "1024x768", "16:9" or a shape word. Returns (aspect, pixels)."""
    value = (value or "").strip().lower()
    if not value or value in ("native", "auto", "default"):
        return None, None
    if match := re.fullmatch(r"(\d{2,5})\s*[x×*]\s*(\d{2,5})", value):
        width, height = int(match.group(1)), int(match.group(2))
        if width >= 16 and height >= 16:  # "00x00" falls through to the error below
            return width / height, (width, height)
    if match := re.fullmatch(r"(\d{1,2})\s*:\s*(\d{1,2})", value):
        if int(match.group(2)):
            return int(match.group(1)) / int(match.group(2)), None
    if value in _SHAPES:
        return _SHAPES[value], None
    raise ValueError(f"expected empty (the model's native size), WIDTHxHEIGHT such as 1024x768, a ratio such as 16:9, "
                     f"or one of {', '.join(_SHAPES)}; got {value!r}")


def snap_size(aspect: float, native: tuple[int, int], multiple: int = SIZE_MULTIPLE) -> tuple[int, int]:
    """The width and height, in multiples of `multiple`, closest to `aspect` at about the native pixel count.

    The area may exceed the native one by at most 5% (memory); the score adds the relative aspect and area
    errors, so 16:9 on SDXL (1024x1024) gives 1344x768 and on SD 1.5 (512x512) gives 704x384.
    """
    area = native[0] * native[1]
    aspect = min(max(aspect, 1 / 8), 8)
    best: tuple[float, int, int] | None = None
    limit = int(math.sqrt(area * 8)) + multiple
    for width in range(multiple, limit + 1, multiple):
        exact = area / width
        below, above = int(exact // multiple) * multiple, math.ceil(exact / multiple) * multiple
        for height in {max(multiple, below), max(multiple, above)}:
            if width * height > area * 1.05:
                continue
            score = abs(math.log(width / height / aspect)) + abs(math.log(width * height / area))
            if best is None or score < best[0]:
                best = (score, width, height)
    if best is None:
        return native
    return best[1], best[2]


def _strip_trailing(text: str) -> str:
    match = _TRAILING_REVERSED.match(text[::-1])
    return text[:len(text) - match.end()] if match else text


def _cut(text: str, match: re.Match, keep: str = " ") -> str:
    return (text[:match.start()] + keep + text[match.end():]).strip()


def _mask_quotes(text: str) -> tuple[str, list[str]]:
    """Replace quoted passages by placeholders so that "a sign saying 'no entry'" keeps its words."""
    quoted: list[str] = []

    def hide(match: re.Match) -> str:
        quoted.append(match.group(0))
        return f"\x00{len(quoted) - 1}\x00"

    return _QUOTED.sub(hide, text), quoted


def _unmask(text: str, quoted: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00", lambda m: quoted[int(m.group(1))], text)
