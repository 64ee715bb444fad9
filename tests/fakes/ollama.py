"""A fake Ollama: a real HTTP server on 127.0.0.1 that answers like Ollama v0.24.0.

It reproduces the recorded transcripts in tests/data/ollama_transcripts: status codes,
content types and headers, NDJSON framing with one chunk per line, the final chunk's
metric fields (zero values omitted), the exact JSON error strings, plain-text 404/405
for unknown routes and wrong methods, and `{"error": ...}` lines on an HTTP 200 stream.

Tests script it per request (`push`) or for all requests (`default`), and read back what
it received (`received`). Run it alone with `python -m tests.fakes.ollama --port 11435`.
"""
import argparse
import base64
import binascii
import email.utils
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

RUNNER_CRASH = "an error was encountered while running the model: unexpected EOF"
QUEUE_FULL = "server busy, please try again.  maximum pending requests exceeded"
_GO_DURATION = re.compile(r"^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")
_BASE64_ALPHABET = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
ROUTES = {
    "/": ("GET", "HEAD"),
    "/api/version": ("GET", "HEAD"),
    "/api/tags": ("GET", "HEAD"),
    "/api/ps": ("GET",),
    "/api/show": ("POST",),
    "/api/chat": ("POST",),
}
FLOAT_OPTIONS = {"temperature", "top_p", "min_p", "typical_p", "repeat_penalty", "presence_penalty",
                 "frequency_penalty"}
INT_OPTIONS = {"seed", "num_predict", "top_k", "num_ctx", "num_keep", "repeat_last_n", "num_batch",
               "num_gpu", "main_gpu", "num_thread"}


@dataclass
class Script:
    """How the fake answers one chat request."""

    reply: str | None = None  # None: "Hello from <model>. ..." so tests can tell models apart
    first_byte_delay: float = 0.0  # seconds before anything is sent (a cold model load)
    chunk_delay: float = 0.0  # seconds between content chunks
    error_after: int | None = None  # after N content chunks, an {"error": ...} line on the 200 stream
    error_message: str = RUNNER_CRASH
    drop_after: int | None = None  # after N content chunks, close the socket without a final chunk
    status: int | None = None  # answer with this status and `error_body` instead (e.g. 500, 503)
    error_body: str = RUNNER_CRASH
    done_reason: str = "stop"
    gate: threading.Event | None = None  # after `gate_after` content chunks, wait for this event
    gate_after: int = 1
    garbage: bytes | None = None  # a malformed body: sent after the first content chunk, or as the whole JSON


@dataclass
class Received:
    method: str
    path: str
    body: Any
    headers: dict[str, str]


@dataclass
class FakeModel:
    name: str  # as /api/tags lists it, e.g. "mistral:latest"
    capabilities: list[str] = field(default_factory=lambda: ["completion"])
    family: str = "llama"
    parameter_size: str = "7B"


DEFAULT_MODELS = (
    FakeModel("mistral:latest", family="llama", parameter_size="7.2B"),
    FakeModel("codellama:13b", family="llama", parameter_size="13B"),
    FakeModel("llava:34b", capabilities=["completion", "vision"], family="llama", parameter_size="34B"),
)


def canonical(name: str) -> str:
    return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"


