"""'What is on my screen?' through the real Pipelines server, on a real 2560x1440 Xvfb with a Tk window.

The server runs with DISPLAY pointing at the Xvfb, captures it for real with mss, and
the fake vision server (the fake Ollama's `on_chat` hook) decodes the JPEG it receives
and reports where it sees the magenta test window.
"""
import base64
import io
import os
import re
import time

import pytest
from PIL import Image

from tests.fakes import tk_screen_app
from tests.fakes.ollama import Script
from tests.fakes.vision_eyes import VisionServerEyes, magenta_box, png_uri, user
from tests.harness import PipelinesServer, Xvfb, free_port, status_events, stream_text, without_desktop_extra

WINDOW = {"x": 400, "y": 300, "width": 1000, "height": 500}


@pytest.fixture(scope="module")
def screen_display():
    display = Xvfb(2560, 1440)
    yield display
    display.stop()


@pytest.fixture(scope="module")
def tk_window(screen_display, tmp_path_factory):
    ready = tmp_path_factory.mktemp("tk") / "ready.json"
    app = tk_screen_app.start(screen_display.name, ready, *(f"--{k}={v}" for k, v in WINDOW.items()))
    assert {k: app.rect[k] for k in WINDOW} == WINDOW
    yield app.rect
    app.stop()


def start_server(data_dir, fake, **env: str) -> PipelinesServer:
    return PipelinesServer.start(data_dir, env={"ALPHAOMEGA_OLLAMA_VISION_URL": fake.url,
                                                "ALPHAOMEGA_OLLAMA_REASONING_URL": fake.url,
                                                "ALPHAOMEGA_REQUEST_TIMEOUT": "10", **env})


@pytest.fixture(scope="module")
def screen_server(screen_display, fake_ollama_server, tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("screen-data"), fake_ollama_server, DISPLAY=screen_display.name)
    yield server
    server.stop()


@pytest.fixture
def screen(screen_server, fake_ollama, tk_window):
    before = screen_server.valves()
    yield screen_server
    if screen_server.valves() != before:
        screen_server.update_valves(**before)


def expected_box(scale: int) -> tuple[int, int, int, int]:
    return (WINDOW["x"] // scale, WINDOW["y"] // scale, (WINDOW["x"] + WINDOW["width"]) // scale,
            (WINDOW["y"] + WINDOW["height"]) // scale)


def reported_box(text: str) -> tuple[int, ...]:
    match = re.search(r"magenta box (\d+),(\d+),(\d+),(\d+)", text)
    assert match, text
    return tuple(int(v) for v in match.groups())


def close_to(box, expected, tolerance: int = 2) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(box, expected, strict=True))


def images_in(events: list) -> list[str]:
    return [part["image_url"]["url"] for e in events if isinstance(e, dict) and e.get("choices")
            for part in e["choices"][0]["delta"].get("images") or []]


def decode(data_uri: str) -> Image.Image:
    assert data_uri.startswith("data:image/jpeg;base64,")
    return Image.open(io.BytesIO(base64.b64decode(data_uri.split(",", 1)[1])))


def test_screen_is_captured_analysed_and_shown(screen, fake_ollama):
    eyes = fake_ollama.on_chat = VisionServerEyes(max_side=1280)
    events = screen.stream("/screen what is open?")
    text = stream_text(events)
    assert text.startswith("JPEG 1280x720 ")
    assert close_to(reported_box(text), expected_box(2))
    assert not eyes.problems
    sent = fake_ollama.chats()[-1]
    assert sent["model"] == "llava:34b" and len(sent["messages"][-1]["images"]) == 1
    prompt = sent["messages"][-1]["content"]
    for section in ("Windows:", "Visible text:", "Dialogs:", "Errors:", "what is open?"):
        assert section in prompt
    thumbnails = images_in(events)
    assert len(thumbnails) == 1
    thumb = decode(thumbnails[0])
    assert thumb.size == (320, 180) and close_to(magenta_box(thumb), expected_box(8))
    captured = next(s for s in status_events(events) if s["description"].startswith("Captured"))
    assert captured["description"].startswith("Captured 2560×1440 → 1280×720 JPEG")
    print(captured["description"])  # the capture-to-payload time inside the server, for the record


def test_non_streamed_reply_carries_the_thumbnail_as_markdown(screen, fake_ollama):
    fake_ollama.on_chat = VisionServerEyes()
    answer = screen.chat("/screen")
    assert answer.startswith("JPEG 1280x720 ")
    match = re.search(r"!\[Screenshot that was analysed\]\((data:image/jpeg;base64,[^)]+)\)", answer)
    assert match and decode(match.group(1)).size == (320, 180)
    assert "Finally, say in one sentence what the user appears to be doing." in fake_ollama.chats()[-1][
        "messages"][-1]["content"]


