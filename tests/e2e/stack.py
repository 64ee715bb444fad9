"""The end-to-end stack: fake Ollama, `alphaomega serve`, and a real OpenWebUI, all on 127.0.0.1.

OpenWebUI comes from the venv `tests/e2e/install.sh` caches (pinned version). Its settings
are seeded from the environment on the first start of a fresh DATA_DIR only, so every run
gets a new one.
"""
import json
import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.fakes.ollama import FakeOllama
from tests.harness import PipelinesServer, free_port, wait_http

OWUI_VERSION = "0.12.4"
TORCH_VERSION = "2.13.0"
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "alphaomega-e2e"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]

TITLE = "Sky Colour Science"
TAGS = ["Science", "Physics"]
FOLLOW_UPS = ["Why are sunsets red?", "What is Rayleigh scattering?"]


def owui_executable() -> Path:
    cache = Path(os.environ.get("ALPHAOMEGA_CACHE", Path.home() / ".cache" / "alphaomega"))
    exe = cache / "e2e" / f"owui-{OWUI_VERSION}-torch-{TORCH_VERSION}" / "venv" / "bin" / "open-webui"
    if not exe.exists():
        raise RuntimeError(f"OpenWebUI {OWUI_VERSION} is not installed at {exe}: run tests/e2e/install.sh "
                           "(tests/run.sh does it)")
    return exe


def task_reply(body: dict) -> str | None:
    """Answers for OpenWebUI's background tasks, recognised by their prompt like AlphaOmega does."""
    messages = body.get("messages") or []
    text = messages[-1].get("content", "") if messages else ""
    if not text.startswith("### Task:"):
        return None
    lowered = text.lower()
    if "title" in lowered.split("###")[1]:
        return json.dumps({"title": TITLE})
    if "tags" in lowered.split("###")[1]:
        return json.dumps({"tags": TAGS})
    if "follow-up" in lowered or "follow_up" in lowered:
        return json.dumps({"follow_ups": FOLLOW_UPS})
    return "{}"


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


@dataclass
class Stack:
    fake: FakeOllama
    pipelines: PipelinesServer
    owui: subprocess.Popen
    owui_url: str
    owui_log: Path
    workdir: Path

    @classmethod
    def start(cls, workdir: Path) -> "Stack":
        fake = FakeOllama().start()
        fake.on_chat = task_reply
        pipelines = PipelinesServer.start(workdir / "alphaomega", env={
            "ALPHAOMEGA_OLLAMA_REASONING_URL": fake.url,
            "ALPHAOMEGA_OLLAMA_VISION_URL": fake.url,
        }, key="e2e-pipelines-key")
        port = free_port()
        log_path = workdir / "openwebui.log"
        data_dir = workdir / "owui-data"
        data_dir.mkdir(parents=True, exist_ok=True)
        owui = subprocess.Popen([str(owui_executable()), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                env=owui_env(data_dir, pipelines), cwd=workdir,
                                stdout=open(log_path, "ab"), stderr=subprocess.STDOUT)
        stack = cls(fake, pipelines, owui, f"http://127.0.0.1:{port}", log_path, workdir)
        try:
            wait_http(stack.owui_url + "/health", timeout=300, proc=owui)
        except Exception as exc:
            stack.stop()
            raise RuntimeError(f"OpenWebUI did not start:\n{log_path.read_text(errors='replace')[-3000:]}") from exc
        return stack

    def stop(self) -> None:
        if self.owui.poll() is None:
            self.owui.terminate()
            try:
                self.owui.wait(20)
            except subprocess.TimeoutExpired:
                self.owui.kill()
        self.pipelines.stop()
        self.fake.stop()

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


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
