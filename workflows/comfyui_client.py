"""HTTP side of ComfyUI: health, submit, history, queue, cancel, /view downloads and model lists.

One client serves one chat request (its own `requests` session), so nothing per-request is shared
between the Pipelines server's threads. Routes are tried under `/api` first (what the ComfyUI
frontend uses) and fall back to the bare paths of older servers; the choice is remembered per URL.
"""
import json
import logging
from dataclasses import dataclass
from urllib.parse import quote

import requests
import websocket
from pydantic import ValidationError

from alphaomega.agents.errors import BackendError, BackendTimeout, BackendUnavailable
from alphaomega.workflows import comfyui_errors as errors
from alphaomega.workflows.comfyui_types import (
    HistoryEntry,
    ImageRef,
    PromptAccepted,
    PromptRequest,
    QueueState,
    SystemStats,
)

log = logging.getLogger("alphaomega.comfyui")

IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif")
MAX_IMAGE_BYTES = 64 * 1024 * 1024
_PREFIXES: dict[str, str] = {}  # base URL -> "/api" or "" (what the server answered to)


@dataclass(frozen=True)
class ComfyTimeouts:
    connect: float = 5.0
    read: float = 30.0  # every ordinary call; POST /prompt validates the whole graph first
    download: float = 120.0  # /view of a large PNG
    cancel: float = 5.0


@dataclass(frozen=True)
class FetchedImage:
    data: bytes
    content_type: str
    ref: ImageRef


