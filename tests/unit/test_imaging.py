"""Image preparation: data: URIs and screen pixels in, small JPEG quality 85 out; bad input refused clearly."""
import base64
import io
import os
import struct
import zlib

import pytest
from PIL import Image

from alphaomega.agents import imaging
from alphaomega.agents.imaging import ImageRejected


def data_uri(img: Image.Image, fmt: str = "PNG", mime: str | None = None, **save) -> str:
    out = io.BytesIO()
    img.save(out, fmt, **save)
    return f"data:{mime or 'image/' + fmt.lower()};base64," + base64.b64encode(out.getvalue()).decode()


def jpeg(prepared: imaging.PreparedImage) -> Image.Image:
    img = Image.open(io.BytesIO(prepared.jpeg))
    assert img.format == "JPEG"
    assert img.size == prepared.size
    return img


def noise(size: tuple[int, int]) -> Image.Image:
    return Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))


@pytest.mark.parametrize("size, limit, expected", [
    ((2560, 1440), 1280, (1280, 720)),
    ((3000, 2000), 1280, (1280, 853)),
    ((2000, 3000), 1280, (853, 1280)),
    ((800, 600), 1280, (800, 600)),
    ((5000, 10), 1280, (1280, 3)),
    ((1281, 1), 1280, (1280, 1)),
])
def test_target_size_keeps_aspect_and_never_upscales(size, limit, expected):
    assert imaging.target_size(size, limit) == expected


def test_whole_factor_is_an_exact_reduce():
    img = noise((2560, 1440))
    small = imaging.shrink(img, 1280)
    assert small.size == (1280, 720)
    assert small.tobytes() == img.reduce(2).tobytes()


def test_other_factors_reduce_first_then_resize():
    img = noise((3000, 2000))
    small = imaging.shrink(img, 1280)
    assert small.size == (1280, 853)
    assert small.tobytes() == img.reduce(2).resize((1280, 853), Image.Resampling.BICUBIC).tobytes()


def test_png_becomes_jpeg_quality_85_within_the_limit():
    prepared = imaging.prepare_data_uri(data_uri(Image.new("RGB", (3000, 2000), (0, 128, 255))), 1280)
    img = jpeg(prepared)
    assert img.size == (1280, 853)
    assert (prepared.source_size, prepared.source_format) == ((3000, 2000), "PNG")
    reference = io.BytesIO()
    Image.new("RGB", (8, 8)).save(reference, "JPEG", quality=85)
    assert img.quantization == Image.open(reference).quantization  # the tables Pillow writes for q85
    assert max(abs(a - b) for a, b in zip(img.getpixel((100, 100)), (0, 128, 255), strict=True)) <= 3
    assert base64.b64decode(prepared.b64(), validate=True) == prepared.jpeg
    assert prepared.data_uri().startswith("data:image/jpeg;base64,")


def test_small_images_keep_their_size():
    assert jpeg(imaging.prepare_data_uri(data_uri(Image.new("RGB", (640, 480), "red")), 1280)).size == (640, 480)


def test_big_jpeg_is_decoded_at_reduced_scale():
    uri = data_uri(noise((6000, 4000)), "JPEG", quality=80)
    prepared = imaging.prepare_data_uri(uri, 1280)
    assert jpeg(prepared).size == (1280, 853)
    assert prepared.source_size == (6000, 4000)


def test_exif_orientation_is_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to view": phones write this for portrait photos
    img = Image.new("RGB", (400, 200), "white")
    img.paste((255, 0, 0), (0, 0, 200, 200))  # left half red
    prepared = imaging.prepare_data_uri(data_uri(img, "JPEG", exif=exif), 1280)
    upright = jpeg(prepared)
    assert upright.size == (200, 400)
    assert upright.getpixel((100, 50))[0] > 200 and upright.getpixel((100, 50))[1] < 60  # red on top
    assert upright.getpixel((100, 350)) > (200, 200, 200)


@pytest.mark.parametrize("img", [
    Image.new("RGBA", (300, 200), (255, 0, 0, 0)),
    Image.new("LA", (300, 200), (0, 0)),
], ids=["RGBA", "LA"])
def test_transparent_pixels_become_white(img):
    assert jpeg(imaging.prepare_data_uri(data_uri(img), 1280)).convert("RGB").getpixel((10, 10)) >= (250, 250, 250)


