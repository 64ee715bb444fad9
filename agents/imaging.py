"""Pixels in, vision payload out: decode, shrink and re-encode images as small JPEGs.

Used for attached images (data: URIs) and screen captures (raw BGRA). Pillow is imported
lazily so the plugin loads without the desktop extra. Big inputs stay cheap: JPEGs are
decoded at a reduced scale (draft mode), whole factors use `Image.reduce`, and pixel and
byte limits refuse decompression bombs before anything is decoded.
"""
from __future__ import annotations

import base64
import binascii
import importlib
import io
import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING

from alphaomega.agents.errors import AlphaOmegaError

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

JPEG_QUALITY = 85
THUMBNAIL_SIDE = 320
MAX_IMAGE_BYTES = 50 * 1024 * 1024  # an encoded attachment larger than this is refused unread
MAX_DECODED_PIXELS = 40_000_000  # pixels actually decoded (after draft), about 160 MB in Pillow
READABLE_FORMATS = ("JPEG", "MPO", "PNG", "WEBP", "GIF", "BMP", "TIFF")
_PLUGINS = ("JpegImagePlugin", "MpoImagePlugin", "PngImagePlugin", "WebPImagePlugin", "GifImagePlugin",
            "BmpImagePlugin", "TiffImagePlugin")
DESKTOP_EXTRA = "pip install 'alphaomega[desktop]'"

# EXIF orientation tag value -> the transpose that makes the picture upright (Pillow's names).
_ORIENTATION = {2: "FLIP_LEFT_RIGHT", 3: "ROTATE_180", 4: "FLIP_TOP_BOTTOM", 5: "TRANSPOSE",
                6: "ROTATE_270", 7: "TRANSVERSE", 8: "ROTATE_90"}
_EXIF_ORIENTATION = 0x0112


class MissingDependency(AlphaOmegaError):
    """A desktop-extra package (Pillow, mss) is not installed in the Pipelines server's environment."""

    headline = "Package missing"

    def __init__(self, user_message: str, *, package: str):
        super().__init__(user_message)
        self.package = package


class ImageRejected(AlphaOmegaError):
    """An attachment that cannot be used as an image; `reason` completes "Attachment N ..."."""

    headline = "Not a readable image"

    def __init__(self, reason: str):
        super().__init__(f"The attachment {reason}")
        self.reason = reason


@dataclass(frozen=True)
class PreparedImage:
    """A JPEG ready for Ollama's `images` (bare base64) or for the chat (data: URI)."""

    jpeg: bytes
    size: tuple[int, int]
    source_size: tuple[int, int]
    source_format: str

    def b64(self) -> str:
        return base64.b64encode(self.jpeg).decode("ascii")

    def data_uri(self) -> str:
        return "data:image/jpeg;base64," + self.b64()


def pillow():
    """`PIL.Image`, or a clear error naming the install command."""
    try:
        from PIL import Image
    except ImportError as exc:
        raise MissingDependency(
            "Reading images needs Pillow, which is not installed in the Pipelines server's environment. "
            f"Install it there with: {DESKTOP_EXTRA} (or pip install pillow), then restart the server.",
            package="pillow") from exc
    for plugin in _PLUGINS:  # `Image.open(formats=...)` only knows plugins that were imported
        try:
            importlib.import_module(f"PIL.{plugin}")
        except ImportError:  # e.g. Pillow built without WebP
            pass
    return Image


def _readable_formats(Image) -> tuple[str, ...]:
    return tuple(name for name in READABLE_FORMATS if name in Image.OPEN)


# --- shrinking ------------------------------------------------------------------
def target_size(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """`size` scaled so its longest side is at most `max_side`, keeping the aspect ratio."""
    width, height = size
    longest = max(width, height)
    if longest <= max_side:
        return width, height
    scale = max_side / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def shrink(img: PILImage, max_side: int) -> PILImage:
    """Whole factors by `reduce` (an exact box average, ~20x cheaper than LANCZOS), the rest by resize."""
    target = target_size(img.size, max_side)
    if target == img.size:
        return img
    factor = max(img.size) // max_side
    if factor >= 2:
        img = img.reduce(factor)
    if img.size != target:
        img = img.resize(target, pillow().Resampling.BICUBIC)
    return img


def encode_jpeg(img: PILImage, quality: int = JPEG_QUALITY) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality)
    return out.getvalue()


# --- screen captures --------------------------------------------------------------
def prepare_bgra(raw: bytes | bytearray, size: tuple[int, int], max_side: int) -> tuple[PreparedImage, PILImage]:
    """A BGRA screen capture as a JPEG of at most `max_side`; also returns the small RGB image.

    The capture is wrapped without a copy as "RGBX" (so red and blue are swapped), shrunk
    in that form, and only the small result gets its channels put back in order.
    """
    Image = pillow()
    swapped = Image.frombuffer("RGBX", size, raw, "raw", "RGBX", 0, 1)
    small = shrink(swapped, max_side)
    blue, green, red, _ = small.split()
    rgb = Image.merge("RGB", (red, green, blue))
    return PreparedImage(encode_jpeg(rgb), rgb.size, tuple(size), "BGRA"), rgb


def thumbnail(img: PILImage, side: int = THUMBNAIL_SIDE) -> PreparedImage:
    small = shrink(img, side)
    return PreparedImage(encode_jpeg(small), small.size, img.size, "thumbnail")


