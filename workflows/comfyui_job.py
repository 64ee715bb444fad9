"""One ComfyUI job, from submit to pictures: the websocket for live progress, HTTP as the safety net.

`ComfyJob.run()` is a generator of progress events. It opens the websocket (its own uuid4 client id)
before submitting with its own uuid4 prompt id, follows only frames about that prompt, and never
trusts the socket alone: when it drops or falls silent, `/queue` and `/history` say whether the job
still runs, finished or was lost. `cancel()` (the pipeline's Stop watch calls it), running past the
timeout, or closing the generator cancels this job only: `POST /queue {"delete": [id]}` plus
`POST /interrupt {"prompt_id": id}`, and closes its websocket.
"""
import json
import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import websocket
from pydantic import ValidationError

from alphaomega.agents.errors import BackendError, BackendTimeout
from alphaomega.workflows import comfyui_errors as errors
from alphaomega.workflows.comfyui_client import ComfyUIClient, FetchedImage
from alphaomega.workflows.comfyui_types import (
    Executing,
    ExecutionError,
    ExecutionInterrupted,
    HistoryEntry,
    ImageRef,
    Progress,
    PromptRequest,
)

log = logging.getLogger("alphaomega.comfyui")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
READER_EXIT = 2.0  # seconds to wait for a closed socket's reader thread to end
PREVIEW_IMAGE, TEXT_FRAME, PREVIEW_WITH_METADATA = 1, 3, 4
# Sent first: previews then come as event 4 with their node and prompt id, never mistakable for a result.
FEATURE_FLAGS = json.dumps({"type": "feature_flags", "data": {"supports_preview_metadata": True}})

EventKind = Literal["submitted", "queued", "started", "node", "progress", "waiting", "reconnecting", "polling",
                    "fetching"]


@dataclass(frozen=True)
class JobEvent:
    kind: EventKind
    node: str | None = None
    class_type: str = ""
    value: int = 0
    maximum: int = 0
    ahead: int | None = None  # jobs before ours in ComfyUI's queue
    elapsed: float = 0.0  # seconds since submit


@dataclass(frozen=True)
class JobSettings:
    timeout: float = 600.0  # once running; waiting in ComfyUI's queue may take as long again
    heartbeat: float = 2.0  # longest gap between two events, so that a closed chat is noticed
    idle_poll: float = 10.0  # no frame for this long: ask /queue and /history
    poll_interval: float = 1.0  # without a websocket
    ws_retry: float = 5.0  # without a websocket: try to reconnect this often
    first_frame: float = 2.0  # wait for the socket's `status` (it is registered then) before submitting
    unreachable_grace: float = 30.0  # ComfyUI may restart briefly; longer than this is an error


@dataclass
class JobResult:
    prompt_id: str
    client_id: str
    images: list[FetchedImage]
    frames: int = 0
    previews: int = 0
    reconnects: int = 0
    seconds: float = 0.0


@dataclass
class _State:
    submitted_at: float = 0.0
    started_at: float | None = None
    success_at: float | None = None
    node: str | None = None
    last_frame: float = 0.0  # last frame about our prompt
    last_event: float = 0.0  # last event handed on (a heartbeat follows if nothing happens)
    last_poll: float = 0.0
    last_queue_check: float = 0.0
    ahead: int | None = None
    frames: int = 0
    previews: int = 0
    reconnects: int = 0
    poll_failing_since: float | None = None
    ws_images: list[bytes] = field(default_factory=list)
    executed: list[ImageRef] = field(default_factory=list)
    ended_on_server: bool = False


class _Socket:
    """A websocket read by its own thread into a queue, so the job loop can wait with a timeout.

    The reader blocks in recv without a timeout; `close()` wakes it, so every exit of the job (done, failed,
    timed out, reconnecting, cancelled from the Stop watchdog) must close its socket.
    """

    def __init__(self, ws: websocket.WebSocket, name: str):
        self.ws = ws
        self.frames: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._read, name=name, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            while True:
                opcode, data = self.ws.recv_data()
                self.ready.set()
                if opcode == websocket.ABNF.OPCODE_TEXT:
                    self.frames.put(("text", data))
                elif opcode == websocket.ABNF.OPCODE_BINARY:
                    self.frames.put(("binary", data))
                elif opcode == websocket.ABNF.OPCODE_CLOSE:
                    break
        except Exception as exc:  # any end of the connection is reported the same way
            log.debug("comfyui websocket ended: %r", exc)
        finally:
            self.frames.put(("closed", None))

    def get(self, timeout: float) -> tuple[str, Any] | None:
        try:
            return self.frames.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return None

    def close(self) -> None:
        """Close the connection and wait for the reader to end (safe from any thread, and more than once)."""
        for step in (self.ws.abort, self.ws.shutdown):
            try:
                step()
            except Exception:  # already closed
                pass
        if threading.current_thread() is not self.thread:
            self.thread.join(READER_EXIT)


