"""The end-to-end stack, all on 127.0.0.1: fake Ollama and fake ComfyUI, an Xvfb desktop with a
real Tk form and terminal, `alphaomega serve` with DISPLAY on that desktop, and a real OpenWebUI.

OpenWebUI comes from the venv `tests/e2e/install.sh` caches (pinned version). Its settings
are seeded from the environment on the first start of a fresh DATA_DIR only, so every run
gets a new one.
"""
import contextlib
import json
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from tests.e2e.brain import Brain
from tests.fakes import tk_form_app
from tests.fakes.comfyui import FakeComfyUI
from tests.fakes.ollama import FakeOllama
from tests.harness import PipelinesServer, Xvfb, free_port, wait_http

OWUI_VERSION = "0.12.4"
TORCH_VERSION = "2.13.0"
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "alphaomega-e2e"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]

def owui_executable() -> Path:
    cache = Path(os.environ.get("ALPHAOMEGA_CACHE", Path.home() / ".cache" / "alphaomega"))
    exe = cache / "e2e" / f"owui-{OWUI_VERSION}-torch-{TORCH_VERSION}" / "venv" / "bin" / "open-webui"
    if not exe.exists():
        raise RuntimeError(f"OpenWebUI {OWUI_VERSION} is not installed at {exe}: run tests/e2e/install.sh "
                           "(tests/run.sh does it)")
    return exe


def owui_env(data_dir: Path, pipelines: PipelinesServer) -> dict[str, str]:
    return {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "WEBUI_SECRET_KEY": "alphaomega-e2e-not-a-secret-0123456789",
        "WEBUI_AUTH": "True",
        "WEBUI_ADMIN_EMAIL": ADMIN_EMAIL,
        "WEBUI_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "WEBUI_ADMIN_NAME": "Admin",
        "ENABLE_SIGNUP": "False",
        "ENABLE_OLLAMA_API": "False",
        "ENABLE_OPENAI_API": "True",
        "OPENAI_API_BASE_URLS": pipelines.url,
        "OPENAI_API_KEYS": pipelines.key,
        "OFFLINE_MODE": "True",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "RAG_EMBEDDING_MODEL": "",
        "RAG_EMBEDDING_MODEL_AUTO_UPDATE": "False",
        "RAG_RERANKING_MODEL_AUTO_UPDATE": "False",
        "WHISPER_MODEL_AUTO_UPDATE": "False",
        "ENABLE_VERSION_UPDATE_CHECK": "False",
        # Real users have title, tags and follow-up generation on: so do we.
        "ENABLE_TITLE_GENERATION": "True",
        "ENABLE_TAGS_GENERATION": "True",
        "ENABLE_FOLLOW_UP_GENERATION": "True",
        "ENABLE_AUTOCOMPLETE_GENERATION": "False",
        "ENABLE_WEB_SEARCH": "False",
        "ENABLE_COMMUNITY_SHARING": "False",
        "ANONYMIZED_TELEMETRY": "False",
        "DO_NOT_TRACK": "True",
        "SCARF_NO_ANALYTICS": "True",
    }


SCREEN = (1600, 900)  # the model sees 1280x720 screenshots, so clicks are scaled by 1.25
CHECKPOINT = "sd_xl_base_1.0.safetensors"


@dataclass
class Stack:
    fake: FakeOllama
    brain: Brain
    comfy: FakeComfyUI
    display: Xvfb
    desktop: tk_form_app.RunningForm
    pipelines: PipelinesServer
    owui: subprocess.Popen
    owui_url: str
    owui_log: Path
    workdir: Path
    _cleanup: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    @classmethod
    def start(cls, workdir: Path) -> "Stack":
        """Start everything; if any part fails, stop the parts already running before raising."""
        with contextlib.ExitStack() as started:
            fake = FakeOllama().start()
            started.callback(fake.stop)
            brain = fake.on_chat = Brain()
            comfy = FakeComfyUI(models={"checkpoints": [CHECKPOINT]}, step_delay=0.08).start()
            started.callback(comfy.stop)
            display = Xvfb(*SCREEN)
            started.callback(display.stop)
            (workdir / "desktop").mkdir(parents=True, exist_ok=True)
            desktop = tk_form_app.start(display.name, workdir / "desktop")
            started.callback(desktop.stop)
            xauthority = workdir / "empty.Xauthority"  # Xvfb runs with -ac; python3-xlib still wants the file
            xauthority.write_bytes(b"")
            pipelines = PipelinesServer.start(workdir / "alphaomega", env={
                "ALPHAOMEGA_OLLAMA_REASONING_URL": fake.url,
                "ALPHAOMEGA_OLLAMA_VISION_URL": fake.url,
                "ALPHAOMEGA_COMFYUI_URL": comfy.url,
                "ALPHAOMEGA_COMPUTER_USE_VIRTUAL_DISPLAY": "true",
                "ALPHAOMEGA_COMPUTER_USE_SETTLE_SECONDS": "0.2",
                "DISPLAY": display.name,
                "XAUTHORITY": str(xauthority),
            }, key="e2e-pipelines-key")
            started.callback(pipelines.stop)
            port = free_port()
            log_path = workdir / "openwebui.log"
            data_dir = workdir / "owui-data"
            data_dir.mkdir(parents=True, exist_ok=True)
            with open(log_path, "ab") as log:
                owui = subprocess.Popen([str(owui_executable()), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                        env=owui_env(data_dir, pipelines), cwd=workdir, stdout=log,
                                        stderr=subprocess.STDOUT)
            started.callback(_terminate, owui)
            try:
                wait_http(f"http://127.0.0.1:{port}/health", timeout=300, proc=owui)
            except Exception as exc:
                raise RuntimeError("OpenWebUI did not start:\n"
                                   f"{log_path.read_text(errors='replace')[-3000:]}") from exc
            stack = cls(fake, brain, comfy, display, desktop, pipelines, owui, f"http://127.0.0.1:{port}",
                        log_path, workdir)
            stack._cleanup = started.pop_all()
            return stack

    def stop(self) -> None:
        self._cleanup.close()

    # --- OpenWebUI's HTTP API, for checks the browser cannot make ---------------------
    def token(self) -> str:
        r = requests.post(self.owui_url + "/api/v1/auths/signin",
                          json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}, timeout=30)
        r.raise_for_status()
        return r.json()["token"]

    def chats(self) -> list[dict]:
        r = requests.get(self.owui_url + "/api/v1/chats/", headers={"Authorization": f"Bearer {self.token()}"},
                         timeout=30)
        r.raise_for_status()
        return r.json()

    def decisions(self) -> list[dict]:
        path = self.pipelines.data_dir / "logs" / "pipeline.log"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def wait_for(self, condition, timeout: float = 60.0, every: float = 0.25):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(every)
        raise TimeoutError(f"condition not met within {timeout} s: {condition}")


def _terminate(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