# --- attached images ----------------------------------------------------------------
def decode_data_uri(url: object) -> bytes:
    """The bytes of an image data: URI; `ImageRejected` for links, other schemes and non-images."""
    if not isinstance(url, str) or not url.strip():
        raise ImageRejected("is empty, so there is no picture to look at.")
    head = url[:300].lstrip()
    if head.lower().startswith(("http://", "https://")):
        host = urllib.parse.urlsplit(head).hostname or "the web"
        raise ImageRejected(f"is a link to {host}, not an attached picture. AlphaOmega does not download "
                            "images from the web: save the picture and attach the file instead.")
    comma = head.find(",")
    if not head.lower().startswith("data:") or comma < 0:
        raise ImageRejected("is not an attached picture (expected a data: URI, as OpenWebUI sends uploads).")
    params = head[5:comma].split(";")
    mime = (params[0].strip() or "text/plain").lower()
    if not mime.startswith("image/"):
        raise ImageRejected(f"is not an image but a file of type {mime}. Vision can read PNG, JPEG, WebP, "
                            "GIF, BMP and TIFF pictures.")
    if mime == "image/svg+xml":
        raise ImageRejected("is an SVG drawing, which the vision model cannot read: export it as PNG and "
                            "attach that.")
    start = url.index(",") + 1
    if len(url) - start > MAX_IMAGE_BYTES * 4 // 3 + 4:
        raise ImageRejected(f"is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB: attach a smaller picture.")
    payload = url[start:]
    try:
        if any(p.strip().lower() == "base64" for p in params[1:]):
            # binascii reads an ASCII str in place; base64.b64decode would first copy it to bytes.
            return binascii.a2b_base64(payload)
        return urllib.parse.unquote_to_bytes(payload)
    except (binascii.Error, ValueError) as exc:
        raise ImageRejected("is damaged: its base64 data cannot be decoded.") from exc


def prepare_data_uri(url: object, max_side: int) -> PreparedImage:
    """An attached image (data: URI) as a JPEG whose longest side is at most `max_side`."""
    data = decode_data_uri(url)
    if not data:
        raise ImageRejected("is damaged: its base64 data cannot be decoded.")
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRejected(f"is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB: attach a smaller picture.")
    return prepare_bytes(data, max_side)


def prepare_bytes(data: bytes, max_side: int) -> PreparedImage:
    Image = pillow()
    try:
        img = Image.open(io.BytesIO(data), formats=_readable_formats(Image))
    except Image.DecompressionBombError as exc:
        raise ImageRejected("has far too many pixels to be read safely: attach a smaller picture.") from exc
    except (Image.UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ImageRejected("could not be read as an image (it is not a PNG, JPEG, WebP, GIF, BMP or TIFF "
                            "picture, or it is damaged).") from exc
    with img:
        source_size, source_format = img.size, img.format or "unknown"
        orientation = _orientation(img)
        if img.format in ("JPEG", "MPO"):
            # Decode at 1/2, 1/4 or 1/8 scale right away: a 24 MP photo never exists at full size.
            img.draft("RGB", _draft_request(img.size, max_side))
        decoded = img.size[0] * img.size[1]
        if decoded > MAX_DECODED_PIXELS:
            raise ImageRejected(f"is {source_size[0]}x{source_size[1]} pixels, more than can be read safely "
                                f"({MAX_DECODED_PIXELS // 1_000_000} million): attach a smaller picture.")
        try:
            img.load()
            small = _flatten(shrink(_reducible(img), max_side))
        except (OSError, ValueError, SyntaxError) as exc:
            raise ImageRejected("is damaged or incomplete, so it could not be read.") from exc
    if orientation in _ORIENTATION:
        small = small.transpose(getattr(Image.Transpose, _ORIENTATION[orientation]))
    return PreparedImage(encode_jpeg(small), small.size, source_size, source_format)


def _orientation(img: PILImage) -> int:
    try:
        return int(img.getexif().get(_EXIF_ORIENTATION, 1))
    except Exception:  # broken EXIF must not stop the picture from being read
        return 1


def _draft_request(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """The smallest decode size that still leaves `max_side` pixels on the longest side."""
    width, height = size
    longest = max(width, height)
    if longest <= max_side:
        return width, height
    return max(1, -(-width * max_side // longest)), max(1, -(-height * max_side // longest))


def _reducible(img: PILImage) -> PILImage:
    """A mode `reduce` and JPEG handle: RGB, L, or RGBA/LA when there is transparency to flatten later."""
    mode = img.mode
    if mode in ("RGB", "L", "RGBA", "LA"):
        return img
    if mode == "P":
        return img.convert("RGBA" if "transparency" in img.info else "RGB")
    if mode == "PA":
        return img.convert("RGBA")
    if mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        # 16-bit greyscale: keep the top 8 bits instead of clipping everything to white.
        return img.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if mode == "F":
        return img.convert("L")
    return img.convert("RGB")  # CMYK, YCbCr, LAB, HSV, 1, RGBX...


def _flatten(img: PILImage) -> PILImage:
    """Transparent areas on white, as image viewers show them (JPEG has no alpha)."""
    if img.mode not in ("RGBA", "LA"):
        return img
    Image = pillow()
    rgba = img.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background