class ComfyUIClient:
    def __init__(self, url: str, *, api_key: str = "", timeouts: ComfyTimeouts = ComfyTimeouts(),
                 prefix: str | None = None):
        self.url = url.rstrip("/")
        self.timeouts = timeouts
        self.prefix = prefix if prefix is not None else _PREFIXES.get(self.url)
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._session = requests.Session()
        self._session.headers.update(self._headers)

    def close(self) -> None:
        self._session.close()

    # --- calls -------------------------------------------------------------------
    def health(self) -> SystemStats:
        """GET /system_stats: small and cheap, and it tells us which route prefix the server has."""
        candidates = [self.prefix] if self.prefix is not None else ["/api", ""]
        last: requests.Response | None = None
        for prefix in candidates:
            last = self._call("GET", f"{prefix}/system_stats", timeout=(self.timeouts.connect, self.timeouts.connect))
            if last.status_code == 200:
                self.prefix = _PREFIXES[self.url] = prefix
                try:
                    return SystemStats.model_validate(last.json())
                except (ValueError, ValidationError):
                    break
            if last.status_code != 404:
                break
        status = last.status_code if last is not None else None
        if status in (401, 403):  # ComfyUI behind an auth proxy (or with a login node)
            raise errors.access_denied(self.url, status, detail=last.text[:2000])
        raise BackendUnavailable(
            f"Image generation unavailable: ComfyUI at {self.url} is not reachable (something else answers there: "
            f"HTTP {status} for /system_stats). Set the COMFYUI_URL valve to ComfyUI's address.",
            backend=errors.BACKEND, url=self.url, status=status)

    def submit(self, request: PromptRequest) -> PromptAccepted:
        r = self._call("POST", self._path("/prompt"), json_body=request.wire())
        if r.status_code != 200:
            raise errors.rejection(self.url, self._path("/prompt"), r.status_code, r.text,
                                   r.headers.get("Content-Type", ""), self.installed)
        try:
            accepted = PromptAccepted.model_validate(r.json())
        except (ValueError, ValidationError) as exc:
            raise errors.ComfyUIRejected(
                f"ComfyUI at {self.url} answered the image request without a prompt id, so it is probably not "
                "ComfyUI's API. Check the COMFYUI_URL valve.", backend=errors.BACKEND, url=self.url,
                status=r.status_code, detail=r.text[:2000]) from exc
        if accepted.node_errors:
            self.cancel(accepted.prompt_id)
            raise errors.partial_acceptance(self.url, accepted.node_errors, self.installed)
        return accepted

    def history(self, prompt_id: str) -> HistoryEntry | None:
        """The finished job, or None while it is queued or running (ComfyUI answers `{}` then)."""
        body = self._json("GET", self._path(f"/history/{quote(prompt_id, safe='')}"))
        entry = body.get(prompt_id) if isinstance(body, dict) else None
        if entry is None:
            return None
        try:
            return HistoryEntry.model_validate(entry)
        except ValidationError as exc:
            raise errors.ComfyUIRejected(f"ComfyUI at {self.url} described the finished image job in a shape "
                                         "AlphaOmega does not understand, so its pictures could not be found. "
                                         "Check that the server is ComfyUI and up to date, then ask again.",
                                         backend=errors.BACKEND, url=self.url, detail=str(exc)) from exc

    def queue(self) -> QueueState:
        body = self._json("GET", self._path("/queue"))
        try:
            return QueueState.model_validate(body)
        except ValidationError:
            return QueueState()

    def cancel(self, prompt_id: str) -> None:
        """Take our job out of the queue and stop it if it runs. Never a bare /interrupt: that stops anyone's job.

        Safe to call from another thread (the Stop watchdog): it does not use the session.
        """
        timeout = (self.timeouts.connect, self.timeouts.cancel)
        for path, body in (("/queue", {"delete": [prompt_id]}), ("/interrupt", {"prompt_id": prompt_id})):
            try:
                requests.post(self.url + self._path(path), json=body, headers=self._headers, timeout=timeout)
            except requests.RequestException as exc:
                log.warning("could not send %s for %s to %s: %s", path, prompt_id, self.url, exc)

    def view(self, ref: ImageRef) -> FetchedImage:
        params = {"filename": ref.filename, "subfolder": ref.subfolder, "type": ref.type}
        r = self._call("GET", self._path("/view"), params=params, stream=True,
                       timeout=(self.timeouts.connect, self.timeouts.download))
        with r:
            content_type = r.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if r.status_code != 200 or content_type not in IMAGE_TYPES:
                raise errors.ComfyUIRejected(
                    f"ComfyUI finished but could not send the picture {ref.filename} (HTTP {r.status_code}, "
                    f"{content_type or 'no content type'}). It may have been deleted from ComfyUI's {ref.type} folder.",
                    backend=errors.BACKEND, url=self.url, status=r.status_code)
            data = bytearray()
            try:  # the body is read here, after _call: a connection lost now surfaces from iter_content
                for block in r.iter_content(256 * 1024):
                    data += block
                    if len(data) > MAX_IMAGE_BYTES:
                        raise errors.ComfyUIRejected(f"The picture {ref.filename} is larger than {MAX_IMAGE_BYTES} "
                                                     "bytes.", backend=errors.BACKEND, url=self.url)
            except requests.RequestException as exc:  # ChunkedEncodingError, or a read timeout as ConnectionError
                raise errors.dropped(self.url, ref.filename, detail=str(exc)) from exc
        return FetchedImage(bytes(data), content_type, ref)

    def installed(self, class_type: str, input_name: str) -> list[str] | None:
        """The files a loader node can load, from GET /object_info/<class>; None if that cannot be read."""
        try:
            body = self._json("GET", self._path(f"/object_info/{quote(class_type, safe='')}"))
            inputs = body[class_type]["input"]
            spec = {**inputs.get("required", {}), **inputs.get("optional", {})}[input_name]
            return [str(name) for name in spec[0]] if isinstance(spec[0], list) else None
        except (BackendError, KeyError, TypeError, IndexError, AttributeError):
            return None

    def websocket(self, client_id: str, timeout: float | None = None) -> websocket.WebSocket:
        """Connect /ws?clientId=...; raises websocket or socket errors for the caller to fall back on polling."""
        base = "ws" + self.url[len("http"):] if self.url.startswith("http") else self.url
        ws = websocket.WebSocket(enable_multithread=True)
        ws.connect(f"{base}{self._path('/ws')}?clientId={quote(client_id, safe='')}",
                   timeout=timeout or self.timeouts.connect, suppress_origin=True,
                   header=[f"{k}: {v}" for k, v in self._headers.items()])
        ws.settimeout(None)  # the reader thread blocks (the job closes the socket to end it); the job keeps time
        return ws

    # --- plumbing ------------------------------------------------------------------
    def _path(self, path: str) -> str:
        return f"{self.prefix if self.prefix is not None else '/api'}{path}"

    def _json(self, method: str, path: str) -> object:
        r = self._call(method, path)
        if r.status_code != 200:
            raise errors.ComfyUIRejected(f"ComfyUI at {self.url} answered HTTP {r.status_code} to {path}.",
                                         backend=errors.BACKEND, url=self.url, status=r.status_code,
                                         detail=r.text[:2000])
        try:
            return r.json()
        except ValueError as exc:
            raise errors.ComfyUIRejected(f"ComfyUI at {self.url} sent something that is not JSON for {path}.",
                                         backend=errors.BACKEND, url=self.url, detail=r.text[:2000]) from exc

    def _call(self, method: str, path: str, *, json_body: dict | None = None, params: dict | None = None,
              stream: bool = False, timeout: tuple[float, float] | None = None) -> requests.Response:
        try:
            body = json.dumps(json_body) if json_body is not None else None
            return self._session.request(method, self.url + path, params=params, stream=stream, data=body,
                                         headers={"Content-Type": "application/json"} if body is not None else None,
                                         timeout=timeout or (self.timeouts.connect, self.timeouts.read))
        except requests.ConnectionError as exc:
            raise errors.unreachable(self.url, detail=str(exc)) from exc
        except requests.Timeout as exc:
            raise BackendTimeout(f"ComfyUI at {self.url} did not answer {path} in time. It may be overloaded; try "
                                 "again, or check the ComfyUI console.", backend=errors.BACKEND, url=self.url,
                                 detail=str(exc)) from exc
        except requests.RequestException as exc:
            raise errors.unreachable(self.url, detail=str(exc)) from exc