def test_palette_with_transparency_and_other_modes():
    palette = Image.new("P", (300, 200), 0)
    palette.putpalette([0, 0, 255] + [0] * 765)
    palette.info["transparency"] = 0
    assert jpeg(imaging.prepare_data_uri(data_uri(palette, transparency=0), 1280)).getpixel((5, 5)) >= (250,) * 3
    cmyk = Image.new("CMYK", (300, 200), (0, 255, 255, 0))  # red in CMYK
    red = jpeg(imaging.prepare_data_uri(data_uri(cmyk, "JPEG"), 1280)).getpixel((5, 5))
    assert red[0] > 200 and red[1] < 60
    deep = Image.new("I;16", (300, 200), 0x8000)  # 16-bit grey at half scale
    grey = jpeg(imaging.prepare_data_uri(data_uri(deep), 1280)).getpixel((5, 5))
    assert 120 <= (grey if isinstance(grey, int) else grey[0]) <= 136


@pytest.mark.parametrize("fmt", ["GIF", "WEBP", "BMP", "TIFF"])
def test_other_formats_are_read(fmt):
    prepared = imaging.prepare_data_uri(data_uri(Image.new("RGB", (2000, 1000), (0, 200, 0)), fmt), 1000)
    assert jpeg(prepared).size == (1000, 500)
    assert prepared.source_format == fmt


def test_percent_encoded_data_uri():
    raw = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(raw, "BMP")
    uri = "data:image/bmp," + "".join(f"%{byte:02X}" for byte in raw.getvalue())
    assert jpeg(imaging.prepare_data_uri(uri, 1280)).size == (20, 10)


def huge_png_header(width: int, height: int) -> bytes:
    """A valid PNG that claims enormous dimensions: a decompression bomb's header."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + \
        chunk(b"IEND", b"")


def b64_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode()


@pytest.mark.parametrize("url, words", [
    ("https://example.com/cat.png", "link to example.com"),
    ("data:text/plain;base64,aGVsbG8=", "not an image but a file of type text/plain"),
    ("data:application/pdf;base64,JVBERi0=", "not an image but a file of type application/pdf"),
    ("data:image/svg+xml;base64,PHN2Zy8+", "SVG drawing"),
    ("data:image/png;base64,bm90IGFuIGltYWdl", "could not be read as an image"),
    ("data:image/png;base64,%%%%", "cannot be decoded"),
    ("ftp://example.com/x.png", "not an attached picture"),
    ("", "is empty"),
    (None, "is empty"),
    (b64_uri("image/png", huge_png_header(30000, 30000)), "far too many pixels"),
    (b64_uri("image/png", huge_png_header(9000, 8000)), "more than can be read safely"),
])
def test_unusable_attachments_get_a_clear_reason(url, words):
    with pytest.raises(ImageRejected) as caught:
        imaging.prepare_data_uri(url, 1280)
    assert words in caught.value.reason
    assert caught.value.user_message.startswith("The attachment ")


def test_truncated_image_is_reported_as_damaged():
    out = io.BytesIO()
    noise((400, 300)).save(out, "PNG")
    with pytest.raises(ImageRejected, match="damaged or incomplete"):
        imaging.prepare_data_uri(b64_uri("image/png", out.getvalue()[: len(out.getvalue()) // 2]), 1280)


def test_oversized_input_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(imaging, "MAX_IMAGE_BYTES", 1000)
    uri = data_uri(noise((200, 200)))
    with pytest.raises(ImageRejected, match="larger than"):
        imaging.prepare_data_uri(uri, 1280)


def test_screen_pixels_keep_their_colours():
    """mss delivers BGRA; the fast path shrinks it unconverted and fixes the channel order at the end."""
    width, height = 2560, 1440
    bgra = bytearray(width * height * 4)
    bgra[0::4], bgra[1::4], bgra[2::4] = b"\x10" * (width * height), b"\x80" * (width * height), \
        b"\xf0" * (width * height)  # blue 0x10, green 0x80, red 0xf0
    prepared, rgb = imaging.prepare_bgra(bgra, (width, height), 1280)
    assert rgb.mode == "RGB" and rgb.size == (1280, 720)
    assert rgb.getpixel((640, 360)) == (0xF0, 0x80, 0x10)
    decoded = jpeg(prepared).getpixel((640, 360))
    assert max(abs(a - b) for a, b in zip(decoded, (0xF0, 0x80, 0x10), strict=True)) <= 3
    assert prepared.source_size == (2560, 1440)


def test_thumbnail_is_small():
    thumb = imaging.thumbnail(Image.new("RGB", (1280, 720), "navy"))
    assert jpeg(thumb).size == (320, 180)
    assert thumb.data_uri().startswith("data:image/jpeg;base64,")


def test_without_pillow_the_message_names_the_install(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(imaging.MissingDependency) as caught:
        imaging.prepare_data_uri("data:image/png;base64,AAAA", 1280)
    assert "alphaomega[desktop]" in caught.value.user_message
