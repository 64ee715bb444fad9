"""The executor's failures reach the chat as short sentences that say what to do; details go to the log."""
import logging
import os
import subprocess
import sys

import pytest

from alphaomega.agents import capture
from alphaomega.agents.capture import NoScreen, ScreenGrabber
from alphaomega.agents.desktop_coordinates import Monitor, ScreenMap
from alphaomega.agents.desktop_executor import ActionFailed, Desktop, type_unicode

SCREEN = ScreenMap(Monitor(0, 0, 1280, 720), (1280, 720))
RAW = ("Error", "Errno", "Can't", "Cannot connect", "Traceback", "(null)")


def assert_plain(message: str) -> None:
    for fragment in RAW:
        assert fragment not in message, message


class BrokenGui:
    """Stands in for the pyautogui module: its click fails with an error naming a private path."""

    class FailSafeException(Exception):
        pass

    def click(self, *args, **kwargs):
        raise OSError("[Errno 13] Permission denied: '/home/alice/.Xauthority'")


def test_an_unexpected_failure_of_an_action_is_said_plainly_and_logged(caplog):
    caplog.set_level(logging.WARNING, logger="alphaomega.desktop")
    with pytest.raises(ActionFailed) as caught:
        Desktop(BrokenGui()).perform({"type": "click", "x": 5, "y": 5, "target": "OK"}, SCREEN)
    message = caught.value.user_message
    assert_plain(message)
    assert "alice" not in message and "click" in message and "logs/alphaomega.log" in message
    assert "Permission denied: '/home/alice/.Xauthority'" in caplog.text


def test_xdotool_failing_is_said_plainly(monkeypatch, caplog):
    caplog.set_level(logging.WARNING, logger="alphaomega.desktop")
    monkeypatch.setenv("DISPLAY", ":237")  # a display nobody serves: xdotool exits with an error
    with pytest.raises(ActionFailed) as caught:
        type_unicode("café")
    assert_plain(caught.value.user_message)
    assert "xdotool" in caught.value.user_message and "Can't open display" in caplog.text


def test_pyautogui_that_cannot_connect_is_said_plainly():
    code = ("from alphaomega.agents.desktop_executor import DesktopUnavailable, load_pyautogui\n"
            "try:\n    load_pyautogui()\nexcept DesktopUnavailable as exc:\n    print(exc.user_message)\n")
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "DISPLAY": ":237"}, capture_output=True,
                         text=True, timeout=60)
    message = out.stdout.strip()
    assert message.startswith("pyautogui cannot connect to the display :237"), out.stderr
    assert "DISPLAY" in message and "XAUTHORITY" in message
    assert_plain(message)


def test_a_display_that_cannot_be_opened_is_said_plainly(monkeypatch, caplog):
    caplog.set_level(logging.WARNING, logger="alphaomega.capture")
    monkeypatch.setenv("DISPLAY", ":237")
    with pytest.raises(NoScreen) as caught:
        ScreenGrabber().grab(1)
    message = caught.value.user_message
    assert "the display :237 cannot be opened" in message and "DISPLAY" in message
    assert_plain(message)
    assert "XError" in caplog.text
    assert capture.display_problem({"DISPLAY": ":237"}) is None  # worth trying: only the attempt tells
