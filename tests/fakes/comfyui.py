"""A fake ComfyUI: a real aiohttp HTTP + websocket server on 127.0.0.1 that behaves like ComfyUI 0.3.64.

It reproduces tests/data/comfyui_transcripts: the routes (bare and under /api), status codes and
content types, the 400 validation bodies and the plain-text 500, `/history` being `{}` until a job
ends, `/queue` items, targeted and global interrupts, and per prompt the exact websocket sequence
(status x2, execution_start, execution_cached, progress_state/executing/progress/executed,
execution_success, status, executing null), with binary preview frames (event 1 JPEG, or event 4
with metadata after the feature_flags handshake) and SaveImageWebsocket PNG frames. Frames for a
prompt go only to its client_id's socket; a reconnect with the same id gets `status` and
`executing {"node": ...}` without a prompt id.

Tests script it per prompt (`push(Script(...))`) or for all (`default`): step timing, an execution
error, a websocket dropped or silent mid-job, an outside interrupt, a job lost as in a restart, a
hold before the job starts, a forced HTTP status; `cut_views_after` drops picture downloads midway,
`api_key` makes it answer 401/403 like ComfyUI behind an auth proxy.
Run it alone: `python -m tests.fakes.comfyui --port 8188`.
"""
import argparse
import asyncio
import json
import os
import random
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.comfyui_graph import (
    ExecutionList,
    NodeClasses,
    make_png,
    signatures,
    upstream_size,
    upstream_value,
    validate_prompt,
)

SAMPLERS = {"KSampler", "KSamplerAdvanced", "SamplerCustom", "SamplerCustomAdvanced"}
SYSTEM_STATS = {"system": {"os": "posix", "ram_total": 25276194816, "ram_free": 22790283264,
                           "comfyui_version": "0.3.64", "required_frontend_version": "1.27.10",
                           "installed_templates_version": "0.1.95", "required_templates_version": "0.1.95",
                           "python_version": "3.11.7 (main, May  9 2026, 07:35:25) [GCC 12.2.0]",
                           "pytorch_version": "2.13.0+cpu", "embedded_python": False,
                           "argv": ["main.py", "--cpu", "--listen", "127.0.0.1", "--port", "8188",
                                    "--disable-auto-launch", "--preview-method", "latent2rgb"]},
                "devices": [{"name": "cpu", "type": "cpu", "index": None, "vram_total": 25276194816,
                             "vram_free": 22790283264, "torch_vram_total": 25276194816,
                             "torch_vram_free": 22790283264}]}
MODEL_FOLDERS = ["checkpoints", "configs", "loras", "vae", "text_encoders", "diffusion_models", "clip_vision",
                 "style_models", "embeddings", "diffusers", "vae_approx", "controlnet", "gligen", "upscale_models",
                 "custom_nodes", "hypernetworks", "photomaker", "classifiers", "model_patches", "audio_encoders"]
SERVER_FEATURES = {"supports_preview_metadata": True, "max_upload_size": 104857600}
CRASH_500 = "500 Internal Server Error\n\nServer got itself in trouble"
ALLOC_ERROR = ("[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate memory: you tried "
               "to allocate 4398046511104 bytes. Error code 12 (Cannot allocate memory)\n")
ALLOC_TRACEBACK = ["  File \"<path>/ComfyUI/execution.py\", line 496, in execute\n    output_data, output_ui, "
                   "has_subgraph, has_pending_tasks = await get_output_data(...)\n"]


@dataclass
class Script:
    """How the fake runs one prompt. None means the server-wide setting."""

    step_delay: float | None = None  # seconds per sampler step
    node_delay: float | None = None  # seconds per other node
    node_delays: dict[str, float] = field(default_factory=dict)  # by node id or class_type
    fail_node: str | None = None  # node id or class_type that ends in execution_error
    exception_message: str = ALLOC_ERROR
    exception_type: str = "RuntimeError"
    drop_ws_after_step: int | None = None  # abort the client's socket after this sampler step (frames then lost)
    drop_ws_at_node: str | None = None  # ... or when this node (id or class) starts
    ws_outage: float = 0.0  # refuse that client's reconnects for this long after the drop
    ws_close_frame: bool = False  # drop with a close frame (1001, as a restarting server) instead of cutting it
    stall_ws_after_step: int | None = None  # send that socket nothing more (HTTP still answers)
    mute_after_step: int | None = None  # ... nothing more about its prompts; broadcasts still arrive
    interrupt_after_step: int | None = None  # someone else's global /interrupt during sampling
    lose_after_step: int | None = None  # the job vanishes from queue and history, sockets close (a restart)
    hold: threading.Event | None = None  # the job stays pending until this is set
    prompt_status: int | None = None  # answer POST /prompt with this status instead (500: the plain-text crash)


