"""`alphaomega serve`, `install-pipeline`, and the shim in a stock Pipelines server."""
import json
import os
import socket
import subprocess
import sys

import requests

from alphaomega.pipelines.cli import pipelines_server_dir
from alphaomega.pipelines.shim import SHIM_SOURCE
from tests.harness import alphaomega_command, free_port, wait_http


def run_cli(*args: str, env: dict | None = None, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([*alphaomega_command(), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def test_serve_prints_the_openwebui_connection_settings(server):
    log = server.log()
    assert f"URL:        http://127.0.0.1:{server.port}" in log
    assert f"Key:        {server.key}" in log
    assert "leave prefix ID empty" in log


def test_serve_defaults_to_a_pipelines_dir_under_the_data_dir(fake_ollama, tmp_path):
    port = free_port()
    env = {**os.environ, "ALPHAOMEGA_DATA_DIR": str(tmp_path), "ALPHAOMEGA_OLLAMA_REASONING_URL": fake_ollama.url}
    env.pop("PIPELINES_API_KEY", None)
    proc = subprocess.Popen([*alphaomega_command(), "serve", "--port", str(port)], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_http(f"http://127.0.0.1:{port}/", proc=proc)
        assert (tmp_path / "pipelines" / "alphaomega.py").read_text() == SHIM_SOURCE
        key = (tmp_path / "pipelines_api_key").read_text().strip()
        assert len(key) >= 24  # a random key, not the well-known default
        models = requests.get(f"http://127.0.0.1:{port}/models", headers={"Authorization": f"Bearer {key}"}).json()
        assert models["data"][0]["id"] == "alphaomega"
        assert (tmp_path / "logs" / "alphaomega.log").exists()
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert "Traceback" not in out


def test_serve_refuses_a_taken_port(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), "--api-key", "k", env={"ALPHAOMEGA_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "--port" in result.stderr and "Traceback" not in result.stderr


def test_install_pipeline_writes_the_shim(tmp_path):
    result = run_cli("install-pipeline", str(tmp_path))
    assert result.returncode == 0
    assert (tmp_path / "alphaomega.py").read_text() == SHIM_SOURCE
    assert run_cli("install-pipeline", str(tmp_path / "missing")).returncode == 2


def test_shim_explains_a_missing_package():
    """Without the package the shim still loads, and every answer says how to install it."""
    namespace: dict = {}
    blocked = {name: None for name in ("alphaomega.pipelines.pipeline",)}
    saved = {name: sys.modules.get(name) for name in blocked}
    sys.modules.update(blocked)
    try:
        exec(compile(SHIM_SOURCE, "alphaomega.py", "exec"), namespace)
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    pipeline = namespace["Pipeline"]()
    assert pipeline.id == "alphaomega"
    assert "pip install alphaomega[server]" in pipeline.pipe("hi", "alphaomega", [], {})


def test_shim_uploaded_to_a_stock_pipelines_server(fake_ollama, tmp_path):
    """The way a Docker user installs it: the package in the server's env, then upload the shim."""
    port, key = free_port(), "stock-key"
    pipelines_dir = tmp_path / "pipelines"
    pipelines_dir.mkdir()
    env = {**os.environ, "PIPELINES_DIR": str(pipelines_dir), "PIPELINES_API_KEY": key,
           "ALPHAOMEGA_DATA_DIR": str(tmp_path / "data"), "ALPHAOMEGA_OLLAMA_REASONING_URL": fake_ollama.url}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "main:app", "--app-dir", str(pipelines_server_dir()),
                             "--host", "127.0.0.1", "--port", str(port)], env=env, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/", proc=proc)
        auth = {"Authorization": f"Bearer {key}"}
        upload = requests.post(base + "/pipelines/upload", headers=auth, timeout=30,
                               files={"file": ("alphaomega.py", SHIM_SOURCE.encode(), "text/x-python")})
        assert upload.status_code == 200, upload.text
        assert not (pipelines_dir / "failed").exists()
        models = requests.get(base + "/models", headers=auth, timeout=10).json()["data"]
        assert [m["id"] for m in models] == ["alphaomega"]
        reply = requests.post(base + "/chat/completions", timeout=30, json={
            "model": "alphaomega", "stream": False, "messages": [{"role": "user", "content": "hi"}]})
        assert reply.json()["choices"][0]["message"]["content"].startswith("Hello from mistral")
    finally:
        proc.terminate()
        proc.wait(10)


def test_doctor_reports_missing_models(fake_ollama, fake_comfyui, tmp_path):
    env = {"ALPHAOMEGA_DATA_DIR": str(tmp_path), "ALPHAOMEGA_OLLAMA_REASONING_URL": fake_ollama.url,
           "ALPHAOMEGA_OLLAMA_VISION_URL": fake_ollama.url, "ALPHAOMEGA_CODE_MODEL": "starcoder2",
           "ALPHAOMEGA_COMFYUI_URL": fake_comfyui.url}
    result = run_cli("doctor", env=env)
    assert result.returncode == 1
    assert "✓ reasoning: mistral" in result.stdout
    assert "✗ reasoning: starcoder2: run: ollama pull starcoder2" in result.stdout
    assert f"✓ ComfyUI: answers at {fake_comfyui.url}" in result.stdout


def test_doctor_reads_what_the_admin_saved(fake_ollama, tmp_path):
    """Once the admin form saved the valves, valves.json wins over the environment, as in the server."""
    saved = tmp_path / "pipelines" / "alphaomega"
    saved.mkdir(parents=True)
    (saved / "valves.json").write_text(json.dumps({"OLLAMA_REASONING_URL": fake_ollama.url, "CHAT_MODEL": "phi3"}))
    env = {"ALPHAOMEGA_DATA_DIR": str(tmp_path), "ALPHAOMEGA_OLLAMA_REASONING_URL": "http://127.0.0.1:9"}
    result = run_cli("doctor", env=env)
    assert "✗ reasoning: phi3: run: ollama pull phi3" in result.stdout


def test_doctor_explains_a_broken_environment_value(tmp_path):
    result = run_cli("doctor", env={"ALPHAOMEGA_DATA_DIR": str(tmp_path), "ALPHAOMEGA_TEMPERATURE": "hot"})
    assert result.returncode == 2
    assert "TEMPERATURE" in result.stderr and "Traceback" not in result.stderr


def test_unwritable_data_dir_does_not_stop_the_server(fake_ollama, tmp_path):
    """A read-only home (containers) must not take the whole Pipelines server down."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data dir should be")
    port = free_port()
    pipelines_dir = tmp_path / "pipelines"
    env = {**os.environ, "ALPHAOMEGA_DATA_DIR": str(blocker / "data"),
           "ALPHAOMEGA_OLLAMA_REASONING_URL": fake_ollama.url}
    proc = subprocess.Popen([*alphaomega_command(), "serve", "--port", str(port), "--api-key", "k",
                             "--pipelines-dir", str(pipelines_dir)], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_http(f"http://127.0.0.1:{port}/", proc=proc)
        reply = requests.post(f"http://127.0.0.1:{port}/chat/completions", timeout=30, json={
            "model": "alphaomega", "stream": False, "messages": [{"role": "user", "content": "hi"}]})
        assert reply.json()["choices"][0]["message"]["content"].startswith("Hello from mistral")
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert "cannot write its logs" in out
