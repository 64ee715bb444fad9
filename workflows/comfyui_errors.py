"""ComfyUI's failures, turned into sentences a user can act on.

    BackendError (agents.errors)
    ├── BackendUnavailable      ComfyUI does not answer at COMFYUI_URL, or dropped a download
    │   └── ComfyUIAccessDenied 401/403: it wants (another) COMFYUI_API_KEY
    ├── BackendTimeout          the job ran past IMAGE_TIMEOUT (it was cancelled)
    ├── ModelNotFound
    │   └── ComfyUIModelMissing a checkpoint / diffusion model / encoder / VAE file is not installed
    ├── ComfyUIRejected         400 validation errors, a plain-text 500, node_errors on a 200
    ├── ComfyUIExecutionFailed  `execution_error`: which node failed and its message
    └── ComfyUIJobStopped       interrupted on the server, or lost (e.g. ComfyUI restarted)
"""
import json
import re
from collections.abc import Callable

from pydantic import ValidationError

from alphaomega.agents.errors import BackendError, BackendTimeout, BackendUnavailable, ModelNotFound
from alphaomega.workflows.comfyui_types import ErrorInfo, NodeError, PromptRejected

BACKEND = "ComfyUI"
# Model-file inputs: (what the user calls it, folder under ComfyUI/models, valve that picks it)
MODEL_INPUTS = {
    "ckpt_name": ("Checkpoint", "checkpoints", "CHECKPOINT"),
    "unet_name": ("Diffusion model", "diffusion_models", "CHECKPOINT"),
    "clip_name": ("Text encoder", "text_encoders", None),
    "clip_name1": ("Text encoder", "text_encoders", None),
    "clip_name2": ("Text encoder", "text_encoders", None),
    "clip_name3": ("Text encoder", "text_encoders", None),
    "vae_name": ("VAE", "vae", None),
    "lora_name": ("LoRA", "loras", None),
}
Installed = Callable[[str, str], list[str] | None]


class ComfyUIModelMissing(ModelNotFound):
    headline = "Model file not installed"


class ComfyUIAccessDenied(BackendUnavailable):
    headline = "ComfyUI wants an API key"


class ComfyUIRejected(BackendError):
    headline = "Workflow rejected"


class ComfyUIExecutionFailed(BackendError):
    headline = "Image job failed"

    def __init__(self, user_message: str, *, node_id: str | None, node_type: str, **kwargs):
        super().__init__(user_message, **kwargs)
        self.node_id = node_id
        self.node_type = node_type


class ComfyUIJobStopped(BackendError):
    headline = "Image job stopped"


def unreachable(url: str, detail: str = "") -> BackendUnavailable:
    return BackendUnavailable(f"Image generation unavailable: ComfyUI at {url} is not reachable. Start ComfyUI there, "
                              "or set the COMFYUI_URL valve to the address it listens on.",
                              backend=BACKEND, url=url, detail=detail)


def access_denied(url: str, status: int, detail: str = "") -> ComfyUIAccessDenied:
    return ComfyUIAccessDenied(f"ComfyUI at {url} refused AlphaOmega (HTTP {status}): it wants an API key. Set the "
                               "COMFYUI_API_KEY valve to a key it accepts.", backend=BACKEND, url=url, status=status,
                               detail=detail)


def dropped(url: str, filename: str, detail: str = "") -> BackendUnavailable:
    return BackendUnavailable(f"The connection to ComfyUI at {url} dropped while the picture {filename} was "
                              "downloading. Check that ComfyUI is still running (and any proxy in front of it), then "
                              "ask again.", backend=BACKEND, url=url, detail=detail)


def timed_out(url: str, seconds: float, waiting: bool) -> BackendTimeout:
    if waiting:
        text = (f"The image job waited in ComfyUI's queue for more than {seconds:g} s, so it was taken out of the "
                "queue. ComfyUI is busy with other jobs; try again later or raise the IMAGE_TIMEOUT valve.")
    else:
        text = (f"The image took longer than {seconds:g} s (the IMAGE_TIMEOUT valve), so the job was cancelled. "
                "Raise IMAGE_TIMEOUT, or ask for fewer steps or a smaller size.")
    return BackendTimeout(text, backend=BACKEND, url=url)


