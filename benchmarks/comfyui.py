"""What AlphaOmega's ComfyUI client adds beyond the server's own execution time, side by side with a bare client.

A fake ComfyUI with fixed step timing runs the SDXL template (1024x1024 noise PNGs of ~3 MB, like a
real render, with preview frames on). Measured in one run, alternating:

- AlphaOmega: the whole image agent (parse, plan, health check, websocket, submit, progress, history,
  /view, metadata strip, data URI), from the call until the last item;
- bare: the minimum a client must do (websocket, POST /prompt, wait for `executing` null, GET /history,
  GET /view, base64), without progress, reconnects or errors.

Overhead = wall time minus the fake's execution time (execution_start to finish, on the same monotonic
clock). Then a long job (many fast steps) measures each progress frame's lag: from the fake sending it
to the job loop handing the event on. Goals: < 50 ms per image, < 1 ms per progress message. The fake
runs in its own process (as ComfyUI would), so it does not compete with the client for the GIL; the
per-image overhead still includes the fake's HTTP work outside execution (validation, /history, /view).

    python benchmarks/comfyui.py [--runs 15] [--steps 20] [--step-delay 0.01] [--long-steps 400]
"""
import argparse
import base64
import json
import multiprocessing
import statistics
import sys
import time
import uuid
from pathlib import Path

import requests
import websocket

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alphaomega.agents.backends import Backends  # noqa: E402
from alphaomega.agents.base import Image  # noqa: E402
from alphaomega.agents.image_generation import ImageGenerationAgent  # noqa: E402
from alphaomega.pipelines.request import build_context  # noqa: E402
from alphaomega.valves import Valves  # noqa: E402
from alphaomega.workflows.comfyui_client import ComfyUIClient  # noqa: E402
from alphaomega.workflows.comfyui_job import ComfyJob, JobSettings  # noqa: E402
from alphaomega.workflows.templates import load_template  # noqa: E402
from tests.fakes.comfyui import FakeComfyUI  # noqa: E402

CHECKPOINT = "sd_xl_base_1.0.safetensors"


class RemoteFake:
    """The fake ComfyUI in a child process; what the benchmark needs of it goes through a pipe."""

    def __init__(self, **options):
        self._pipe, child = multiprocessing.Pipe()
        self._process = multiprocessing.Process(target=_serve, args=(child, options), daemon=True)
        self._process.start()
        self.url = self._pipe.recv()

    def ask(self, *command):
        self._pipe.send(command)
        return self._pipe.recv()

    def prompts(self) -> list[dict]:
        return self.ask("prompts")

    def stop(self) -> None:
        self.ask("stop")
        self._process.join(10)


def _serve(pipe, options) -> None:
    with FakeComfyUI(**options) as fake:
        pipe.send(fake.url)
        while True:
            command, *rest = pipe.recv()
            if command == "stop":
                pipe.send(None)
                return
            if command == "prompts":
                pipe.send(fake.prompts()[-1:])
            elif command == "timing":
                pipe.send(fake.timings[rest[0]])
            elif command == "progress_sent":
                pipe.send({step: at for (prompt_id, step), at in fake.progress_sent.items() if prompt_id == rest[0]})
            elif command == "set":
                setattr(fake, rest[0], rest[1])
                pipe.send(None)
            elif command == "preview_size":
                pipe.send(len(fake._preview))


def agent_run(fake: "RemoteFake", valves: Valves, backends: Backends, seed: int) -> tuple[float, str, int]:
    text = f"/image a lighthouse at dusk, seed {seed}"
    ctx = build_context({"stream": True, "messages": []}, [{"role": "user", "content": text}], valves, backends)
    started = time.monotonic()
    items = list(ImageGenerationAgent().run(ctx))
    wall = time.monotonic() - started
    images = [item for item in items if isinstance(item, Image)]
    assert len(images) == 1, items[-1]
    return wall, fake.prompts()[-1]["prompt_id"], len(images[0].data_uri)