class ComfyJob:
    def __init__(self, client: ComfyUIClient, graph: dict[str, dict], settings: JobSettings = JobSettings(),
                 class_of: Callable[[str | None], str] | None = None):
        self.client = client
        self.graph = graph
        self.settings = settings
        self.class_of = class_of or (lambda node: (graph.get(str(node)) or {}).get("class_type", "") if node else "")
        self.client_id = uuid.uuid4().hex
        self.prompt_id = str(uuid.uuid4())
        self.result: JobResult | None = None
        self._state = _State()
        self._socket: _Socket | None = None
        self._submitted = False
        self._cancelled = False

    def cancel(self) -> None:
        """Stop this job for good: take it off ComfyUI and close the socket. Called from the Stop watchdog
        while `run()` is suspended at a yield, so it touches only what that thread is not using."""
        self._cancelled = True
        if self._submitted and self.result is None and not self._state.ended_on_server:
            log.info("cancelling ComfyUI job %s", self.prompt_id)
            self.client.cancel(self.prompt_id)
        if self._socket is not None:
            self._socket.close()

    def run(self) -> Iterator[JobEvent]:
        state = self._state
        finished = False
        try:
            self._socket = self._connect()
            request = PromptRequest(prompt=self.graph, client_id=self.client_id, prompt_id=self.prompt_id)
            state.submitted_at = state.last_frame = time.monotonic()
            try:
                accepted = self.client.submit(request)
            except BackendTimeout:
                self.client.cancel(self.prompt_id)  # the answer was lost, but the job may be queued under our id
                raise
            self.prompt_id = accepted.prompt_id  # a server that ignores ours picks its own
            self._submitted = True
            yield self._event("submitted")
            entry = yield from self._follow()
            yield self._event("fetching")
            images = self._fetch(entry)
            finished = True
            self.result = JobResult(self.prompt_id, self.client_id, images, state.frames, state.previews,
                                    state.reconnects, time.monotonic() - state.submitted_at)
        finally:
            if self._socket is not None:
                self._socket.close()
            if self._submitted and not finished and not self._cancelled and not state.ended_on_server:
                log.info("cancelling ComfyUI job %s", self.prompt_id)
                self.client.cancel(self.prompt_id)

    # --- the wait ------------------------------------------------------------------------
    def _follow(self) -> Iterator[JobEvent]:
        """Yield progress until the job is over; return its history entry (None if only the socket saw it)."""
        s, state = self.settings, self._state
        next_ws_try = time.monotonic() + s.ws_retry
        while True:
            now = time.monotonic()
            self._check_deadline(now)
            if self._socket is None:  # no websocket: follow the job over HTTP, and try the socket again now and then
                if now >= next_ws_try:
                    next_ws_try = now + s.ws_retry
                    self._socket = self._connect()
                    if self._socket is not None:
                        state.last_frame = now
                        continue
                if now - state.last_poll >= s.poll_interval:
                    entry = yield from self._poll(now)
                    if entry is not None:
                        return entry
                time.sleep(max(0.0, min(s.poll_interval, self._wait_time(now))))
                if time.monotonic() - state.last_event >= s.heartbeat:
                    yield self._event("polling")
                continue
            item = self._socket.get(self._wait_time(now))
            now = time.monotonic()
            if item is None:
                if state.success_at is not None and now - state.success_at >= 1.0:
                    return self._history_when_done(success=True)  # the "executing null" frame never came
                if state.started_at is None and now - state.last_queue_check >= s.heartbeat:
                    yield from self._queue_position(now)
            elif item[0] == "closed":
                yield self._event("reconnecting")
                state.reconnects += 1
                next_ws_try = now + s.ws_retry
                self._socket.close()  # its reader has ended; a close frame leaves the connection itself open
                self._socket = self._connect()  # same client id: ComfyUI routes the rest of our frames to it
                entry = yield from self._poll(time.monotonic())  # frames sent during the gap are lost
                if entry is not None:
                    return entry
                continue
            else:
                state.frames += 1
                if item[0] == "binary":
                    self._binary(item[1], now)
                elif (yield from self._text(item[1], now)):
                    return self._history_when_done(success=state.success_at is not None)
            if now - state.last_frame >= s.idle_poll and now - state.last_poll >= s.idle_poll:
                entry = yield from self._poll(now)  # nothing about our prompt for a while: ask over HTTP
                if entry is not None:
                    return entry
            if time.monotonic() - state.last_event >= s.heartbeat:
                yield self._event("waiting")  # also when only other clients' or custom nodes' frames arrive

    def _text(self, payload: Any, now: float) -> Iterator[JobEvent]:
        """Handle one text frame; return True when our prompt is over."""
        state = self._state
        try:
            message = json.loads(payload)
        except ValueError:
            message = None
        kind, data = (message.get("type"), message.get("data") or {}) if isinstance(message, dict) else (None, None)
        if not isinstance(kind, str) or not isinstance(data, dict):  # custom nodes send what they like
            log.debug("ignoring a malformed websocket frame: %.200r", payload)
            return False
        if kind == "status":
            if state.started_at is None and now - state.last_queue_check >= 1.0:
                yield from self._queue_position(now)
            return False
        prompt_id = data.get("prompt_id")
        if prompt_id is not None and prompt_id != self.prompt_id:
            return False
        if prompt_id is not None or kind == "executing":
            state.last_frame = now  # only frames about our prompt show that the socket still works for us
        try:
            if kind == "executing":
                node = Executing.model_validate(data).node
                if node is None:
                    return prompt_id is not None  # the classic "done" marker, sent after execution_success
                state.node = node
                if state.started_at is None:
                    state.started_at = now  # after a reconnect the frame has no prompt id: it is ours anyway
                yield self._event("node", node=node)
            elif kind == "progress":
                progress = Progress.model_validate(data)
                yield self._event("progress", node=progress.node or state.node, value=int(progress.value),
                                  maximum=int(progress.max))
            elif kind == "execution_start":
                state.started_at = now
                yield self._event("started")
            elif kind == "executed":
                output = data.get("output")
                images = output.get("images") if isinstance(output, dict) else None
                for item in images if isinstance(images, list) else []:
                    if isinstance(item, dict) and item.get("filename"):
                        state.executed.append(ImageRef.model_validate(item))
            elif kind == "execution_success":
                state.success_at = now
            elif kind == "execution_error":
                failure = ExecutionError.model_validate(data)
                state.ended_on_server = True
                raise errors.execution_failed(self.client.url, failure.node_id, failure.node_type,
                                              failure.exception_type, failure.exception_message)
            elif kind == "execution_interrupted":
                stop = ExecutionInterrupted.model_validate(data)
                state.ended_on_server = True
                raise errors.interrupted(self.client.url, stop.node_id, stop.node_type)
        except ValidationError as exc:
            log.debug("ignoring an unexpected %s frame: %s", kind, exc)
        return False

    def _binary(self, data: bytes, now: float) -> None:
        """Event 1 PNG frames during a SaveImageWebsocket node are results; every other image frame is a preview."""
        state = self._state
        state.last_frame = now  # image frames only ever go to the submitting client
        event = int.from_bytes(data[:4], "big") if len(data) >= 4 else 0
        if event == PREVIEW_IMAGE and data[8:16] == PNG_MAGIC and self.class_of(state.node) == "SaveImageWebsocket":
            state.ws_images.append(bytes(data[8:]))
        elif event in (PREVIEW_IMAGE, PREVIEW_WITH_METADATA):
            state.previews += 1

    # --- HTTP safety net ---------------------------------------------------------------
    def _poll(self, now: float) -> Iterator[JobEvent]:
        """Ask /queue, then /history (in that order: ComfyUI moves a job from one to the other atomically)."""
        state = self._state
        state.last_poll = now
        try:
            current = self.client.queue()
            entry = None if current.is_running(self.prompt_id) or current.is_pending(self.prompt_id) \
                else self.client.history(self.prompt_id)
        except BackendError as exc:
            state.poll_failing_since = state.poll_failing_since or now
            if now - state.poll_failing_since > self.settings.unreachable_grace:
                raise errors.unreachable(self.client.url, detail=str(exc)) from exc
            return None
        state.poll_failing_since = None
        if current.is_running(self.prompt_id):
            state.started_at = state.started_at or now
            return None
        ahead = current.jobs_ahead(self.prompt_id)
        if ahead is not None:
            if ahead != state.ahead:
                state.ahead = ahead
                yield self._event("queued", ahead=ahead)
            return None
        if entry is None:
            state.ended_on_server = True
            raise errors.lost(self.client.url)
        self._raise_if_failed(entry)
        return entry

    def _queue_position(self, now: float) -> Iterator[JobEvent]:
        self._state.last_queue_check = now
        try:
            ahead = self.client.queue().jobs_ahead(self.prompt_id)
        except BackendError:
            return
        if ahead is not None and ahead != self._state.ahead:
            self._state.ahead = ahead
            yield self._event("queued", ahead=ahead)

    def _history_when_done(self, success: bool) -> HistoryEntry | None:
        """ComfyUI writes history just after `execution_success`; give it a moment to appear."""
        state = self._state
        state.ended_on_server = True
        for delay in (0, 0.05, 0.1, 0.2, 0.4, 0.8, 1.5, 2.0):
            time.sleep(delay)
            entry = self.client.history(self.prompt_id)
            if entry is not None:
                self._raise_if_failed(entry)
                return entry
        if success or state.ws_images or state.executed:
            return None
        raise errors.lost(self.client.url)

    def _raise_if_failed(self, entry: HistoryEntry) -> None:
        status = entry.status
        if status is None or status.status_str in ("success", "") or (status.completed and not status.status_str):
            return
        self._state.ended_on_server = True
        if failure := status.event("execution_error"):
            data = ExecutionError.model_validate(failure)
            raise errors.execution_failed(self.client.url, data.node_id, data.node_type, data.exception_type,
                                          data.exception_message)
        if stop := status.event("execution_interrupted"):
            data = ExecutionInterrupted.model_validate(stop)
            raise errors.interrupted(self.client.url, data.node_id, data.node_type)
        raise errors.ComfyUIRejected(f"ComfyUI reports the image job as {status.status_str!r} without saying why; "
                                     "the ComfyUI console has the details.", backend=errors.BACKEND,
                                     url=self.client.url)

    def _fetch(self, entry: HistoryEntry | None) -> list[FetchedImage]:
        state = self._state
        refs = entry.images() if entry is not None else [ref for ref in state.executed if ref.type == "output"] \
            or state.executed
        images = [self.client.view(ref) for ref in refs]
        images += [FetchedImage(data, "image/png", ImageRef(filename=f"websocket_{index + 1}.png", type="websocket"))
                   for index, data in enumerate(state.ws_images)]
        if not images:
            raise errors.ComfyUIRejected("ComfyUI finished, but the workflow produced no picture. A custom workflow "
                                         "needs a SaveImage (or PreviewImage) node.", backend=errors.BACKEND,
                                         url=self.client.url)
        return images

    # --- helpers -----------------------------------------------------------------------
    def _connect(self) -> _Socket | None:
        ws = None
        try:
            ws = self.client.websocket(self.client_id)
            ws.send(FEATURE_FLAGS)
        except (websocket.WebSocketException, OSError) as exc:
            log.warning("no websocket to ComfyUI at %s (%s); following the job over HTTP", self.client.url, exc)
            if ws is not None:
                ws.shutdown()
            return None
        connection = _Socket(ws, name=f"comfyui-ws-{self.client_id[:12]}")
        connection.ready.wait(self.settings.first_frame)
        return connection

    def _check_deadline(self, now: float) -> None:
        state, limit = self._state, self.settings.timeout
        if state.started_at is not None and now - state.started_at > limit:
            raise errors.timed_out(self.client.url, limit, waiting=False)
        if state.started_at is None and now - state.submitted_at > limit:
            raise errors.timed_out(self.client.url, limit, waiting=True)

    def _wait_time(self, now: float) -> float:
        state, s = self._state, self.settings
        deadline = (state.started_at if state.started_at is not None else state.submitted_at) + s.timeout
        return max(0.0, min(s.heartbeat, deadline - now + 0.01))

    def _event(self, kind: EventKind, node: str | None = None, **fields: Any) -> JobEvent:
        self._state.last_event = time.monotonic()
        node = node if node is not None else self._state.node
        return JobEvent(kind, node=node, class_type=self.class_of(node), elapsed=time.monotonic() -
                        self._state.submitted_at, **fields)
