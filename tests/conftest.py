"""Shared fixtures: a fake Ollama, a real Pipelines server running AlphaOmega, an Xvfb display."""
import os

import pytest

from tests.fakes.ollama import FakeOllama
from tests.harness import PipelinesServer, Xvfb


@pytest.fixture(scope="session")
def fake_ollama_server():
    with FakeOllama() as fake:
        yield fake


@pytest.fixture
def fake_ollama(fake_ollama_server):
    """The session's fake Ollama, reset for this test."""
    fake_ollama_server.reset()
    yield fake_ollama_server
    fake_ollama_server.reset()


@pytest.fixture(scope="session")
def server(fake_ollama_server, tmp_path_factory):
    """`alphaomega serve` on a free port, pointed at the fake Ollama through ALPHAOMEGA_* variables."""
    env = {
        "ALPHAOMEGA_OLLAMA_REASONING_URL": fake_ollama_server.url,
        "ALPHAOMEGA_OLLAMA_VISION_URL": fake_ollama_server.url,
        "ALPHAOMEGA_REQUEST_TIMEOUT": "10",
        "ALPHAOMEGA_STREAM_CHUNK_TIMEOUT": "5",
    }
    running = PipelinesServer.start(tmp_path_factory.mktemp("alphaomega-data"), env=env)
    yield running
    running.stop()


@pytest.fixture
def pipelines(server, fake_ollama):
    """The running server with a clean fake and the valves it started with, restored afterwards."""
    before = server.valves()
    yield server
    if server.valves() != before:
        server.update_valves(**before)


@pytest.fixture(scope="session")
def xvfb_display():
    """A real X display (Xvfb) for the session; DISPLAY points at it."""
    display = Xvfb()
    previous = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = display.name
    yield display
    display.stop()
    if previous is None:
        os.environ.pop("DISPLAY", None)
    else:
        os.environ["DISPLAY"] = previous


@pytest.fixture(scope="session")
def fake_comfyui_server():
    from tests.fakes.comfyui import FakeComfyUI

    with FakeComfyUI() as fake:
        yield fake


@pytest.fixture
def fake_comfyui(fake_comfyui_server):
    """The session's fake ComfyUI, reset for this test (no models installed, empty queue and history)."""
    fake_comfyui_server.reset()
    yield fake_comfyui_server
    fake_comfyui_server.reset()