@dataclass
class Received:
    method: str  # "WS" for a websocket connection
    path: str
    body: Any
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)
    client_id: str | None = None


class _Interrupted(Exception):
    def __init__(self, node_id: str, node_type: str):
        self.node_id, self.node_type = node_id, node_type


class _Failed(Exception):
    def __init__(self, node_id: str, node_type: str, inputs: dict):
        self.node_id, self.node_type, self.inputs = node_id, node_type, inputs


class _Lost(Exception):
    pass


class FakeComfyUI:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, api_routes: bool = True,
                 models: dict[str, list[str]] | None = None, step_delay: float = 0.002, node_delay: float = 0.0,
                 previews: bool = True, noise_images: bool = False, preview_bytes: int = 50_000):
        self.host, self._port = host, port
        self.api_routes = api_routes
        self.models: dict[str, list[str]] = models if models is not None else {}
        self.step_delay, self.node_delay = step_delay, node_delay
        self.previews = previews
        self.noise_images = noise_images
        self.cut_views_after: int | None = None  # /view drops the connection after this many bytes of a picture
        self.api_key: str | None = None  # when set, as behind an auth proxy: 401 without `Bearer <key>`, 403 if wrong
        self.default = Script()
        self.received: list[Received] = []
        self._preview = _fake_jpeg(preview_bytes)
        self._noise = os.urandom(1 << 20) if noise_images else b""
        self._lock = threading.Lock()
        self._scripts: list[Script] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._started = threading.Event()
        self._current: asyncio.Future | None = None
        self._reset_state()

    def _reset_state(self) -> None:
        self.input_files = ["example.png"]
        self.classes = NodeClasses(self.models, self.input_files)
        self._pending: list[list] = []
        self._running: list | None = None
        self._history: dict[str, dict] = {}
        self._item_scripts: dict[str, Script] = {}
        self._sockets: dict[str, web.WebSocketResponse] = {}
        self._flags: dict[str, dict] = {}
        self._stalled: set[str] = set()
        self._muted: set[str] = set()
        self._refuse_until: dict[str, float] = {}
        self._number = 0
        self._interrupt = False
        self._cache: dict[str, dict | None] = {}
        self._files: dict[tuple[str, str, str], bytes] = {}
        self._temp_prefix = "ComfyUI_temp_" + "".join(random.choice(string.ascii_lowercase) for _ in range(5))
        self.client_id: str | None = None
        self.last_node_id: str | None = None
        self.executed_prompts: list[str] = []
        self.timings: dict[str, dict[str, float]] = {}  # prompt id -> started/finished (time.monotonic())
        self.progress_sent: dict[tuple[str, int], float] = {}  # (prompt id, step) -> when its frame went out

    # --- control (from test threads) ----------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self._port}"

    def start(self) -> "FakeComfyUI":
        self._thread = threading.Thread(target=self._serve, name="fake-comfyui", daemon=True)
        self._thread.start()
        if not self._started.wait(10):
            raise RuntimeError("fake ComfyUI did not start")
        return self

    def stop(self) -> None:
        if self._loop and self._runner:
            self._call(self._async_reset())  # open websockets would hold up the shutdown
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread:
            self._thread.join(10)

    def __enter__(self) -> "FakeComfyUI":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Back to an idle server with no models, files, history or scripts (sockets are closed)."""
        self._call(self._async_reset())
        with self._lock:
            self._scripts.clear()
            self.received.clear()
        self.default = Script()
        self.models.clear()
        self.previews, self.step_delay, self.node_delay = True, 0.002, 0.0
        self.cut_views_after = None
        self.api_key = None

    async def _async_reset(self) -> None:
        if self._current is not None:
            self._current.cancel()
        await self._drop(None)
        self._reset_state()

    def push(self, script: Script) -> None:
        with self._lock:
            self._scripts.append(script)

    def requests(self, method: str | None = None, path_part: str = "") -> list[Received]:
        with self._lock:
            return [r for r in self.received if (method is None or r.method == method) and path_part in r.path]

    def prompts(self) -> list[dict]:
        """Every POST /prompt body, in order."""
        return [r.body for r in self.requests("POST", "prompt") if r.path.split("?")[0].endswith("/prompt")]

    def history_entry(self, prompt_id: str) -> dict | None:
        return self._call(self._get_history(prompt_id))

    def queue_state(self) -> dict:
        return self._call(self._queue_body())

    def connected_clients(self) -> list[str]:
        return self._call(self._clients())

    def open_connections(self) -> int:
        """TCP connections clients hold open to this server (HTTP keep-alive and websockets alike)."""
        return self._call(self._open_connections())

    async def _open_connections(self) -> int:
        return len(self._runner.server.connections) if self._runner and self._runner.server else 0

    def files(self) -> dict[tuple[str, str, str], bytes]:
        return dict(self._files)

    def interrupt(self, prompt_id: str | None = None) -> None:
        """What another user's client would do: a global interrupt, or a targeted one."""
        self._call(self._async_interrupt(prompt_id))

    def broadcast(self, event: str, data: dict) -> None:
        """A frame for every socket, as custom nodes send (e.g. `crystools.monitor`)."""
        self._call(self._send(event, data, None))

    def send_frame(self, frame: str | bytes | dict | list, client_id: str | None = None) -> None:
        """Any frame, well-formed or not (a dict or list goes as JSON text), to one client or to every socket."""
        message = json.dumps(frame) if isinstance(frame, (dict, list)) else frame
        self._call(self._send_raw(message, client_id))

    def drop_websockets(self, client_id: str | None = None) -> None:
        self._call(self._drop(client_id))

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.01)
        raise TimeoutError("condition not met in time")

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    # --- server -----------------------------------------------------------------------
    def _serve(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        app = web.Application(client_max_size=200 * 1024 * 1024, middlewares=[self._record])
        routes = [("GET", "/ws", self._ws), ("GET", "/system_stats", self._system_stats),
                  ("GET", "/object_info", self._object_info), ("GET", "/object_info/{node_class}", self._object_info),
                  ("GET", "/models", self._models), ("GET", "/models/{folder}", self._models),
                  ("GET", "/embeddings", self._embeddings), ("GET", "/features", self._features),
                  ("GET", "/prompt", self._get_prompt), ("POST", "/prompt", self._post_prompt),
                  ("GET", "/queue", self._get_queue), ("POST", "/queue", self._post_queue),
                  ("POST", "/interrupt", self._post_interrupt), ("POST", "/free", self._post_free),
                  ("GET", "/history", self._get_history_list), ("GET", "/history/{prompt_id}", self._get_history_one),
                  ("POST", "/history", self._post_history), ("GET", "/view", self._view),
                  ("POST", "/upload/image", self._upload)]
        for method, path, handler in routes:
            app.router.add_route(method, path, handler)
            if self.api_routes:
                app.router.add_route(method, "/api" + path, handler)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, self.host, self._port)
        self._loop.run_until_complete(site.start())
        self._port = site._server.sockets[0].getsockname()[1]
        self._wake = asyncio.Event()
        self._loop.create_task(self._executor())
        self._started.set()
        self._loop.run_forever()

    @web.middleware
    async def _record(self, request: web.Request, handler):
        body: Any = None
        if request.method == "POST" and request.content_type != "multipart/form-data":
            raw = await request.read()
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
        is_ws = request.headers.get("Upgrade", "").lower() == "websocket"
        with self._lock:
            self.received.append(Received("WS" if is_ws else request.method, request.path_qs, body,
                                          dict(request.headers), client_id=request.query.get("clientId")))
        if self.api_key is not None:
            given = request.headers.get("Authorization")
            if given is None:
                return web.json_response({"error": "Unauthorized"}, status=401)
            if given != f"Bearer {self.api_key}":
                return web.json_response({"error": "Forbidden"}, status=403)
        return await handler(request)

    # --- websocket ----------------------------------------------------------------------
    async def _ws(self, request: web.Request) -> web.StreamResponse:
        sid = request.query.get("clientId") or os.urandom(16).hex()
        if time.monotonic() < self._refuse_until.get(sid, 0):
            return web.Response(status=503, text="websocket temporarily unavailable")
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self._sockets[sid] = ws
        self._stalled.discard(sid)
        self._flags.pop(sid, None)
        await self._send("status", {"status": self._queue_info(), "sid": sid}, sid)
        if self.client_id == sid and self.last_node_id is not None:
            await self._send("executing", {"node": self.last_node_id}, sid)
        first = True
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT and first:
                    try:
                        data = json.loads(message.data)
                    except ValueError:
                        data = None
                    if isinstance(data, dict) and data.get("type") == "feature_flags":
                        self._flags[sid] = data.get("data") or {}
                        await self._send("feature_flags", SERVER_FEATURES, sid)
                first = False
        finally:
            if self._sockets.get(sid) is ws:
                del self._sockets[sid]
        return ws

    async def _send(self, event: str, data: dict, sid: str | None) -> None:
        await self._send_raw(json.dumps({"type": event, "data": data}), sid)

    async def _send_raw(self, message: str | bytes, sid: str | None) -> None:
        targets = list(self._sockets.items()) if sid is None else \
            ([(sid, self._sockets[sid])] if sid in self._sockets else [])
        for target, ws in targets:
            if target in self._stalled or ws.closed or (sid is not None and target in self._muted):
                continue
            try:
                if isinstance(message, bytes):
                    await ws.send_bytes(message)
                else:
                    await ws.send_str(message)
            except (ConnectionError, RuntimeError):
                pass

    async def _drop(self, client_id: str | None, outage: float = 0.0, close_frame: bool = False) -> None:
        for sid, ws in list(self._sockets.items()):
            if client_id is None or sid == client_id:
                self._sockets.pop(sid, None)
                if outage:
                    self._refuse_until[sid] = time.monotonic() + outage
                if close_frame:  # in the background: the executor must not wait for the client's answer
                    asyncio.ensure_future(ws.close(code=1001, message=b"Server shutting down"))
                    continue
                transport = ws._req.transport if ws._req is not None else None  # an abrupt drop: no close frame
                if transport is not None:
                    transport.abort()

    async def _clients(self) -> list[str]:
        return list(self._sockets)

    # --- HTTP: queueing -----------------------------------------------------------------
    async def _post_prompt(self, request: web.Request) -> web.Response:
        try:
            body = json.loads(await request.read())
        except ValueError:
            return _crash()
        with self._lock:
            script = self._scripts.pop(0) if self._scripts else self.default
        if script.prompt_status is not None:
            return _crash() if script.prompt_status == 500 else web.Response(status=script.prompt_status)
        if not isinstance(body, dict):
            return _crash()
        if "number" in body:
            number: float | int = float(body["number"])
        else:
            number = -self._number if body.get("front") else self._number
            self._number += 1
        if "prompt" not in body:
            return web.json_response({"error": {"type": "no_prompt", "message": "No prompt provided",
                                                "details": "No prompt provided", "extra_info": {}},
                                      "node_errors": {}}, status=400)
        prompt = body["prompt"]
        prompt_id = str(body.get("prompt_id") or _uuid())
        try:
            valid, error, outputs, node_errors = validate_prompt(prompt, self.classes)
        except Exception:
            return _crash()
        extra_data = dict(body.get("extra_data") or {})
        if "client_id" in body:
            extra_data["client_id"] = body["client_id"]
        if not valid:
            return web.json_response({"error": error, "node_errors": node_errors}, status=400)
        self._pending.append([number, prompt_id, prompt, extra_data, outputs])
        self._item_scripts[prompt_id] = script
        await self._queue_updated()
        self._wake.set()
        return web.json_response({"prompt_id": prompt_id, "number": number, "node_errors": node_errors})

    async def _get_prompt(self, request: web.Request) -> web.Response:
        return web.json_response({"exec_info": self._queue_info()["exec_info"]})

    async def _get_queue(self, request: web.Request) -> web.Response:
        return web.json_response(await self._queue_body())

    async def _queue_body(self) -> dict:
        running = [self._running[:5]] if self._running else []
        return {"queue_running": running, "queue_pending": [item[:5] for item in sorted(self._pending,
                                                                                       key=lambda i: i[0])]}

    async def _post_queue(self, request: web.Request) -> web.Response:
        body = await _json_or_none(request)
        if isinstance(body, dict):
            if body.get("clear"):
                self._pending.clear()
                await self._queue_updated()
            if isinstance(body.get("delete"), list):
                before = len(self._pending)
                self._pending = [item for item in self._pending if item[1] not in body["delete"]]
                if len(self._pending) != before:
                    await self._queue_updated()
        return web.Response(status=200)

    async def _post_interrupt(self, request: web.Request) -> web.Response:
        body = await _json_or_none(request)
        await self._async_interrupt(body.get("prompt_id") if isinstance(body, dict) else None)
        return web.Response(status=200)

    async def _async_interrupt(self, prompt_id: str | None) -> None:
        if prompt_id:
            if self._running and self._running[1] == prompt_id:
                self._interrupt = True
        else:
            self._interrupt = True

    async def _post_free(self, request: web.Request) -> web.Response:
        return web.Response(status=200)

    async def _get_history_list(self, request: web.Request) -> web.Response:
        max_items = request.query.get("max_items")
        items = list(self._history.items())
        if max_items is not None:
            count = int(max_items)
            offset = int(request.query.get("offset", -1))
            offset = len(items) - count if offset < 0 else offset
            items = items[max(offset, 0):max(offset, 0) + count]
        return web.json_response(dict(items))

    async def _get_history_one(self, request: web.Request) -> web.Response:
        entry = await self._get_history(request.match_info["prompt_id"])
        return web.json_response({request.match_info["prompt_id"]: entry} if entry is not None else {})

    async def _get_history(self, prompt_id: str) -> dict | None:
        return self._history.get(prompt_id)

    async def _post_history(self, request: web.Request) -> web.Response:
        body = await _json_or_none(request)
        if isinstance(body, dict):
            if body.get("clear"):
                self._history.clear()
            for prompt_id in body.get("delete") or []:
                self._history.pop(prompt_id, None)
        return web.Response(status=200)

    # --- HTTP: information and files --------------------------------------------------------
    async def _system_stats(self, request: web.Request) -> web.Response:
        return web.json_response(SYSTEM_STATS)

    async def _object_info(self, request: web.Request) -> web.Response:
        name = request.match_info.get("node_class")
        if name is None:
            return web.json_response(self.classes.all())
        info = self.classes.info(name)
        return web.json_response({name: info} if info is not None else {})

    async def _models(self, request: web.Request) -> web.Response:
        folder = request.match_info.get("folder")
        if folder is None:
            return web.json_response(MODEL_FOLDERS)
        if folder not in MODEL_FOLDERS:
            return web.Response(status=404)
        return web.json_response(sorted(self.models.get(folder, [])))

    async def _embeddings(self, request: web.Request) -> web.Response:
        return web.json_response([])

    async def _features(self, request: web.Request) -> web.Response:
        return web.json_response(SERVER_FEATURES)

    async def _view(self, request: web.Request) -> web.Response:
        filename = request.query.get("filename")
        if filename is None:
            return web.Response(status=404)
        if not filename or filename[0] == "/" or ".." in filename:
            return web.Response(status=400)
        key = (request.query.get("type", "output"), request.query.get("subfolder", ""), filename)
        data = self._files.get(key)
        if data is None:
            return web.Response(status=404)
        if self.cut_views_after is not None:  # the connection drops mid-download (ComfyUI or a proxy went away)
            response = web.StreamResponse(headers={"Content-Type": "image/png", "Content-Length": str(len(data))})
            await response.prepare(request)
            await response.write(data[:self.cut_views_after])
            request.transport.abort()
            return response
        return web.Response(body=data, content_type="image/png",
                            headers={"Content-Disposition": f'filename="{filename}"'})

    async def _upload(self, request: web.Request) -> web.Response:
        form = await request.post()
        image = form.get("image")
        if image is None or not hasattr(image, "file"):
            return web.Response(status=400)
        data = image.file.read()
        subfolder = str(form.get("subfolder", ""))
        kind = str(form.get("type", "input"))
        name = image.filename
        overwrite = str(form.get("overwrite", "")).lower() in ("true", "1")
        base, dot, ext = name.rpartition(".")
        counter = 1
        while not overwrite and (kind, subfolder, name) in self._files and self._files[(kind, subfolder, name)] != data:
            name = f"{base} ({counter}).{ext}" if dot else f"{name} ({counter})"
            counter += 1
        self._files[(kind, subfolder, name)] = data
        if kind == "input":
            self.input_files.append(f"{subfolder}/{name}" if subfolder else name)
        return web.json_response({"name": name, "subfolder": subfolder, "type": kind})

    # --- the executor ---------------------------------------------------------------------
    async def _executor(self) -> None:
        while True:
            if not self._pending:
                self._wake.clear()
                await self._wake.wait()
                continue
            item = min(self._pending, key=lambda i: i[0])
            script = self._item_scripts.get(item[1], self.default)
            if script.hold is not None and not script.hold.is_set():
                await asyncio.sleep(0.01)
                continue
            self._pending.remove(item)
            self._running = item
            await self._queue_updated()
            self._current = asyncio.ensure_future(self._execute(item, script))
            try:
                await self._current
            except asyncio.CancelledError:  # reset() between tests
                pass
            except Exception:  # a bug in the fake must not stop the executor; tests see the missing history
                import traceback

                traceback.print_exc()
                self._running = None
            finally:
                self._current = None

    async def _execute(self, item: list, script: Script) -> None:
        number, prompt_id, prompt, extra_data, outputs = item
        client = extra_data.get("client_id")
        self.client_id = client
        self._interrupt = False
        messages: list = []

        async def add_message(event: str, data: dict, broadcast: bool) -> None:
            data = {**data, "timestamp": int(time.time() * 1000)}
            messages.append([event, data])
            if client is not None or broadcast:
                await self._send(event, data, client)

        self.timings[prompt_id] = {"started": time.monotonic()}
        await add_message("execution_start", {"prompt_id": prompt_id}, False)
        sigs = signatures(prompt)
        current = set(sigs.values())
        self._cache = {key: value for key, value in self._cache.items() if key in current}
        cached = [node_id for node_id in prompt if sigs[node_id] in self._cache]
        await add_message("execution_cached", {"nodes": cached, "prompt_id": prompt_id}, False)
        run = _Run(self, prompt_id, prompt, extra_data, client, script, sigs)
        order = ExecutionList(prompt, self.classes, set(cached))
        for output in outputs:
            order.add_node(output)
        status = {"status_str": "success", "completed": True}
        try:
            while not order.is_empty():
                node_id = order.next_node()
                await run.node(node_id)
                order.complete(node_id)
            await add_message("execution_success", {"prompt_id": prompt_id}, False)
        except _Interrupted as stop:
            await add_message("execution_interrupted", {"prompt_id": prompt_id, "node_id": stop.node_id,
                                                        "node_type": stop.node_type, "executed": run.executed}, True)
            status = {"status_str": "error", "completed": False}
        except _Failed as failure:
            await add_message("execution_error", {
                "prompt_id": prompt_id, "node_id": failure.node_id, "node_type": failure.node_type,
                "executed": run.executed, "exception_message": script.exception_message,
                "exception_type": script.exception_type, "traceback": ALLOC_TRACEBACK,
                "current_inputs": {k: [v] for k, v in failure.inputs.items() if not isinstance(v, list)},
                "current_outputs": list(prompt)}, False)
            status = {"status_str": "error", "completed": False}
        except _Lost:
            self._running, self._pending = None, []
            self.last_node_id = None
            await self._drop(None)
            return
        self._history[prompt_id] = {
            "prompt": [number, prompt_id, prompt, extra_data, outputs],
            "outputs": run.ui_outputs, "status": {**status, "messages": messages}, "meta": run.meta}
        self.executed_prompts.append(prompt_id)
        self.timings[prompt_id]["finished"] = time.monotonic()
        self._running = None
        self.last_node_id = None
        await self._queue_updated()
        if client is not None:
            await self._send("executing", {"node": None, "prompt_id": prompt_id}, client)

    async def _queue_updated(self) -> None:
        await self._send("status", {"status": self._queue_info()}, None)

    def _queue_info(self) -> dict:
        return {"exec_info": {"queue_remaining": len(self._pending) + (1 if self._running else 0)}}

    def _save(self, prompt: dict, extra_data: dict, node_id: str, temp: bool) -> list[dict]:
        width, height, batch = upstream_size(prompt, node_id)
        color = upstream_value(prompt, node_id, ("color",))
        seed = upstream_value(prompt, node_id, ("seed", "noise_seed")) or 0
        rgb = ((color >> 16) & 255, (color >> 8) & 255, color & 255) if isinstance(color, int) else \
            tuple(random.Random(seed).randrange(256) for _ in range(3))
        text = {"prompt": json.dumps(prompt)}
        text.update({key: json.dumps(value) for key, value in (extra_data.get("extra_pnginfo") or {}).items()})
        prefix = self._temp_prefix if temp else str(prompt[node_id]["inputs"].get("filename_prefix", "ComfyUI"))
        subfolder, _, prefix = prefix.rpartition("/")
        kind = "temp" if temp else "output"
        images = []
        for _ in range(batch):
            counter = 1 + sum(1 for (t, sub, name) in self._files if t == kind and sub == subfolder
                              and name.startswith(prefix + "_"))
            filename = f"{prefix}_{counter:05}_.png"
            self._files[(kind, subfolder, filename)] = make_png(width, height, rgb, text, self._noise)
            images.append({"filename": filename, "subfolder": subfolder, "type": kind})
        return images


