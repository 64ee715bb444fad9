"""What AlphaOmega and the Pipelines server add to a streamed answer, measured side by side.

The same fake Ollama is called three ways, round-robin, in one run: directly (`POST /api/chat`),
through the stock Pipelines server running a minimal 10-line proxy pipe (what the server
itself costs), and through `alphaomega serve` (the server plus AlphaOmega's parsing, routing,
status lines and logging). Printed: median and p90 time to first token and total time, the
difference to direct in ms and the ratio, and how closely the chunk arrival times through
AlphaOmega follow the direct ones (forwarded, not buffered).

    python benchmarks/overhead.py [--runs 40] [--tokens 60] [--chunk-delay 0.004] [--no-status]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alphaomega.pipelines.cli import pipelines_server_dir  # noqa: E402
from tests.fakes.ollama import FakeOllama, Script  # noqa: E402
from tests.harness import PipelinesServer, free_port, wait_http  # noqa: E402

# The least a Pipelines pipe can do to stream from Ollama: the server's own cost, for comparison.
MINIMAL_PIPE = """
import json
import requests

class Pipeline:
    def __init__(self):
        self.name = "minimal"

    def pipe(self, user_message, model_id, messages, body):
        r = requests.post(OLLAMA + "/api/chat", json={"model": "mistral", "messages": messages}, stream=True)
        def chunks():
            for line in r.raw.read_chunked():
                for part in line.split(b"\\n"):
                    if part.strip():
                        yield json.loads(part)["message"]["content"]
        return chunks()
"""


def chunk_times(response: requests.Response, started: float, is_content) -> list[float]:
    """Arrival time (s) of every content-bearing line, read per HTTP chunk as it arrives."""
    times, buffer = [], b""
    for data in response.raw.read_chunked():
        buffer += data
        *lines, buffer = buffer.split(b"\n")
        now = time.perf_counter()
        times.extend(now - started for line in lines if line.strip() and is_content(line))
    return times


def ollama_content(line: bytes) -> bool:
    chunk = json.loads(line)
    return bool(chunk.get("message", {}).get("content"))


def sse_content(line: bytes) -> bool:
    if not line.startswith(b"data: {"):
        return False
    chunk = json.loads(line[6:])
    return bool(chunk.get("choices") and chunk["choices"][0]["delta"].get("content"))


def direct(fake: FakeOllama, session: requests.Session) -> list[float]:
    started = time.perf_counter()
    body = {"model": "mistral", "stream": True, "messages": [{"role": "user", "content": "hello"}]}
    with session.post(fake.url + "/api/chat", json=body, stream=True) as r:
        return chunk_times(r, started, ollama_content)


def through(url: str, model: str, session: requests.Session) -> list[float]:
    started = time.perf_counter()
    body = {"model": model, "stream": True, "messages": [{"role": "user", "content": "hello"}],
            "user": {"role": "user", "id": "bench"}}
    with session.post(url + "/chat/completions", json=body, stream=True) as r:
        return chunk_times(r, started, sse_content)


def start_stock_server(fake_url: str, directory: Path) -> tuple[subprocess.Popen, str]:
    pipes = directory / "stock-pipelines"
    pipes.mkdir()
    (pipes / "minimal.py").write_text(f"OLLAMA = {fake_url!r}\n" + MINIMAL_PIPE)
    port = free_port()
    env = {**os.environ, "PIPELINES_DIR": str(pipes), "GLOBAL_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "main:app", "--app-dir", str(pipelines_server_dir()),
                                "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_http(f"http://127.0.0.1:{port}/", proc=process)
    return process, f"http://127.0.0.1:{port}"


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--tokens", type=int, default=60)
    parser.add_argument("--chunk-delay", type=float, default=0.004, help="seconds between fake tokens")
    parser.add_argument("--no-status", action="store_true", help="run with STATUS_EVENTS off")
    args = parser.parse_args()
    extra_env = {"ALPHAOMEGA_STATUS_EVENTS": "false"} if args.no_status else {}

    reply = " ".join(f"word{i}" for i in range(args.tokens))
    with FakeOllama() as fake, tempfile.TemporaryDirectory() as data:
        fake.default = Script(reply=reply, chunk_delay=args.chunk_delay)
        server = PipelinesServer.start(Path(data) / "alphaomega", env={
            "ALPHAOMEGA_OLLAMA_REASONING_URL": fake.url, "ALPHAOMEGA_LOG_LEVEL": "WARNING", **extra_env})
        stock, stock_url = start_stock_server(fake.url, Path(data))
        try:
            sessions = [requests.Session() for _ in range(3)]
            paths = [lambda: direct(fake, sessions[0]),
                     lambda: through(stock_url, "minimal", sessions[1]),
                     lambda: through(server.url, "alphaomega", sessions[2])]
            for _ in range(3):  # warm-up: connections, imports, first-request costs
                for path in paths:
                    path()
            runs_direct, runs_stock, runs_through = [], [], []
            for _ in range(args.runs):
                runs_direct.append(paths[0]())
                runs_stock.append(paths[1]())
                runs_through.append(paths[2]())
        finally:
            server.stop()
            stock.terminate()
            stock.wait(10)

    assert all(len(r) == args.tokens for r in runs_direct + runs_stock + runs_through), "a run lost chunks"
    def ms(runs: list[list[float]], index: int) -> list[float]:
        return [r[index] * 1000 for r in runs]

    # Forwarding: for each chunk, how much later it arrived through AlphaOmega than its first token's offset
    # would predict. Buffering would show up as lags that grow towards the end of the answer.
    lags = [(t[i] - t[0]) * 1000 - (d[i] - d[0]) * 1000 for d, t in zip(runs_direct, runs_through, strict=True)
            for i in range(1, args.tokens)]

    print(f"AlphaOmega overhead: {args.runs} streamed answers of {args.tokens} chunks, "
          f"{args.chunk_delay * 1000:.1f} ms between chunks; direct, stock Pipelines server with a minimal pipe, "
          f"and alphaomega serve, round-robin{' (status lines off)' if args.no_status else ''}\n")
    print(f"{'':26}{'direct':>10}{'minimal pipe':>14}{'AlphaOmega':>12}{'AO - direct':>13}{'AO - minimal':>14}")
    for label, index in (("time to first token", 0), ("total time", -1)):
        d, m, t = ms(runs_direct, index), ms(runs_stock, index), ms(runs_through, index)
        for stat, fn in (("median", statistics.median), ("p90", lambda v: p(v, 90))):
            a, b, c = fn(d), fn(m), fn(t)
            print(f"{label + ' ' + stat:26}{a:>8.2f}ms{b:>12.2f}ms{c:>10.2f}ms{c - a:>+11.2f}ms{c - b:>+12.2f}ms"
                  f"  ({c / a:.2f}x direct)")
    print(f"\nchunk forwarding lag through AlphaOmega vs direct: median {statistics.median(lags):.2f} ms, "
          f"p99 {p(lags, 99):.2f} ms (near zero at every position = forwarded as they arrive, not buffered)")
    added = statistics.median(ms(runs_through, 0)) - statistics.median(ms(runs_direct, 0))
    ours = statistics.median(ms(runs_through, 0)) - statistics.median(ms(runs_stock, 0))
    print(f"goal: < 5 ms added to the median time to first token -> {added:.2f} ms "
          f"({'met' if added < 5 else 'NOT met'}); of which the Pipelines server itself {added - ours:.2f} ms "
          f"and AlphaOmega {ours:.2f} ms")


if __name__ == "__main__":
    main()