def go_json(value: Any) -> bytes:
    """Go's encoding/json: compact, UTF-8, with <, > and & escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.encode()


def rfc3339_nano() -> str:
    ns = time.time_ns()
    seconds, nanos = divmod(ns, 1_000_000_000)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    fraction = f".{nanos:09d}".rstrip("0").rstrip(".")
    return f"{stamp}{fraction}Z"


def tokens(text: str) -> list[str]:
    return re.findall(r"\s*\S+|\s+$", text) or [text]


class FakeOllama:
    def __init__(self, models: tuple[FakeModel, ...] = DEFAULT_MODELS, host: str = "127.0.0.1", port: int = 0):
        self.models = {canonical(m.name): m for m in models}
        self.default = Script()
        self.received: list[Received] = []
        self.on_chat: Callable[[dict], str | None] | None = None  # may return a reply, e.g. after checking images
        self.client_gone = threading.Event()  # set when a client closed a stream before its end
        self.missing_routes: set[str] = set()  # paths answered like an unknown route (a server without /api/show)
        self._queue: list[Script] = []
        self._lock = threading.Lock()
        self._server = _QuietServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # --- control ----------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeOllama":
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-ollama", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def push(self, script: Script) -> None:
        """Use `script` for the next chat request only."""
        with self._lock:
            self._queue.append(script)

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self.received.clear()
            self.client_gone.clear()
            self.missing_routes.clear()
            self.default = Script()
            self.on_chat = None

    def chats(self) -> list[dict]:
        """Bodies of the /api/chat requests received so far."""
        return [r.body for r in list(self.received) if r.path == "/api/chat" and isinstance(r.body, dict)]

    def next_script(self) -> Script:
        with self._lock:
            return self._queue.pop(0) if self._queue else self.default

    def __enter__(self) -> "FakeOllama":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- HTTP -------------------------------------------------------------------
    def _handler_class(self) -> type:
        fake = self

        class Handler(_Handler):
            pass

        Handler.fake = fake
        return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client closing its kept-alive connection is normal, not worth a traceback."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeOllama

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    # Go's net/http sends Date but no Server header.
    def send_response(self, code: int, message: str | None = None) -> None:
        self.send_response_only(code, message)
        self.send_header("Date", email.utils.formatdate(usegmt=True))

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        path = self.path.split("?", 1)[0]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        self.fake.received.append(Received(method, path, body, dict(self.headers)))
        if path not in ROUTES or path in self.fake.missing_routes:
            return self._plain(404, "404 page not found")
        if method not in ROUTES[path]:
            return self._plain(405, "405 method not allowed", allow=", ".join(ROUTES[path]))
        head = method == "HEAD"
        if path == "/":
            return self._plain(200, "Ollama is running", charset=True, head=head)
        if path == "/api/version":
            return self._json(200, {"version": "0.24.0"}, head=head)
        if path == "/api/tags":
            return self._json(200, {"models": [self._tag(m) for m in self.fake.models.values()]}, head=head)
        if path == "/api/ps":
            return self._json(200, {"models": []})
        parsed = self._parse_body(raw)
        if parsed is None:
            return
        if path == "/api/show":
            return self._show(parsed)
        return self._chat(parsed)

    # --- endpoints --------------------------------------------------------------
    def _tag(self, model: FakeModel) -> dict:
        return {
            "name": model.name, "model": model.name, "modified_at": "2026-12-04T19:31:33.786766563Z",
            "size": 4109865159, "digest": "f974a74358d62a017b37c6f424fcdf2744ca02926c4f952513ddf474b2fa5091",
            "details": {"parent_model": "", "format": "gguf", "family": model.family, "families": [model.family],
                        "parameter_size": model.parameter_size, "quantization_level": "Q4_0"},
        }

    def _show(self, body: dict) -> None:
        name = body.get("model") or body.get("name") or ""
        model = self.fake.models.get(canonical(name)) if name else None
        if model is None:
            return self._json(404, {"error": f"model '{name}' not found"})
        details = {"parent_model": "", "format": "gguf", "family": model.family, "families": [model.family],
                   "parameter_size": model.parameter_size, "quantization_level": "Q4_0"}
        self._json(200, {"modelfile": f"# Modelfile generated by \"ollama show\"\nFROM {model.name}\n",
                         "parameters": "temperature                    0.8", "template": "[INST] {{ .Prompt }} [/INST]",
                         "details": details, "model_info": {"general.architecture": model.family},
                         "capabilities": model.capabilities, "modified_at": "2026-12-04T19:31:33.786766563Z"})

    def _chat(self, body: dict) -> None:
        script = self.fake.next_script()  # a pushed script belongs to the next chat, whatever it is
        problem = _validate_chat(body)
        if problem:
            return self._json(*problem)
        name = body["model"]
        if canonical(name) not in self.fake.models:
            return self._json(404, {"error": f"model '{name}' not found"})
        messages = body.get("messages") or []
        stream = body.get("stream") is not False
        if not messages:
            reason = "unload" if body.get("keep_alive") in (0, "0s") else "load"
            return self._json(200, {"model": name, "created_at": rfc3339_nano(),
                                    "message": {"role": "assistant", "content": ""}, "done": True,
                                    "done_reason": reason})
        if script.first_byte_delay:
            time.sleep(script.first_byte_delay)
        if script.status:
            return self._json(script.status, {"error": script.error_body})
        reply = self.fake.on_chat(body) if self.fake.on_chat else None
        if reply is None:
            reply = script.reply if script.reply is not None else f"Hello from {name}. This is a test answer."
        pieces = tokens(reply)
        metrics = {"total_duration": 1556155871, "load_duration": 312249951, "prompt_eval_count": 37,
                   "prompt_eval_duration": 221138605, "eval_count": len(pieces), "eval_duration": 1020000951}
        if not stream:
            if script.garbage is not None:
                return self._raw(200, script.garbage)
            if script.error_after is not None or script.drop_after is not None:
                return self._json(500, {"error": script.error_message})
            return self._json(200, {"model": name, "created_at": rfc3339_nano(),
                                    "message": {"role": "assistant", "content": reply}, "done": True,
                                    "done_reason": script.done_reason, **metrics})
        self._stream(name, pieces, script, metrics)

    def _stream(self, name: str, pieces: list[str], script: Script, metrics: dict) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for index, piece in enumerate(pieces):
                if script.error_after is not None and index == script.error_after:
                    self._chunk(go_json({"error": script.error_message}) + b"\n")
                    return self._end_chunks()
                if script.drop_after is not None and index == script.drop_after:
                    self.close_connection = True
                    self.wfile.flush()
                    self.connection.shutdown(2)
                    return
                if index and script.chunk_delay:
                    time.sleep(script.chunk_delay)
                if script.gate is not None and index == script.gate_after:
                    script.gate.wait(30)
                if script.garbage is not None and index == 1:
                    self._chunk(script.garbage)
                self._chunk(go_json({"model": name, "created_at": rfc3339_nano(),
                                     "message": {"role": "assistant", "content": piece}, "done": False}) + b"\n")
            final = {"model": name, "created_at": rfc3339_nano(), "message": {"role": "assistant", "content": ""},
                     "done": True, "done_reason": script.done_reason}
            final.update({k: v for k, v in metrics.items() if v})  # Ollama omits zero metrics
            self._chunk(go_json(final) + b"\n")
            self._end_chunks()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away; Ollama stops generating too
            self.fake.client_gone.set()

    # --- wire helpers -----------------------------------------------------------
    def _parse_body(self, raw: bytes) -> dict | None:
        if not raw:
            self._json(400, {"error": "missing request body"})
            return None
        try:
            body = json.loads(raw)
        except json.JSONDecodeError as exc:
            message = "unexpected EOF" if exc.pos >= len(raw.strip()) else \
                f"invalid character '{raw.decode(errors='replace')[exc.pos]}' looking for beginning of value"
            self._json(400, {"error": message})
            return None
        if not isinstance(body, dict):
            self._json(400, {"error": "json: cannot unmarshal array into Go value of type api.ChatRequest"})
            return None
        return body

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _end_chunks(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _json(self, status: int, payload: Any, head: bool = False) -> None:
        data = go_json(payload)
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _raw(self, status: int, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _plain(self, status: int, text: str, *, charset: bool = False, head: bool = False, allow: str = "") -> None:
        data = text.encode()
        self.send_response(status)
        if allow:
            self.send_header("Allow", allow)
        self.send_header("Content-Type", "text/plain; charset=utf-8" if charset else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not head:
            self.wfile.write(data)


def _go_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"


def _validate_chat(body: dict) -> tuple[int, dict] | None:
    """The request checks Ollama makes, in its order, with its exact messages."""
    for message in body.get("messages") or []:
        content = message.get("content", "") if isinstance(message, dict) else ""
        if not isinstance(content, str):
            return 400, {"error": f"json: cannot unmarshal {_go_kind(content)} into Go struct field "
                                  "Alias.content of type string"}
        for index, image in enumerate(message.get("images") or []):
            bad = _bad_base64_offset(image)
            if bad is not None:
                return 400, {"error": f"json: cannot unmarshal string into Alias.images.{index} of type "
                                      f"api.ImageData: illegal base64 data at input byte {bad}"}
    keep_alive = body.get("keep_alive")
    if isinstance(keep_alive, str) and not _GO_DURATION.fullmatch(keep_alive):
        if re.fullmatch(r"-?\d+(\.\d+)?", keep_alive):
            return 400, {"error": f'time: missing unit in duration "{keep_alive}"'}
        match = re.match(r"^-?\d+(\.\d+)?(.*)$", keep_alive)
        unit = match.group(2) if match else keep_alive
        return 400, {"error": f'time: unknown unit "{unit}" in duration "{keep_alive}"'}
    if not body.get("model"):
        return 400, {"error": "model is required"}
    for name, value in (body.get("options") or {}).items():
        if name in FLOAT_OPTIONS and (isinstance(value, bool) or not isinstance(value, (int, float))):
            return 500, {"error": f'option "{name}" must be of type float32'}
        if name in INT_OPTIONS and (isinstance(value, bool) or not isinstance(value, (int, float))):
            return 500, {"error": f'option "{name}" must be of type integer'}
    return None


def _bad_base64_offset(image: Any) -> int | None:
    if not isinstance(image, str):
        return 0
    data = image.encode()
    for offset, byte in enumerate(data):
        if byte not in _BASE64_ALPHABET:
            return offset
    try:
        base64.b64decode(data, validate=True)
    except binascii.Error:
        return max(len(data) - 1, 0)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the fake Ollama on 127.0.0.1")
    parser.add_argument("--port", type=int, default=11435)
    parser.add_argument("--reply", help="fixed reply text for every chat")
    parser.add_argument("--chunk-delay", type=float, default=0.0)
    args = parser.parse_args()
    fake = FakeOllama(port=args.port)
    fake.default = Script(reply=args.reply, chunk_delay=args.chunk_delay)
    print(f"fake Ollama on {fake.url}", flush=True)
    fake.start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
