"""A small, strict client for Ollama's native API (`/api/chat`, `/api/tags`, `/api/show`).

Every failure becomes an `AlphaOmegaError` whose message names the server and the fix.
Streams are read line by line as bytes arrive, never buffered, with three timeouts:
connect, first byte (which must cover a cold model load) and the gap between chunks.
"""
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import requests
import urllib3.exceptions
from pydantic import ValidationError

from alphaomega.agents.errors import (
    BackendError,
    BackendStreamError,
    BackendTimeout,
    BackendUnavailable,
    ModelNotFound,
)
from alphaomega.agents.ollama_types import ChatChunk, ChatRequest, ModelTag, ShowResponse, TagsResponse

log = logging.getLogger("alphaomega.ollama")


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0
    first_byte: float = 300.0
    between_chunks: float = 60.0


@dataclass(frozen=True)
class ServerInfo:
    """Which Ollama instance this is, in the words the user sees."""

    url: str
    label: str = "reasoning"  # "the {label} server at {url}"
    valve: str = "OLLAMA_REASONING_URL"

    @property
    def name(self) -> str:
        return f"The {self.label} server at {self.url}"


def canonical_model_name(name: str) -> str:
    """Ollama treats `mistral` and `mistral:latest` as the same model."""
    return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"


class OllamaClient:
    """One Ollama instance. Thread-safe: the Pipelines server calls it from many threads."""

    TAGS_TTL = 60.0

    def __init__(self, server: ServerInfo, timeouts: Timeouts = Timeouts()):
        self.server = server
        self.timeouts = timeouts
        self._session = requests.Session()
        self._tags_lock = threading.Lock()
        self._tags: tuple[float, list[ModelTag]] | None = None

    def close(self) -> None:
        self._session.close()

    # --- chat -------------------------------------------------------------------
    def chat(self, request: ChatRequest) -> ChatChunk:
        """A whole answer at once (`stream: false`)."""
        with self._post("/api/chat", request.model_copy(update={"stream": False}).wire(), request.model) as r:
            try:
                return ChatChunk.model_validate(r.json())
            except (ValueError, ValidationError) as exc:
                joined = self._join_ndjson(r.content)  # some compatible servers stream regardless
                if joined is not None:
                    return joined
                raise self._error(f"{self.server.name} sent an answer that is not valid Ollama JSON.",
                                  status=r.status_code, detail=str(exc)) from exc

    def stream_chat(self, request: ChatRequest,
                    on_abandon: Callable[[Callable[[], None]], None] | None = None) -> Iterator[ChatChunk]:
        """Yield each NDJSON chunk as it arrives; raise if the stream fails or ends early.

        `on_abandon` receives a callback that closes the connection, so that Ollama stops generating
        when nobody reads the answer any more (the Pipelines server never closes this generator)."""
        with self._post("/api/chat", request.model_copy(update={"stream": True}).wire(), request.model,
                        stream=True) as r:
            if on_abandon is not None:
                on_abandon(r.close)
            _set_read_timeout(r, self.timeouts.between_chunks)
            finished = False
            for line in self._lines(r):
                if finished:
                    continue  # read to the end so the connection goes back to the pool
                chunk = self._parse_line(line)
                yield chunk
                finished = chunk.done
            if not finished:
                raise self._stream_error(
                    f"{self.server.name} closed the connection before the answer was finished. "
                    "The answer above is incomplete: try again, and check the Ollama server log "
                    "if it keeps happening.")

    # --- models -----------------------------------------------------------------
    def list_models(self, max_age: float = TAGS_TTL) -> list[ModelTag]:
        """Models pulled on this server, from `/api/tags`, cached for `max_age` seconds."""
        with self._tags_lock:
            if self._tags and time.monotonic() - self._tags[0] < max_age:
                return self._tags[1]
        with self._get("/api/tags") as r:
            try:
                models = TagsResponse.model_validate(r.json()).models
            except (ValueError, ValidationError) as exc:
                raise self._error(f"{self.server.name} answered /api/tags with something that is not "
                                  f"Ollama's model list. Check the {self.server.valve} valve.",
                                  status=r.status_code, detail=str(exc)) from exc
        with self._tags_lock:
            self._tags = (time.monotonic(), models)
        return models

    def has_model(self, name: str, max_age: float = TAGS_TTL) -> bool:
        wanted = canonical_model_name(name)
        return any(canonical_model_name(tag.name) == wanted for tag in self.list_models(max_age))

    def forget_models(self) -> None:
        with self._tags_lock:
            self._tags = None

    def show(self, model: str) -> ShowResponse:
        with self._post("/api/show", {"model": model}, model) as r:
            try:
                return ShowResponse.model_validate(r.json())
            except (ValueError, ValidationError) as exc:
                raise self._error(f"{self.server.name} answered /api/show with something that is not Ollama's "
                                  f"model information. Check the {self.server.valve} valve.",
                                  status=r.status_code, detail=str(exc)) from exc

    # --- HTTP plumbing ------------------------------------------------------------
    def _get(self, path: str) -> requests.Response:
        return self._request("GET", path, None, None, stream=False)

    def _post(self, path: str, payload: dict, model: str | None, stream: bool = False) -> requests.Response:
        return self._request("POST", path, payload, model, stream=stream)

    def _request(self, method: str, path: str, payload: dict | None, model: str | None,
                 stream: bool) -> requests.Response:
        url = self.server.url + path
        try:
            r = self._session.request(method, url, json=payload, stream=stream,
                                      timeout=(self.timeouts.connect, self.timeouts.first_byte))
        except requests.ConnectTimeout as exc:
            raise BackendUnavailable(
                f"{self.server.name} is not reachable: it did not accept a connection within "
                f"{self.timeouts.connect:g} s. Check that Ollama runs there, or change the "
                f"{self.server.valve} valve.", backend="ollama", url=self.server.url, detail=str(exc)) from exc
        except requests.ReadTimeout as exc:
            raise BackendTimeout(
                f"{self.server.name} did not answer within {self.timeouts.first_byte:g} s. A large model "
                "may still be loading: try again in a minute, or raise the REQUEST_TIMEOUT valve.",
                backend="ollama", url=self.server.url, detail=str(exc)) from exc
        except requests.ConnectionError as exc:
            raise BackendUnavailable(
                f"{self.server.name} is not reachable. Check that Ollama is running there "
                f"(`ollama serve`), or change the {self.server.valve} valve.",
                backend="ollama", url=self.server.url, detail=str(exc)) from exc
        except requests.RequestException as exc:
            raise self._error(f"{self.server.name} could not be asked: {type(exc).__name__}.",
                              detail=str(exc)) from exc
        if r.status_code >= 400:
            try:
                raise self._status_error(r, path, model)
            finally:
                r.close()
        return r

    def _status_error(self, r: requests.Response, path: str, model: str | None) -> BackendError:
        detail = _error_text(r)
        is_json_error = detail is not None
        detail = detail if is_json_error else r.text.strip()[:200]
        if r.status_code == 404 and is_json_error and model and "not found" in detail:
            self.forget_models()
            return ModelNotFound(
                f"Model {model} is not pulled on {self.server.url}. Run: ollama pull {model}"
                f"{self._installed_hint()}", model=model, backend="ollama", url=self.server.url,
                status=404, detail=detail)
        if r.status_code in (404, 405) and not is_json_error:
            return self._error(
                f"{self.server.name} does not look like Ollama: {path} answered "
                f"\"{detail or r.status_code}\". Check the {self.server.valve} valve (it should be the "
                "server's base URL, e.g. http://localhost:11434, with no path).",
                status=r.status_code, detail=detail)
        if r.status_code == 503:
            return self._error(f"{self.server.name} is busy ({detail}). Try again in a moment.",
                               status=503, detail=detail)
        return self._error(f"{self.server.name} reported an error (HTTP {r.status_code}): {detail}",
                           status=r.status_code, detail=detail)

    def _installed_hint(self) -> str:
        try:
            names = [tag.name for tag in self.list_models(max_age=0)]
        except BackendError:
            return "."
        return f". Installed there: {', '.join(names)}." if names else ". No models are installed there yet."

    def _lines(self, r: requests.Response) -> Iterator[bytes]:
        buffer = b""
        try:
            for data in _raw_chunks(r):
                buffer += data
                *complete, buffer = buffer.split(b"\n")
                for line in complete:
                    if line.strip():
                        yield line
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError, requests.ReadTimeout) as exc:
            raise BackendTimeout(
                f"{self.server.name} stopped sending for {self.timeouts.between_chunks:g} s, so the answer "
                "above is incomplete. The server may be overloaded: try again, or raise the "
                "STREAM_CHUNK_TIMEOUT valve.", backend="ollama", url=self.server.url, detail=str(exc)) from exc
        except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as exc:
            raise self._stream_error(
                f"{self.server.name} dropped the connection in the middle of the answer, so the answer "
                "above is incomplete. Try again, and check the Ollama server log if it keeps happening.",
                detail=str(exc)) from exc
        if buffer.strip():
            yield buffer

    def _join_ndjson(self, body: bytes) -> ChatChunk | None:
        """One answer from a streamed (NDJSON) body, or None if the body is not that either."""
        try:
            chunks = [ChatChunk.model_validate(json.loads(line)) for line in body.splitlines() if line.strip()]
        except (ValueError, ValidationError):
            return None
        if len(chunks) < 2 or not chunks[-1].done:
            return None
        text = "".join(chunk.message.content for chunk in chunks)
        return chunks[-1].model_copy(update={"message": chunks[-1].message.model_copy(update={"content": text})})

    def _parse_line(self, line: bytes) -> ChatChunk:
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise self._stream_error(f"{self.server.name} sent a line that is not JSON, so the answer "
                                     "above is incomplete.", detail=line[:200].decode(errors="replace")) from exc
        if isinstance(data, dict) and "error" in data:
            raise self._stream_error(f"{self.server.name} reported an error while answering: "
                                     f"{data['error']}. The answer above is incomplete: try again.",
                                     detail=str(data["error"]))
        try:
            return ChatChunk.model_validate(data)
        except ValidationError as exc:
            raise self._stream_error(f"{self.server.name} sent a chunk that is not Ollama's format.",
                                     detail=str(exc)) from exc

    def _error(self, message: str, *, status: int | None = None, detail: str = "") -> BackendError:
        return BackendError(message, backend="ollama", url=self.server.url, status=status, detail=detail)

    def _stream_error(self, message: str, detail: str = "") -> BackendStreamError:
        return BackendStreamError(message, backend="ollama", url=self.server.url, status=200, detail=detail)


def _error_text(r: requests.Response) -> str | None:
    """The `error` string of an Ollama JSON error body, or None for plain-text bodies."""
    try:
        data = r.json()
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return data["error"]
    if isinstance(data, dict) and isinstance(data.get("error"), dict):  # OpenAI-style shape
        return str(data["error"].get("message", data["error"]))
    return None


def _raw_chunks(r: requests.Response) -> Iterator[bytes]:
    """Bytes as soon as they arrive: per HTTP chunk when chunked, else whatever is readable."""
    raw = r.raw
    if getattr(raw, "chunked", False) and raw.supports_chunked_reads():
        yield from raw.read_chunked(decode_content=True)
        return
    read1 = getattr(raw, "read1", None)
    while True:
        data = read1(65536) if read1 else raw.read(1)
        if not data:
            return
        yield data


def _set_read_timeout(r: requests.Response, seconds: float) -> None:
    """After the first byte, the wait between chunks gets its own, shorter limit."""
    sock = getattr(getattr(r.raw, "connection", None), "sock", None)
    if sock is not None:
        try:
            sock.settimeout(seconds)
        except OSError:
            log.debug("could not set the between-chunks timeout", exc_info=True)