class _Run:
    """One prompt's execution: per-node messages, progress registry, hooks from its Script."""

    def __init__(self, fake: FakeComfyUI, prompt_id: str, prompt: dict, extra_data: dict, client: str | None,
                 script: Script, sigs: dict[str, str]):
        self.fake, self.prompt_id, self.prompt, self.extra_data = fake, prompt_id, prompt, extra_data
        self.client, self.script, self.sigs = client, script, sigs
        self.progress: dict[str, dict] = {}
        self.executed: list[str] = []
        self.ui_outputs: dict[str, dict] = {}
        self.meta: dict[str, dict] = {}

    async def node(self, node_id: str) -> None:
        fake, node = self.fake, self.prompt[node_id]
        class_type = node["class_type"]
        cached = fake._cache.get(self.sigs[node_id], False)
        if cached is not False:  # a cached output node: `executed` again, no `executing`
            if self.client is not None:
                output = (cached or {}).get("output")
                await self._send("executed", {"node": node_id, "display_node": node_id, "output": output,
                                              "prompt_id": self.prompt_id})
                if output is not None:
                    self._ui(node_id, output)
            await self._finish(node_id)
            return
        self.progress[node_id] = {"value": 0.0, "max": 1.0, "state": "running"}
        await self._progress_state()
        fake.last_node_id = node_id
        await self._send("executing", {"node": node_id, "display_node": node_id, "prompt_id": self.prompt_id})
        if self.script.drop_ws_at_node in (node_id, class_type):
            await fake._drop(self.client, self.script.ws_outage, self.script.ws_close_frame)
        self._check_interrupt(node_id, class_type)
        if self.script.fail_node in (node_id, class_type):
            raise _Failed(node_id, class_type, node["inputs"])
        output = None
        if class_type in SAMPLERS:
            await self._sample(node_id, class_type)
        elif class_type == "SaveImageWebsocket":
            await self._websocket_images(node_id)
        else:
            await asyncio.sleep(self._delay(node_id, class_type))
        if class_type in ("SaveImage", "PreviewImage"):
            output = {"images": fake._save(self.prompt, self.extra_data, node_id, temp=class_type == "PreviewImage")}
            await self._send("executed", {"node": node_id, "display_node": node_id, "output": output,
                                          "prompt_id": self.prompt_id})
            self._ui(node_id, output)
        fake._cache[self.sigs[node_id]] = {"output": output} if output is not None else None
        self.executed.append(node_id)
        await self._finish(node_id)

    async def _sample(self, node_id: str, class_type: str) -> None:
        fake, script = self.fake, self.script
        inputs = self.prompt[node_id]["inputs"]
        steps = inputs.get("steps") if isinstance(inputs.get("steps"), int) else \
            upstream_value(self.prompt, node_id, ("steps",)) or 1
        delay = script.step_delay if script.step_delay is not None else fake.step_delay
        metadata = bool(fake._flags.get(self.client or "", {}).get("supports_preview_metadata"))
        for step in range(1, steps + 1):
            await asyncio.sleep(delay)
            if script.interrupt_after_step is not None and step > script.interrupt_after_step:
                fake._interrupt = True
            if script.lose_after_step is not None and step > script.lose_after_step:
                raise _Lost()
            self._check_interrupt(node_id, class_type)
            self.progress[node_id] = {"value": step, "max": steps, "state": "running"}
            await self._progress_state()
            progress = {"value": step, "max": steps, "prompt_id": self.prompt_id, "node": node_id}
            fake.progress_sent[(self.prompt_id, step)] = time.monotonic()
            if fake.previews and metadata:
                info = json.dumps({"node_id": node_id, "prompt_id": self.prompt_id, "display_node_id": node_id,
                                   "parent_node_id": None, "real_node_id": node_id, "image_type": "image/jpeg"})
                frame = (4).to_bytes(4, "big") + len(info).to_bytes(4, "big") + info.encode() + fake._preview
                await self._send_bytes(frame)
                await self._send("progress", progress)
            else:
                await self._send("progress", progress)
                if fake.previews:
                    await self._send_bytes((1).to_bytes(4, "big") + (1).to_bytes(4, "big") + fake._preview)
            if script.drop_ws_after_step == step:
                await fake._drop(self.client, script.ws_outage, script.ws_close_frame)
            if script.stall_ws_after_step == step and self.client:
                fake._stalled.add(self.client)
            if script.mute_after_step == step and self.client:
                fake._muted.add(self.client)

    async def _websocket_images(self, node_id: str) -> None:
        width, height, batch = upstream_size(self.prompt, node_id)
        color = upstream_value(self.prompt, node_id, ("color",)) or 0
        rgb = ((color >> 16) & 255, (color >> 8) & 255, color & 255)
        for index in range(batch):
            self.progress[node_id] = {"value": index, "max": batch, "state": "running"}
            await self._progress_state()
            await self._send("progress", {"value": index, "max": batch, "prompt_id": self.prompt_id,
                                          "node": node_id})
            png = make_png(width, height, rgb, {})
            await self._send_bytes((1).to_bytes(4, "big") + (2).to_bytes(4, "big") + png)
        self.progress[node_id] = {"value": batch, "max": batch, "state": "running"}

    def _check_interrupt(self, node_id: str, class_type: str) -> None:
        if self.fake._interrupt:
            self.fake._interrupt = False
            raise _Interrupted(node_id, class_type)

    def _delay(self, node_id: str, class_type: str) -> float:
        delays = self.script.node_delays
        if node_id in delays or class_type in delays:
            return delays.get(node_id, delays.get(class_type, 0.0))
        return self.script.node_delay if self.script.node_delay is not None else self.fake.node_delay

    def _ui(self, node_id: str, output: dict) -> None:
        self.ui_outputs[node_id] = output
        self.meta[node_id] = {"node_id": node_id, "display_node": node_id, "parent_node": None, "real_node_id": node_id}

    async def _finish(self, node_id: str) -> None:
        entry = self.progress.setdefault(node_id, {"value": 0, "max": 1})
        entry.update(state="finished", value=entry["max"])
        await self._progress_state()

    async def _progress_state(self) -> None:
        nodes = {node_id: {"value": e["value"], "max": e["max"], "state": e["state"], "node_id": node_id,
                           "prompt_id": self.prompt_id, "display_node_id": node_id, "parent_node_id": None,
                           "real_node_id": node_id} for node_id, e in self.progress.items()}
        await self._send("progress_state", {"prompt_id": self.prompt_id, "nodes": nodes})

    async def _send(self, event: str, data: dict) -> None:
        if self.client is not None:
            await self.fake._send(event, data, self.client)

    async def _send_bytes(self, frame: bytes) -> None:
        if self.client is not None:
            await self.fake._send_raw(frame, self.client)


def _crash() -> web.Response:
    return web.Response(status=500, text=CRASH_500)


async def _json_or_none(request: web.Request) -> Any:
    raw = await request.read()
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def _fake_jpeg(size: int) -> bytes:
    """A preview payload: a real JPEG when Pillow is installed, else JPEG-framed noise of the recorded size."""
    try:
        import io

        from PIL import Image

        side = max(8, int((size / 0.9) ** 0.5 / 1.7))
        image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=95)
        return out.getvalue()
    except ImportError:
        return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + os.urandom(size) + b"\xff\xd9"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8188)
    parser.add_argument("--checkpoint", action="append", default=[], help="an installed checkpoint file name")
    parser.add_argument("--step-delay", type=float, default=0.2, help="seconds per sampler step")
    parser.add_argument("--no-previews", action="store_true", help="like --preview-method none")
    args = parser.parse_args()
    fake = FakeComfyUI(port=args.port, models={"checkpoints": args.checkpoint}, step_delay=args.step_delay,
                       previews=not args.no_previews)
    fake.start()
    print(f"fake ComfyUI on {fake.url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
