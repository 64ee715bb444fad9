"""Start and talk to real servers from tests and benchmarks: `alphaomega serve`, Xvfb.

Everything listens on 127.0.0.1 on a free port, and is stopped by PID.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

REPO = Path(__file__).resolve().parent.parent


_BLOCK_DESKTOP = """import sys
for name in ("PIL", "mss", "pyautogui"):
    sys.modules[name] = None  # this server runs as if the desktop extra were not installed
"""


def without_desktop_extra(folder: Path) -> dict[str, str]:
    """Environment for a server that cannot import the desktop extra (PIL, mss, pyautogui)."""
    site = folder / "no-desktop-site"
    site.mkdir(parents=True, exist_ok=True)
    (site / "sitecustomize.py").write_text(_BLOCK_DESKTOP)
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH", "")]))}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def alphaomega_command() -> list[str]:
    exe = Path(sys.executable).with_name("alphaomega")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "alphaomega.pipelines.cli"]


@dataclass
class PipelinesServer:
    """A running `alphaomega serve` with its own data dir."""

    port: int
    key: str
    data_dir: Path
    pipelines_dir: Path
    log_path: Path
    process: subprocess.Popen | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    def start(cls, data_dir: Path, env: dict[str, str] | None = None, key: str = "test-key",
              port: int | None = None) -> "PipelinesServer":
        data_dir.mkdir(parents=True, exist_ok=True)
        server = cls(port=port or free_port(), key=key, data_dir=data_dir,
                     pipelines_dir=data_dir / "pipelines", log_path=data_dir / "serve.log")
        server.env = {**os.environ, "ALPHAOMEGA_DATA_DIR": str(data_dir), **(env or {})}
        server._spawn()
        return server

    def _spawn(self) -> None:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [*alphaomega_command(), "serve", "--port", str(self.port), "--api-key", self.key,
             "--pipelines-dir", str(self.pipelines_dir)],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=self.data_dir)
        try:
            wait_http(self.url + "/", proc=self.process)
        except Exception as exc:
            raise RuntimeError(f"alphaomega serve did not start:\n{self.log()}") from exc

    def restart(self) -> None:
        self.stop()
        self._spawn()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    # --- OpenAI-style calls, as OpenWebUI makes them --------------------------------
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def chat(self, messages: list[dict] | str, **extra: Any) -> str:
        """A non-streamed chat; returns the answer text."""
        r = self.complete(messages, stream=False, **extra)
        r.raise_for_status()
        return r.json()["choices"][0]["message"]["content"]

    def complete(self, messages: list[dict] | str, stream: bool, **extra: Any) -> requests.Response:
        if isinstance(messages, str):
            messages = [{"role": "user", "content": messages}]
        body = {"model": "alphaomega", "stream": stream, "messages": messages,
                "user": {"id": "u1", "name": "Admin", "email": "admin@example.com", "role": "admin"}, **extra}
        return requests.post(self.url + "/chat/completions", json=body, headers=self.headers(),
                             stream=stream, timeout=60)

    def stream(self, messages: list[dict] | str, **extra: Any) -> list[dict]:
        """A streamed chat; returns every SSE data object in order ("[DONE]" as the string)."""
        r = self.complete(messages, stream=True, **extra)
        r.raise_for_status()
        return list(sse_events(r))

    def inlet(self, body: dict, user: dict | None = None) -> dict:
        r = requests.post(f"{self.url}/alphaomega/filter/inlet", json={"body": body, "user": user or {}},
                          headers=self.headers(), timeout=10)
        r.raise_for_status()
        return r.json()

    def valves(self) -> dict:
        r = requests.get(f"{self.url}/alphaomega/valves", headers=self.headers(), timeout=10)
        r.raise_for_status()
        return r.json()

    def update_valves(self, **changes: Any) -> dict:
        """Send the full valves object, as OpenWebUI does (a partial one resets the rest)."""
        r = requests.post(f"{self.url}/alphaomega/valves/update", json={**self.valves(), **changes},
                          headers=self.headers(), timeout=10)
        r.raise_for_status()
        return r.json()

    def valves_file(self) -> dict:
        return json.loads((self.pipelines_dir / "alphaomega" / "valves.json").read_text())


def sse_events(response: requests.Response) -> Iterator[Any]:
    for line in response.iter_lines(decode_unicode=True):
        if line and line.startswith("data: "):
            payload = line[len("data: "):]
            yield payload if payload == "[DONE]" else json.loads(payload)


def stream_text(events: list[Any]) -> str:
    return "".join(e["choices"][0]["delta"].get("content") or "" for e in events
                   if isinstance(e, dict) and e.get("choices"))


def status_events(events: list[Any]) -> list[dict]:
    return [e["event"]["data"] for e in events if isinstance(e, dict) and e.get("event", {}).get("type") == "status"]


class Xvfb:
    """A real X display for mss and pyautogui, started on a free display number."""

    def __init__(self, width: int = 1280, height: int = 720, depth: int = 24):
        if not shutil.which("Xvfb"):
            raise RuntimeError("Xvfb is not installed: apt-get install xvfb (the test command does this)")
        self.size = (width, height)
        self.display = self._free_display()
        self.process = subprocess.Popen(
            ["Xvfb", f":{self.display}", "-screen", "0", f"{width}x{height}x{depth}", "-nolisten", "tcp", "-ac"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        socket_path = Path(f"/tmp/.X11-unix/X{self.display}")
        deadline = time.monotonic() + 10
        while not socket_path.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Xvfb :{self.display} did not start")
            time.sleep(0.05)

    @property
    def name(self) -> str:
        return f":{self.display}"

    @staticmethod
    def _free_display() -> int:
        for number in range(90, 200):
            if not Path(f"/tmp/.X{number}-lock").exists() and not Path(f"/tmp/.X11-unix/X{number}").exists():
                return number
        raise RuntimeError("no free X display number")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
