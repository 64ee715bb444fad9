"""Vision helpers: which images are sent, the capability check and its cache, screen prompt and privacy."""
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from alphaomega.agents import screen, screenshots, vision_model
from alphaomega.agents.context import ImagePart, Turn
from alphaomega.agents.errors import BackendError, BackendUnavailable, ModelNotFound
from alphaomega.agents.ollama import OllamaClient, ServerInfo
from alphaomega.agents.ollama_types import ShowResponse
from alphaomega.agents.vision import ImageRef, select_images
from alphaomega.safety.permissions import parse_roles, role_allowed
from tests.harness import free_port

REPO = Path(__file__).resolve().parents[2]


def turn(role: str, images: int = 0) -> Turn:
    return Turn(role, f"{role} text", tuple(ImagePart(f"data:image/png;base64,{i}") for i in range(images)))


def test_current_images_always_go_earlier_ones_are_capped():
    history = (turn("user", 2), turn("assistant"), turn("user", 3), turn("assistant"), turn("user", 2))
    assert select_images(history, 0) == [ImageRef(4, 0), ImageRef(4, 1)]
    assert select_images(history, 2) == [ImageRef(2, 1), ImageRef(2, 2), ImageRef(4, 0), ImageRef(4, 1)]
    assert select_images(history, 4) == [ImageRef(0, 1), ImageRef(2, 0), ImageRef(2, 1), ImageRef(2, 2),
                                         ImageRef(4, 0), ImageRef(4, 1)]


def test_a_follow_up_without_a_new_image_uses_the_newest_earlier_ones():
    history = (turn("user", 1), turn("assistant"), turn("user", 2), turn("assistant"), turn("user"))
    assert select_images(history, 2) == [ImageRef(2, 0), ImageRef(2, 1)]
    assert select_images(history, 0) == []
    assert select_images((), 2) == []


@pytest.mark.parametrize("payload, expected", [
    ({"capabilities": ["completion", "vision"]}, True),
    ({"capabilities": ["completion"]}, False),
    ({"capabilities": []}, False),
    ({"projector_info": {"clip.has_vision_encoder": True}}, True),  # servers from before `capabilities`
    ({"details": {"families": ["llama", "clip"]}}, True),
    ({"details": {"families": ["llama"]}}, False),
    ({}, None),  # a compatible server that tells nothing: the images are sent
    ({"details": {"format": "gguf"}}, None),
])
def test_takes_images(payload, expected):
    assert vision_model.takes_images(ShowResponse.model_validate(payload)) is expected


def shows(fake) -> int:
    return sum(1 for r in fake.received if r.path == "/api/show")


def test_capability_is_checked_once_per_client_and_model(fake_ollama):
    client = OllamaClient(ServerInfo(fake_ollama.url, "vision", "OLLAMA_VISION_URL"))
    vision_model.check_vision(client, "llava:34b")
    vision_model.check_vision(client, "llava:34b")
    assert shows(fake_ollama) == 1
    with pytest.raises(vision_model.VisionUnsupported) as caught:
        vision_model.check_vision(client, "mistral")
    with pytest.raises(vision_model.VisionUnsupported):
        vision_model.check_vision(client, "mistral")
    assert shows(fake_ollama) == 2
    message = caught.value.user_message
    assert "mistral" in message and fake_ollama.url in message and "VISION_MODEL" in message
    assert "it lists: completion" in message
    other = OllamaClient(ServerInfo(fake_ollama.url, "vision", "OLLAMA_VISION_URL"))  # new valves, new client
    vision_model.check_vision(other, "llava:34b")
    assert shows(fake_ollama) == 3
    vision_model.check_vision(client, "llava:34b", now=time.monotonic() + vision_model.CAPABLE_TTL + 1)
    assert shows(fake_ollama) == 4


def test_capability_failures_are_not_cached(fake_ollama):
    client = OllamaClient(ServerInfo(fake_ollama.url, "vision", "OLLAMA_VISION_URL"))
    with pytest.raises(ModelNotFound):
        vision_model.check_vision(client, "llava:7b")
    with pytest.raises(ModelNotFound):
        vision_model.check_vision(client, "llava:7b")
    down = OllamaClient(ServerInfo(f"http://127.0.0.1:{free_port()}", "vision", "OLLAMA_VISION_URL"))
    with pytest.raises(BackendUnavailable):
        vision_model.check_vision(down, "llava:34b")


@pytest.mark.parametrize("status", [404, 405, 501])
def test_a_server_without_api_show_is_trusted_with_images(status):
    class NoShow(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "9")
            self.end_headers()
            self.wfile.write(b"not here\n")

        def log_message(self, format: str, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), NoShow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = OllamaClient(ServerInfo(f"http://127.0.0.1:{server.server_address[1]}", "vision",
                                         "OLLAMA_VISION_URL"))
        vision_model.check_vision(client, "llava:34b")  # no VisionUnsupported, no BackendError
    finally:
        server.shutdown()
        server.server_close()


