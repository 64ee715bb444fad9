"""Screen capture with mss on a real Xvfb display showing a real Tk window with known content."""
import sys

import pytest

from alphaomega.agents import capture, imaging
from alphaomega.agents.capture import NoScreen, ScreenGrabber
from alphaomega.agents.errors import SettingsError
from tests.fakes import tk_screen_app
from tests.harness import Xvfb

MAGENTA = (255, 0, 255)


@pytest.fixture
def tk_window(xvfb_display, tmp_path):
    app = tk_screen_app.start(xvfb_display.name, tmp_path / "ready.json", "--x", "200", "--y", "150",
                              "--width", "600", "--height", "300")
    yield app.rect
    app.stop()


def bgra_pixel(grab: capture.Grab, x: int, y: int) -> tuple[int, int, int]:
    offset = (y * grab.size[0] + x) * 4
    blue, green, red = grab.raw[offset:offset + 3]
    return red, green, blue


def test_captures_the_real_window(xvfb_display, tk_window):
    grabber = ScreenGrabber()
    try:
        grab = grabber.grab(1)
        assert grab.size == xvfb_display.size and grab.monitor_count == 1
        rect = tk_window
        assert bgra_pixel(grab, rect["x"] + rect["width"] // 2, rect["y"] + rect["height"] // 2 - 40) == MAGENTA
        assert bgra_pixel(grab, rect["x"] - 5, rect["y"] - 5) != MAGENTA
        # the same pixels through the vision payload path, at half size
        _, small = imaging.prepare_bgra(grab.raw, grab.size, xvfb_display.size[0] // 2)
        assert small.size == (xvfb_display.size[0] // 2, xvfb_display.size[1] // 2)
        assert small.getpixel((rect["x"] // 2 + 20, rect["y"] // 2 + 100)) == MAGENTA
        assert grabber.grab(0).size == xvfb_display.size  # 0 = all monitors (one here)
    finally:
        grabber.close()


def test_a_monitor_that_does_not_exist_names_the_valve(xvfb_display):
    grabber = ScreenGrabber()
    try:
        with pytest.raises(SettingsError) as caught:
            grabber.grab(3)
        assert caught.value.setting == "SCREEN_MONITOR"
        assert "has 1 monitor." in caught.value.user_message and "0 for all monitors" in caught.value.user_message
    finally:
        grabber.close()


def test_monitor_choice_uses_mss_numbering():
    monitors = [{"left": -1920, "top": 0, "width": 4480, "height": 1440},
                {"left": 0, "top": 0, "width": 2560, "height": 1440},
                {"left": -1920, "top": 0, "width": 1920, "height": 1080}]
    assert capture._pick(monitors, 0) is monitors[0]
    assert capture._pick(monitors, 2) is monitors[2]
    with pytest.raises(SettingsError, match="from 1 to 2"):
        capture._pick(monitors, 5)


@pytest.mark.parametrize("env, expected", [
    ({}, "DISPLAY environment variable is not set"),
    ({"DISPLAY": "  "}, "DISPLAY environment variable is not set"),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "Wayland-only"),
    ({"DISPLAY": ":0"}, None),
])
def test_display_problem(env, expected):
    problem = capture.display_problem(env)
    assert problem is None if expected is None else expected in problem


def test_no_display_is_said_plainly(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with pytest.raises(NoScreen) as caught:
        ScreenGrabber().grab(1)
    assert caught.value.user_message.startswith(
        "There is no screen to capture on the machine that runs AlphaOmega")


def test_a_display_nobody_serves(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":237")
    with pytest.raises(NoScreen, match="cannot be opened"):
        ScreenGrabber().grab(1)


def test_an_x_server_that_went_away_is_reported_then_recovered(monkeypatch):
    display = Xvfb(640, 480)
    monkeypatch.setenv("DISPLAY", display.name)
    grabber = ScreenGrabber()
    try:
        assert grabber.grab(1).size == (640, 480)
        display.stop()
        with pytest.raises(NoScreen):
            grabber.grab(1)
        display = Xvfb(800, 600)  # a new server on another display: the grabber follows DISPLAY
        monkeypatch.setenv("DISPLAY", display.name)
        assert grabber.grab(1).size == (800, 600)
    finally:
        grabber.close()
        display.stop()


def test_without_mss_the_message_names_the_extra(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setitem(sys.modules, "mss", None)
    with pytest.raises(imaging.MissingDependency) as caught:
        ScreenGrabber().grab(1)
    assert "alphaomega[desktop]" in caught.value.user_message and caught.value.package == "mss"


def test_many_threads_share_one_grabber(xvfb_display, tk_window):
    """The Pipelines server answers from up to 40 threads; captures must not interfere."""
    from concurrent.futures import ThreadPoolExecutor

    grabber = ScreenGrabber()
    rect = tk_window
    centre = (rect["x"] + rect["width"] // 2, rect["y"] + rect["height"] // 2 - 40)

    def one(_: int) -> tuple[tuple[int, int], tuple[int, int, int]]:
        grab = grabber.grab(1)
        return grab.size, bgra_pixel(grab, *centre)

    try:
        with ThreadPoolExecutor(12) as pool:
            results = list(pool.map(one, range(48)))
        assert set(results) == {(xvfb_display.size, MAGENTA)}
        assert len(grabber._instances) == 1
    finally:
        grabber.close()
