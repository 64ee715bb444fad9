"""A fake vision model's eyes: an `on_chat` hook for the fake Ollama that really looks at images.

It decodes every image a vision request carries, checks that it is a bare-base64 JPEG within
the size limit, and answers with what it saw (size, main colour, where the magenta test window
is), so a reply is evidence of the image that actually arrived.
"""
import base64
import io

from PIL import Image, ImageChops

COLOURS = {"red": (230, 20, 20), "green": (20, 200, 40), "blue": (20, 40, 230), "yellow": (240, 230, 20),
           "magenta": (255, 0, 255), "black": (0, 0, 0), "white": (255, 255, 255)}


def colour_name(rgb: tuple[int, int, int]) -> str:
    return min(COLOURS, key=lambda name: sum((a - b) ** 2 for a, b in zip(COLOURS[name], rgb, strict=True)))


def magenta_box(img: Image.Image) -> tuple[int, int, int, int] | None:
    """Bounding box of the magenta pixels (the Tk test window)."""
    red, green, blue = img.convert("RGB").split()
    mask = ImageChops.multiply(ImageChops.multiply(red.point(lambda v: 255 if v > 200 else 0),
                                                   green.point(lambda v: 255 if v < 80 else 0)),
                               blue.point(lambda v: 255 if v > 200 else 0))
    return mask.getbbox()


class VisionServerEyes:
    """An `on_chat` hook: decodes what the vision model receives and describes it."""

    def __init__(self, model: str = "llava:34b", max_side: int = 1280):
        self.model = model
        self.max_side = max_side
        self.problems: list[str] = []
        self.seen: list[list[dict]] = []

    def __call__(self, body: dict) -> str | None:
        if body.get("model") != self.model:
            return None  # the reasoning model answers with the fake's default text
        found = []
        for position, message in enumerate(body["messages"]):
            for image in message.get("images") or []:
                found.append(self.inspect(image, position))
        self.seen.append(found)
        return " | ".join(self.describe(item) for item in found) or "no image"

    def inspect(self, image: str, position: int) -> dict:
        if image.startswith("data:"):
            self.problems.append("a data: URI was sent instead of bare base64")
        img = Image.open(io.BytesIO(base64.b64decode(image, validate=True)))
        if img.format != "JPEG":
            self.problems.append(f"got {img.format}, not JPEG")
        if max(img.size) > self.max_side:
            self.problems.append(f"got {img.size}, larger than {self.max_side}")
        rgb = img.convert("RGB")
        return {"size": img.size, "format": img.format, "message": position, "box": magenta_box(rgb),
                "colour": colour_name(rgb.getpixel((img.size[0] // 2, img.size[1] // 2)))}

    @staticmethod
    def describe(item: dict) -> str:
        text = f"{item['format']} {item['size'][0]}x{item['size'][1]} {item['colour']}"
        return text + (f" magenta box {','.join(map(str, item['box']))}" if item["box"] else "")


def png_uri(colour: str, size: tuple[int, int] = (400, 300)) -> str:
    out = io.BytesIO()
    Image.new("RGB", size, COLOURS[colour]).save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def user(text: str, *urls: str) -> dict:
    return {"role": "user", "content": [{"type": "text", "text": text},
                                        *({"type": "image_url", "image_url": {"url": url}} for url in urls)]}