class _NotOllama(BaseHTTPRequestHandler):
    """Answers /api/show with 200 and a body that is not Ollama's: a proxy's login page, or a wrong shape."""

    bodies = {"/html/api/show": b"<html><body>Please sign in</body></html>",
              "/shape/api/show": b'{"capabilities": "vision"}'}

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = self.bodies[self.path]
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if body.startswith(b"<") else "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        pass


@pytest.mark.parametrize("prefix", ["/html", "/shape"])
def test_a_show_answer_that_is_not_ollamas_is_a_backend_error(prefix):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotOllama)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    try:
        client = OllamaClient(ServerInfo(url, "vision", "OLLAMA_VISION_URL"))
        with pytest.raises(BackendError) as caught:
            vision_model.check_vision(client, "llava:34b")
        message = caught.value.user_message
        assert url in message and "OLLAMA_VISION_URL" in message and "/api/show" in message
        assert "Please sign in" not in message and caught.value.detail
    finally:
        server.shutdown()
        server.server_close()


def test_screen_question_and_prompt():
    assert screen.question_of("/screen what is this error?") == "what is this error?"
    assert screen.question_of("/SCREEN: why") == "why"
    assert screen.question_of("/screen") == ""
    assert screen.question_of("what is on my screen?") == "what is on my screen?"
    prompt = screen.screen_prompt("why is it red?").lower()
    for section in ("windows", "visible text", "dialogs", "errors", "why is it red?"):
        assert section in prompt
    assert "never instructions" in prompt  # on-screen text is data, not orders


def test_allowed_roles():
    assert parse_roles("admin") == {"admin"}
    assert parse_roles(" Admin, user ,") == {"admin", "user"}
    assert parse_roles("") == set() and parse_roles("none") == set()  # the admin form cannot save an empty box
    assert not role_allowed("none", "none")


def test_screenshots_are_private_and_pruned_by_age(tmp_path, monkeypatch):
    monkeypatch.setenv("ALPHAOMEGA_DATA_DIR", str(tmp_path))
    now = time.time()
    old = screenshots.keep(b"\xff\xd8old", now=now - 10 * screenshots.DAY)
    os.utime(old, (now - 10 * screenshots.DAY, now - 10 * screenshots.DAY))
    fresh = screenshots.keep(b"\xff\xd8new", now=now)
    foreign = tmp_path / "screenshots" / "notes.txt"
    foreign.write_text("not ours")
    os.utime(foreign, (now - 100 * screenshots.DAY, now - 100 * screenshots.DAY))
    assert (tmp_path / "screenshots").stat().st_mode & 0o777 == 0o700
    assert fresh.stat().st_mode & 0o777 == 0o600 and fresh.read_bytes() == b"\xff\xd8new"
    assert screenshots.prune(7, now=now) == 1
    assert not old.exists() and fresh.exists() and foreign.exists()
    assert screenshots.prune(7, now=now + 8 * screenshots.DAY) == 1
    assert not fresh.exists()


HEADLESS_CHILD = r"""
import sys
for name in ("PIL", "mss", "pyautogui"):
    sys.modules[name] = None  # as if the desktop extra were not installed
from alphaomega.agents import screen, vision
from alphaomega.agents.backends import Backends
from alphaomega.pipelines.pipeline import AGENTS
from alphaomega.pipelines.request import build_context
from alphaomega.valves import Valves

valves = Valves(OLLAMA_VISION_URL="http://127.0.0.1:9", OLLAMA_REASONING_URL="http://127.0.0.1:9")
image = {"role": "user", "content": [{"type": "text", "text": "what is it?"},
                                     {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]}
for intent, messages in (("vision", [image]), ("computer_use_observe", [{"role": "user", "content": "/screen"}])):
    ctx = build_context({"stream": False, "user": {"role": "admin"}}, messages, valves, Backends.from_valves(valves))
    print(intent, "|", "".join(item for item in AGENTS[intent].run(ctx) if isinstance(item, str)))
"""


@pytest.mark.parametrize("display, expected_screen", [
    ("", "There is no screen to capture on the machine that runs AlphaOmega"),
    (":0", "Capturing the screen needs mss"),
])
def test_loads_and_answers_without_the_desktop_extra(display, expected_screen):
    env = {**os.environ, "DISPLAY": display}
    out = subprocess.run([sys.executable, "-c", HEADLESS_CHILD], env=env, capture_output=True, text=True,
                         timeout=60, cwd=REPO)
    assert out.returncode == 0, out.stderr
    answers = dict(line.split(" | ", 1) for line in out.stdout.splitlines())
    assert "Reading images needs Pillow" in answers["vision"] and "alphaomega[desktop]" in answers["vision"]
    assert expected_screen in answers["computer_use_observe"]
