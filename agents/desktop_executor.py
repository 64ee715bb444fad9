"""Perform validated actions with pyautogui, through a fixed table of functions.

Nothing here decides whether an action is allowed: the agent only passes actions the validator
allowed (or the user confirmed). Actions are dicts of schema v1 that already passed the schema
layer, with their points mapped to the screen; each action type has one function below. No model
output is ever executed as code or passed to a shell: xdotool, used for text pyautogui cannot
type, gets an argument list.

pyautogui opens an X connection when it is imported and fails without a display, so it is only
imported by `Desktop.load()`, and the plugin loads fine on a headless server.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from alphaomega.agents.desktop_coordinates import ScreenMap
from alphaomega.agents.errors import AlphaOmegaError

log = logging.getLogger("alphaomega.desktop")

DESKTOP_EXTRA = "pip install 'alphaomega[desktop]'"
PAUSE = 0.05  # pyautogui's pause after each call (its default 0.1 s doubles the time of a plan)
# Canonical key names (safety/rules/hotkeys.toml) -> pyautogui's names.
PYAUTOGUI_KEYS = {"print": "printscreen", "option": "option", "command": "command", "win": "win"}


class DesktopUnavailable(AlphaOmegaError):
    """No display, or pyautogui is missing or cannot connect."""

    headline = "No desktop to operate"


class StoppedByUser(AlphaOmegaError):
    """pyautogui's fail-safe: the mouse pointer is in a screen corner (moved there, or resting there)."""

    headline = "Stopped by the user"

    def __init__(self, before_start: bool = False) -> None:
        if before_start:  # e.g. left in a GNOME hot corner: not meant as a stop, but pyautogui cannot tell
            super().__init__("The mouse pointer rests in a corner of the screen, which is the emergency stop for "
                             "AlphaOmega's mouse and keyboard control, so I did not start. Move the mouse away from "
                             "the corner and ask again.")
        else:
            super().__init__("Stopped by the user: the mouse pointer was moved into a screen corner (the emergency "
                             "stop), so no further actions were performed. Move the mouse away from the corner and "
                             "ask again to continue.")


class ActionFailed(AlphaOmegaError):
    headline = "Action failed"


@dataclass(frozen=True)
class Done:
    """What one action did, in words for the reply, and where (screen points)."""

    verb: str
    at: tuple[int, int] | None = None
    ms: float = 0.0


def display_problem() -> str | None:
    if sys.platform.startswith("linux"):
        if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"):
            return ("the session is Wayland-only; pyautogui can only drive X11 or XWayland windows, "
                    "so log in to an X11 session or set DISPLAY")
        if not os.environ.get("DISPLAY", "").strip():
            return "the DISPLAY environment variable is not set: the Pipelines server runs headless"
    return None


def load_pyautogui() -> Any:
    """Import pyautogui with the fail-safe on, or raise DesktopUnavailable naming the fix."""
    problem = display_problem()
    if problem:
        raise DesktopUnavailable(f"There is no desktop to operate on the machine that runs AlphaOmega ({problem}).")
    try:
        import pyautogui
    except ImportError as exc:
        raise DesktopUnavailable("Operating the desktop needs pyautogui, which is not installed in the Pipelines "
                                 f"server's environment. Install it there with: {DESKTOP_EXTRA}, then restart "
                                 "the server.") from exc
    except Exception as exc:  # KeyError('DISPLAY'), Xlib connection and authorisation errors
        log.warning("pyautogui cannot connect to the display %r", os.environ.get("DISPLAY", ""), exc_info=True)
        raise DesktopUnavailable(f"pyautogui cannot connect to the display {os.environ.get('DISPLAY', '')}. Check "
                                 "that DISPLAY and XAUTHORITY let the Pipelines server's user open it (details in "
                                 "logs/alphaomega.log).") from exc
    pyautogui.FAILSAFE = True
    pyautogui.PAUSE = PAUSE
    return pyautogui


