"""What AlphaOmega and the Pipelines server add to a streamed answer, measured side by side.

The same fake Ollama is called directly (`POST /api/chat`) and through `alphaomega serve`
(`POST /chat/completions`), alternating, in one run. Printed: median and p90 time to first
token and total time for both paths, the difference in ms and the ratio, and how closely
the chunk arrival times through the pipeline follow the direct ones (forwarded, not buffered).

    python benchmarks/overhead.py [--runs 40] [--tokens 60] [--chunk-delay 0.004]
"""
import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fakes.ollama import FakeOllama, Script  # noqa: E402
from tests.harness import PipelinesServer  # noqa: E402


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


def through(server: PipelinesServer, session: requests.Session) -> list[float]:
    started = time.perf_counter()
    body = {"model": "alphaomega", "stream": True, "messages": [{"role": "user", "content": "hello"}],
            "user": {"role": "user", "id": "bench"}}
    with session.post(server.url + "/chat/completions", json=body, headers=server.headers(), stream=True) as r:
        return chunk_times(r, started, sse_content)


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--tokens", type=int, default=60)
    parser.add_argument("--chunk-delay", type=float, default=0.004, help="seconds between fake tokens")
    args = parser.parse_args()

    reply = " ".join(f"word{i}" for i in range(args.tokens))
    with FakeOllama() as fake, tempfile.TemporaryDirectory() as data:
        fake.default = Script(reply=reply, chunk_delay=args.chunk_delay)
        server = PipelinesServer.start(Path(data), env={"ALPHAOMEGA_OLLAMA_REASONING_URL": fake.url,
                                                        "ALPHAOMEGA_LOG_LEVEL": "WARNING"})
        try:
            s_direct, s_through = requests.Session(), requests.Session()
            for _ in range(3):  # warm-up: connections, imports, first-request costs
                direct(fake, s_direct)
                through(server, s_through)
            runs_direct, runs_through = [], []
            for _ in range(args.runs):
                runs_direct.append(direct(fake, s_direct))
                runs_through.append(through(server, s_through))
        finally:
            server.stop()

    assert all(len(r) == args.tokens for r in runs_direct + runs_through), "a run lost chunks"
    ttft_d = [r[0] * 1000 for r in runs_direct]
    ttft_t = [r[0] * 1000 for r in runs_through]
    total_d = [r[-1] * 1000 for r in runs_direct]
    total_t = [r[-1] * 1000 for r in runs_through]
    # Forwarding: for each chunk, how much later it arrived through the pipeline than its first token offset
    # would predict. Buffering would show up as lags that grow towards the end of the answer.
    lags = [(t[i] - t[0]) * 1000 - (d[i] - d[0]) * 1000 for d, t in zip(runs_direct, runs_through)
            for i in range(1, args.tokens)]

    print(f"AlphaOmega overhead: {args.runs} streamed answers of {args.tokens} chunks, "
          f"{args.chunk_delay * 1000:.1f} ms between chunks, alternating direct / through the Pipelines server\n")
    print(f"{'':24}{'direct':>12}{'through':>12}{'added':>12}{'ratio':>10}")
    for label, d, t in (("time to first token", ttft_d, ttft_t), ("total time", total_d, total_t)):
        for stat, fn in (("median", statistics.median), ("p90", lambda v: p(v, 90))):
            a, b = fn(d), fn(t)
            print(f"{label + ' ' + stat:24}{a:>10.2f}ms{b:>10.2f}ms{b - a:>10.2f}ms{b / a:>9.2f}x")
    print(f"\nchunk forwarding lag vs direct: median {statistics.median(lags):.2f} ms, p99 {p(lags, 99):.2f} ms "
          "(near zero at every position = forwarded as they arrive, not buffered)")
    added = statistics.median(ttft_t) - statistics.median(ttft_d)
    print(f"goal: < 5 ms added to the median time to first token -> {added:.2f} ms "
          f"({'met' if added < 5 else 'NOT met'})")


if __name__ == "__main__":
    main()
