"""Map points of the screenshot the model saw to the real screen, and back.

The model answers in pixels of the (usually shrunk) image it was shown. The screen point is found
through the rectangle of the monitor that was captured, never through the image size alone:

    capture_x = monitor.left + (x + 0.5) * monitor.width / image_width     (centre of the pixel)
    input_x   = capture_x / scale                                          (HiDPI, see below)

* Offsets: monitors left of or above the primary one have negative left/top (mss reports them
  so); they are added, not clipped.
* Scale: mss and pyautogui normally share one coordinate space (X11 pixels; Windows once both are
  DPI-aware; macOS points). When they do not, `scale` is capture units per input unit, measured at
  run time from the two libraries' idea of the whole desktop (`input_scale`).
* Result points are kept at least 1 px inside the monitor, so the agent never lands on a screen
  corner (pyautogui's fail-safe) or on the neighbouring monitor.
"""
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Monitor:
    """One monitor's rectangle as mss reports it (capture units: pixels, or points on macOS)."""

    left: int
    top: int
    width: int
    height: int

    @classmethod
    def from_mss(cls, rect: dict) -> "Monitor":
        return cls(int(rect["left"]), int(rect["top"]), int(rect["width"]), int(rect["height"]))

    def as_dict(self) -> dict[str, int]:
        return {"left": self.left, "top": self.top, "width": self.width, "height": self.height}


@dataclass(frozen=True)
class ScreenMap:
    """How one screenshot relates to the screen: which monitor, how big the image was, the input scale."""

    monitor: Monitor
    image_size: tuple[int, int]
    scale: float = 1.0  # capture units per pyautogui unit (2.0: the capture is twice the input space)

    def __post_init__(self) -> None:
        width, height = self.image_size
        if width <= 0 or height <= 0 or self.monitor.width <= 0 or self.monitor.height <= 0:
            raise ValueError(f"empty image or monitor: {self.image_size}, {self.monitor}")
        if not (math.isfinite(self.scale) and self.scale > 0):
            raise ValueError(f"bad scale {self.scale}")

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        """The monitor in input units: left, top, right (exclusive), bottom (exclusive)."""
        m, s = self.monitor, self.scale
        left, top = math.floor(m.left / s), math.floor(m.top / s)
        return left, top, left + max(1, round(m.width / s)), top + max(1, round(m.height / s))

    def to_screen(self, x: float, y: float) -> tuple[int, int]:
        """Image pixel (x, y) -> the input point pyautogui should use, inside the monitor."""
        width, height = self.image_size
        m = self.monitor
        capture_x = m.left + (x + 0.5) * m.width / width
        capture_y = m.top + (y + 0.5) * m.height / height
        left, top, right, bottom = self.bounds
        sx = math.floor(capture_x / self.scale)
        sy = math.floor(capture_y / self.scale)
        return _clamp(sx, left + 1, right - 2), _clamp(sy, top + 1, bottom - 2)

    def to_image(self, sx: float, sy: float) -> tuple[int, int]:
        """Input point -> the image pixel that covers it (for replies and tests)."""
        width, height = self.image_size
        m = self.monitor
        x = math.floor((sx * self.scale - m.left) * width / m.width)
        y = math.floor((sy * self.scale - m.top) * height / m.height)
        return _clamp(x, 0, width - 1), _clamp(y, 0, height - 1)

    def from_norm1000(self, x: int, y: int) -> tuple[int, int]:
        """A 0-999 coordinate (relative to the image) -> image pixels."""
        width, height = self.image_size
        return min(width - 1, math.floor(x * width / 1000)), min(height - 1, math.floor(y * height / 1000))


def input_scale(capture_desktop: tuple[int, int], input_desktop: tuple[int, int]) -> float:
    """Capture units per input unit, from the whole desktop as mss (monitor 0) and pyautogui see it.

    1.0 unless they clearly differ (a Retina Mac whose capture API reports pixels, a Windows process
    that is not DPI-aware). Common HiDPI factors are snapped (1.25, 1.5, 1.75, 2, 2.5, 3).
    """
    cw, ch = capture_desktop
    iw, ih = input_desktop
    if min(cw, ch, iw, ih) <= 0:
        return 1.0
    ratio = (cw / iw + ch / ih) / 2
    if abs(ratio - 1.0) < 0.02:
        return 1.0
    for common in (1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 3.0):
        if abs(ratio - common) < 0.02:
            return common
    return ratio


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value)) if low <= high else low