def bare_run(fake: "RemoteFake", graph: dict) -> tuple[float, str, int]:
    started = time.monotonic()
    client_id = uuid.uuid4().hex
    ws = websocket.create_connection(f"{fake.url.replace('http', 'ws')}/ws?clientId={client_id}")
    prompt_id = requests.post(fake.url + "/prompt", json={"prompt": graph, "client_id": client_id}).json()["prompt_id"]
    while True:
        opcode, data = ws.recv_data()
        if opcode == websocket.ABNF.OPCODE_TEXT:
            message = json.loads(data)
            if message["type"] == "executing" and message["data"].get("node") is None \
                    and message["data"].get("prompt_id") == prompt_id:
                break
    ws.close()
    entry = requests.get(f"{fake.url}/history/{prompt_id}").json()[prompt_id]
    ref = next(iter(entry["outputs"].values()))["images"][0]
    data = requests.get(fake.url + "/view", params=ref).content
    uri = "data:image/png;base64," + base64.b64encode(data).decode()
    return time.monotonic() - started, prompt_id, len(uri)


def server_seconds(fake: "RemoteFake", prompt_id: str) -> float:
    timing = fake.ask("timing", prompt_id)
    return timing["finished"] - timing["started"]


def ms(values: list[float], q: float = 0.5) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--step-delay", type=float, default=0.01)
    parser.add_argument("--long-steps", type=int, default=400)
    parser.add_argument("--long-step-delay", type=float, default=0.003)
    args = parser.parse_args()

    fake = RemoteFake(models={"checkpoints": [CHECKPOINT]}, step_delay=args.step_delay, noise_images=True)
    try:
        valves = Valves(COMFYUI_URL=fake.url, COMFYUI_WORKFLOW="sdxl", STEPS=args.steps, IMAGE_TIMEOUT=120)
        backends = Backends.from_valves(valves)
        workflow = load_template("sdxl")
        agent_runs, bare_runs, sizes = [], [], []
        agent_run(fake, valves, backends, 0)  # warm-up: imports, first connections
        for run in range(args.runs):
            wall, prompt_id, size = agent_run(fake, valves, backends, 1000 + run)
            agent_runs.append((wall, server_seconds(fake, prompt_id)))
            sizes.append(size)
            graph = workflow.render({"prompt": "a lighthouse at dusk", "seed": 5000 + run, "steps": args.steps})
            wall, prompt_id, _ = bare_run(fake, graph)
            bare_runs.append((wall, server_seconds(fake, prompt_id)))

        ours = [wall - server for wall, server in agent_runs]
        bare = [wall - server for wall, server in bare_runs]
        print(f"per image ({args.runs} runs, SDXL 1024x1024, {args.steps} steps x {args.step_delay * 1000:.0f} ms, "
              f"image data URI {statistics.median(sizes) / 1e6:.1f} MB, preview frames on)")
        print(f"  server execution       median {ms([s for _, s in agent_runs]):7.1f} ms")
        print(f"  AlphaOmega overhead    median {ms(ours):7.1f} ms   p90 {ms(ours, 0.9):7.1f} ms   (goal < 50 ms)")
        print(f"  bare client overhead   median {ms(bare):7.1f} ms   p90 {ms(bare, 0.9):7.1f} ms")
        print(f"  ratio AlphaOmega/bare  {statistics.median(ours) / statistics.median(bare):.2f}x")

        fake.ask("set", "step_delay", args.long_step_delay)
        graph = workflow.render({"prompt": "a long render", "seed": 99, "steps": args.long_steps, "width": 512,
                                 "height": 512})
        job = ComfyJob(ComfyUIClient(fake.url), graph, JobSettings(timeout=300), class_of=workflow.class_of)
        received, cpu_started, started = {}, time.process_time(), time.monotonic()
        for event in job.run():
            if event.kind == "progress":
                received[event.value] = time.monotonic()
        wall, cpu = time.monotonic() - started, time.process_time() - cpu_started
        sent = fake.ask("progress_sent", job.prompt_id)
        lags = [received[step] - sent[step] for step in received]
        frames = job.result.frames
        server = server_seconds(fake, job.prompt_id)
        print(f"per progress message ({args.long_steps} steps x {args.long_step_delay * 1000:.0f} ms; {frames} frames "
              f"incl. progress_state and {fake.ask('preview_size') // 1000} KB preview frames)")
        print(f"  lag send -> event      median {ms(lags):6.3f} ms   p99 {ms(lags, 0.99):6.3f} ms   (goal < 1 ms)")
        print(f"  client CPU per frame   {cpu / frames * 1000:6.3f} ms")
        print(f"  wall beyond execution  {(wall - server) * 1000:7.1f} ms for the whole {len(lags)}-step job")
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