def rejection(url: str, path: str, status: int, text: str, content_type: str, installed: Installed) -> BackendError:
    """A non-200 answer to POST /prompt."""
    if status == 400 and "json" in content_type:
        try:
            body = PromptRejected.model_validate(json.loads(text))
        except (ValueError, ValidationError):
            body = None
        if body is not None:
            return _validation_error(url, body, installed, status=status, raw=text)
    if status in (401, 403):
        return access_denied(url, status, detail=text[:2000])
    if status >= 500:
        return ComfyUIRejected(f"ComfyUI could not process the image request (HTTP {status}). Look at the ComfyUI "
                               "console for the error; a custom workflow must be an API-format export.",
                               backend=BACKEND, url=url, status=status, detail=text[:2000])
    return ComfyUIRejected(f"ComfyUI at {url} answered HTTP {status} to {path}: {_short(text)}. Check that COMFYUI_URL "
                           "points at ComfyUI itself (not its web page behind another path).",
                           backend=BACKEND, url=url, status=status, detail=text[:2000])


def partial_acceptance(url: str, node_errors: dict[str, NodeError], installed: Installed) -> BackendError:
    """HTTP 200 whose node_errors is not empty: ComfyUI silently dropped the outputs that failed."""
    lines, hints, model = _node_lines(node_errors, installed)
    text = "ComfyUI accepted only part of the workflow and dropped the rest: " + " ".join(lines + hints)
    if model:
        return ComfyUIModelMissing(text, model=model, backend=BACKEND, url=url, status=200)
    return ComfyUIRejected(text, backend=BACKEND, url=url, status=200)


def execution_failed(url: str, node_id: str | None, node_type: str, exception_type: str, message: str) -> BackendError:
    what = f"{exception_type}: {message}" if exception_type else message
    return ComfyUIExecutionFailed(
        f"ComfyUI failed while running node {node_id} ({node_type or 'unknown node'}): {_short(what, 400)}. "
        "The ComfyUI console has the full traceback.",
        node_id=node_id, node_type=node_type, backend=BACKEND, url=url, detail=message[:4000])


def interrupted(url: str, node_id: str | None, node_type: str) -> BackendError:
    where = f" at node {node_id} ({node_type})" if node_id else ""
    return ComfyUIJobStopped(f"The image job was stopped on the ComfyUI server{where}, by someone using ComfyUI or "
                             "another client. Ask again to start a new one.", backend=BACKEND, url=url)


def lost(url: str) -> BackendError:
    return ComfyUIJobStopped("ComfyUI lost the image job: it is neither in the queue nor in the history, which "
                             "usually means ComfyUI restarted. Ask again to start a new one.", backend=BACKEND, url=url)


def _validation_error(url: str, body: PromptRejected, installed: Installed, *, status: int, raw: str) -> BackendError:
    lines, hints, model = _node_lines(body.node_errors, installed)
    error = body.error if isinstance(body.error, ErrorInfo) else ErrorInfo(message=str(body.error))
    if model and all(_is_missing_model(e) for n in body.node_errors.values() for e in n.errors):
        return ComfyUIModelMissing(" ".join(lines + hints), model=model, backend=BACKEND, url=url, status=status,
                             detail=raw[:4000])
    if not lines:
        summary = error.message or error.type or "validation failed"
        lines = [summary + (f" ({error.details})" if error.details and error.details != summary else "") + "."]
    return ComfyUIRejected("ComfyUI rejected the workflow: " + " ".join(lines + hints), backend=BACKEND, url=url,
                           status=status, detail=raw[:4000])


def _node_lines(node_errors: dict[str, NodeError], installed: Installed) -> tuple[list[str], list[str], str | None]:
    lines: list[str] = []
    hints: list[str] = []
    first_model: str | None = None
    for node_id, node in node_errors.items():
        for error in node.errors:
            extra = error.extra_info or {}
            if _is_missing_model(error):
                input_name = str(extra["input_name"])
                kind, folder, valve = MODEL_INPUTS[input_name]
                received = str(extra.get("received_value", ""))
                names = installed(node.class_type, input_name)
                if names is None:
                    config = extra.get("input_config")
                    names = config[0] if isinstance(config, list) and config and isinstance(config[0], list) else []
                lines.append(f"{kind} {received} is not installed. Installed: {', '.join(map(str, names)) or 'none'}.")
                hint = f"Put the file in ComfyUI's models/{folder} folder" + (
                    f", or set the {valve} valve to an installed one." if valve and names else ".")
                if hint not in hints:
                    hints.append(hint)
                first_model = first_model or received
            else:
                detail = f": {error.details}" if error.details else ""
                lines.append(f"node {node_id} ({node.class_type}) {error.message or error.type}{detail}.")
    return lines, hints, first_model


def _is_missing_model(error: ErrorInfo) -> bool:
    extra = error.extra_info or {}
    return error.type == "value_not_in_list" and extra.get("input_name") in MODEL_INPUTS


def _short(text: str, limit: int = 200) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