class Desktop:
    """The mouse and keyboard. Build with `Desktop.load()`; run actions with `perform`."""

    def __init__(self, gui: Any, cancelled: Callable[[], bool] = lambda: False):
        self.gui = gui
        self.cancelled = cancelled
        self.table: dict[str, Callable[[dict, ScreenMap], Done]] = {
            "click": self._click,
            "move": self._move,
            "drag": self._drag,
            "scroll": self._scroll,
            "type": self._type,
            "key": self._key,
            "wait": self._wait,
        }

    @classmethod
    def load(cls, cancelled: Callable[[], bool] = lambda: False) -> Desktop:
        return cls(load_pyautogui(), cancelled)

    def size(self) -> tuple[int, int]:
        width, height = self.gui.size()
        return int(width), int(height)

    def pointer_in_corner(self) -> bool:
        return tuple(self.gui.position()) in {tuple(p) for p in self.gui.FAILSAFE_POINTS}

    def move_pointer_away(self) -> None:
        """On a virtual display a pointer left in a corner is not the user: put it in the middle."""
        width, height = self.size()
        self.gui.FAILSAFE = False
        try:
            self.gui.moveTo(width // 2, height // 2)
        finally:
            self.gui.FAILSAFE = True

    def perform(self, action: dict, screen: ScreenMap) -> Done:
        handler = self.table.get(action.get("type", ""))
        if handler is None:
            raise ActionFailed(f"There is no way to perform a {action.get('type')!r} action.")
        started = time.perf_counter()
        try:
            done = handler(action, screen)
        except self.gui.FailSafeException as exc:
            raise StoppedByUser() from exc
        except AlphaOmegaError:
            raise
        except Exception as exc:
            log.warning("the %s action failed", action.get("type"), exc_info=True)
            raise ActionFailed(f"The {action.get('type')} action failed, so I stopped here. Check the screen, then "
                               "ask again (details in logs/alphaomega.log).") from exc
        return Done(done.verb, done.at, round((time.perf_counter() - started) * 1000, 1))

    # --- the table ------------------------------------------------------------------
    def _click(self, action: dict, screen: ScreenMap) -> Done:
        x, y = screen.to_screen(action["x"], action["y"])
        modifiers = [PYAUTOGUI_KEYS.get(m, m) for m in action.get("modifiers", [])]
        button = action.get("button", "left")
        clicks = action.get("clicks", 1)
        pressed = []
        try:
            for key in modifiers:
                self.gui.keyDown(key)
                pressed.append(key)
            self.gui.click(x, y, clicks=clicks, interval=0.08, button=button)
        finally:
            for key in reversed(pressed):
                self.gui.keyUp(key)
        verb = {1: "Clicked", 2: "Double-clicked", 3: "Triple-clicked"}[clicks]
        if button != "left":
            verb = f"{button.capitalize()}-clicked" if clicks == 1 else f"{verb} ({button} button)"
        return Done(verb, (x, y))

    def _move(self, action: dict, screen: ScreenMap) -> Done:
        x, y = screen.to_screen(action["x"], action["y"])
        self.gui.moveTo(x, y, duration=0.1)
        return Done("Moved the pointer", (x, y))

    def _drag(self, action: dict, screen: ScreenMap) -> Done:
        start = screen.to_screen(action["from"]["x"], action["from"]["y"])
        end = screen.to_screen(action["to"]["x"], action["to"]["y"])
        self.gui.moveTo(*start)
        self.gui.dragTo(*end, duration=0.3, button="left")
        return Done(f"Dragged from {start} to", end)

    def _scroll(self, action: dict, screen: ScreenMap) -> Done:
        x, y = screen.to_screen(action["x"], action["y"])
        amount = action["amount"]
        direction = action["direction"]
        if direction in ("up", "down"):
            self.gui.scroll(amount if direction == "up" else -amount, x=x, y=y)
        else:
            self.gui.hscroll(amount if direction == "right" else -amount, x=x, y=y)
        return Done(f"Scrolled {direction} {amount}", (x, y))

    def _type(self, action: dict, screen: ScreenMap) -> Done:
        text = action["text"]
        if text.isascii():
            self.gui.write(text, interval=0.01)
        else:
            type_unicode(text, self.gui)  # pyautogui.write silently drops non-ASCII characters
        return Done("Typed")

    def _key(self, action: dict, screen: ScreenMap) -> Done:
        from alphaomega.safety import hotkeys, rules

        book = rules.load()
        parsed = hotkeys.canonical(action["keys"], platform_name(), book)
        if not isinstance(parsed, tuple):
            raise ActionFailed(f"Unknown key combination {action['keys']}.")
        modifiers, key = parsed
        names = [PYAUTOGUI_KEYS.get(k, k) for k in sorted(modifiers, key=_MODIFIER_ORDER.index)]
        if key:
            names.append(PYAUTOGUI_KEYS.get(key, key))
        for name in names:
            if not self.gui.isValidKey(name):
                raise ActionFailed(f"pyautogui does not know the key {name!r}.")
        for _ in range(action.get("repeat", 1)):
            if self.cancelled():
                break
            if len(names) == 1:
                self.gui.press(names[0])
            else:
                self.gui.hotkey(*names)
        return Done("Pressed " + "+".join(names) + (f" ×{action['repeat']}" if action.get("repeat", 1) > 1 else ""))

    def _wait(self, action: dict, screen: ScreenMap) -> Done:
        deadline = time.monotonic() + float(action["seconds"])
        while time.monotonic() < deadline and not self.cancelled():
            time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))
        return Done(f"Waited {action['seconds']:g} s")


_MODIFIER_ORDER = ["ctrl", "command", "option", "alt", "shift", "win"]


def platform_name() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def type_unicode(text: str, gui: Any = None) -> None:
    """Text with non-ASCII characters: xdotool on X11 (an argument list, never a shell string),
    else the clipboard and a paste (Windows, macOS), putting the old clipboard back afterwards."""
    xdotool = shutil.which("xdotool") if sys.platform.startswith("linux") else None
    if xdotool is None:
        if gui is not None and not sys.platform.startswith("linux"):
            paste(text, gui)
            return
        raise ActionFailed("Typing text with non-ASCII characters needs xdotool on Linux "
                           "(apt-get install xdotool); pyautogui would silently drop those characters.")
    result = subprocess.run([xdotool, "type", "--delay", "12", "--", text], capture_output=True, timeout=60,
                            env=dict(os.environ))
    if result.returncode != 0:
        log.warning("xdotool exited with %d: %s", result.returncode, result.stderr.decode(errors="replace")[:500])
        raise ActionFailed("xdotool could not type the text, so I stopped here. Check that it can reach the display "
                           "(details in logs/alphaomega.log), then ask again.")


def paste(text: str, gui: Any) -> None:
    try:
        import pyperclip
    except ImportError as exc:
        raise ActionFailed(f"Typing non-ASCII text needs pyperclip ({DESKTOP_EXTRA}).") from exc
    try:
        previous = pyperclip.paste()
    except Exception:
        previous = None
    pyperclip.copy(text)
    try:
        gui.hotkey("command" if sys.platform == "darwin" else "ctrl", "v")
        time.sleep(0.1)
    finally:
        if previous is not None:
            pyperclip.copy(previous)
