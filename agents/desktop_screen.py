"""Screenshots for computer use: capture, shrink for the model, and remember how they map back.

A plan is bound to the screenshot it was made from (`screenshot_id`): the id names this capture,
its monitor rectangle and the image size the model saw, so the model never chooses the scale.
An average hash (64 bits) of each capture lets the loop guard notice a screen that stopped
changing, and lets a confirmed action check that the screen is still the one the user approved.
"""
from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from alphaomega.agents import capture, imaging
from alphaomega.agents.desktop_coordinates import Monitor, ScreenMap

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

# Two captures whose average hashes differ in at most this many of 64 bits count as the same screen.
SAME_SCREEN_BITS = 4


@dataclass(frozen=True)
class Screenshot:
    id: str
    jpeg_b64: str
    image_size: tuple[int, int]
    monitor: Monitor
    sha256: str
    ahash: str
    taken_at: float

    def screen_map(self, scale: float = 1.0) -> ScreenMap:
        return ScreenMap(self.monitor, self.image_size, scale)

    def same_screen(self, other: Screenshot) -> bool:
        return (self.monitor == other.monitor and self.image_size == other.image_size
                and hash_distance(self.ahash, other.ahash) <= SAME_SCREEN_BITS)


def average_hash(img: PILImage) -> str:
    """64-bit average hash of the picture, as 16 hex digits."""
    small = img.convert("L").resize((8, 8))
    pixels = list(small.getdata())
    mean = sum(pixels) / len(pixels)
    bits = 0
    for value in pixels:
        bits = (bits << 1) | (value > mean)
    return f"{bits:016x}"


def hash_distance(a: str, b: str) -> int:
    try:
        return bin(int(a, 16) ^ int(b, 16)).count("1")
    except ValueError:
        return 64


def take(grabber: capture.ScreenGrabber, monitor: int, max_side: int) -> Screenshot:
    """Capture one monitor and prepare the JPEG the model sees (raises NoScreen, MissingDependency)."""
    grab = grabber.grab(monitor)
    shot, small = imaging.prepare_bgra(grab.raw, grab.size, max_side)
    digest = hashlib.sha256(shot.jpeg).hexdigest()
    # Unique per capture (the same screen captured twice gets two ids), unguessable, schema-shaped.
    shot_id = hashlib.sha256(digest.encode() + secrets.token_bytes(8)).hexdigest()[:24]
    return Screenshot(id=shot_id, jpeg_b64=shot.b64(), image_size=shot.size, monitor=Monitor.from_mss(grab.monitor),
                      sha256=digest, ahash=average_hash(small), taken_at=time.time())