def test_vision_max_side_applies_to_the_screen(screen, fake_ollama):
    eyes = fake_ollama.on_chat = VisionServerEyes(max_side=640)
    screen.update_valves(VISION_MAX_SIDE=640)
    text = screen.chat("/screen")
    assert text.startswith("JPEG 640x360 ") and close_to(reported_box(text), expected_box(4))
    assert not eyes.problems


def test_other_roles_get_a_polite_refusal(screen, fake_ollama):
    answer = screen.chat("/screen", user={"id": "u2", "name": "Guest", "email": "g@example.com", "role": "user"})
    assert answer.startswith("Sorry, I can't look at the screen for you.")
    assert "your role is user" in answer and "SCREEN_CAPTURE_ROLES" in answer
    assert fake_ollama.received == []
    screen.update_valves(SCREEN_CAPTURE_ROLES="admin, User")
    fake_ollama.on_chat = VisionServerEyes()
    answer = screen.chat("/screen", user={"id": "u2", "name": "Guest", "email": "g@example.com", "role": "user"})
    assert answer.startswith("JPEG 1280x720 ")


def test_screenshots_are_kept_only_when_asked_and_expire(screen, fake_ollama):
    folder = screen.data_dir / "screenshots"
    fake_ollama.on_chat = VisionServerEyes()
    screen.chat("/screen")
    assert not folder.exists() or not list(folder.glob("*.jpg"))
    folder.mkdir(exist_ok=True)
    stale = folder / "screen-20200101-000000-0123abcd.jpg"
    stale.write_bytes(b"old")
    ten_days_ago = time.time() - 10 * 86400
    os.utime(stale, (ten_days_ago, ten_days_ago))
    screen.update_valves(SCREENSHOT_KEEP=True, SCREENSHOT_RETENTION_DAYS=7)
    screen.chat("/screen")
    kept = list(folder.glob("*.jpg"))
    assert len(kept) == 1 and not stale.exists()
    with Image.open(kept[0]) as img:
        assert (img.format, img.size) == ("JPEG", (1280, 720))


def test_vision_server_down_explains_through_the_reasoning_model(screen, fake_ollama):
    dead = f"http://127.0.0.1:{free_port()}"
    screen.update_valves(OLLAMA_VISION_URL=dead)
    fake_ollama.default = Script(reply="I could not see your screen this time.")
    events = screen.stream("/screen any errors?")
    text = stream_text(events)
    assert text.startswith(f"_The screen could not be analysed: The vision server at {dead} is not reachable.")
    assert text.endswith("I could not see your screen this time.")
    sent = fake_ollama.chats()[-1]
    assert sent["model"] == "mistral" and sent["messages"][-1] == {"role": "user", "content": "any errors?"}
    assert len(images_in(events)) == 1  # what was captured is still shown


def test_a_text_only_vision_model_is_named(screen, fake_ollama):
    screen.update_valves(VISION_MODEL="codellama:13b")
    answer = screen.chat("/screen")
    assert "The vision model codellama:13b on " in answer and "cannot see images" in answer
    assert fake_ollama.chats() == []


def test_a_missing_monitor_names_the_valve(screen, fake_ollama):
    screen.update_valves(SCREEN_MONITOR=2)
    answer = screen.chat("/screen")
    assert "The SCREEN_MONITOR valve is 2, but this machine has 1 monitor." in answer
    assert fake_ollama.received == []


def test_headless_server_says_there_is_no_screen(fake_ollama, tmp_path):
    server = start_server(tmp_path, fake_ollama, DISPLAY="")
    try:
        answer = server.chat("/screen")
        assert "There is no screen to capture on the machine that runs AlphaOmega" in answer
        assert server.chat("hello") == "Hello from mistral. This is a test answer."
    finally:
        server.stop()


def test_server_without_the_desktop_extra(fake_ollama, tmp_path, screen_display):
    server = start_server(tmp_path / "data", fake_ollama, DISPLAY=screen_display.name,
                          **without_desktop_extra(tmp_path))
    try:
        assert server.chat("hello") == "Hello from mistral. This is a test answer."
        assert "Capturing the screen needs mss" in server.chat("/screen")
        answer = server.chat([user("what is it?", png_uri("red"))])
        assert "Reading images needs Pillow" in answer and "alphaomega[desktop]" in answer
    finally:
        server.stop()
