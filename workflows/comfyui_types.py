"""Typed ComfyUI wire payloads (0.3.64 shapes, see tests/data/comfyui_transcripts).

What we send forbids unknown fields; what we read allows them, because newer servers add
fields (0.38 `/api/jobs`, extra node info) and custom nodes send their own message types.
"""
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Sent(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Read(BaseModel):
    model_config = ConfigDict(extra="allow")


class PromptRequest(_Sent):
    """POST /prompt. Our own uuid4 `prompt_id` lets us match frames, history and cancel before the reply."""

    prompt: dict[str, Any]
    client_id: str
    prompt_id: str
    extra_data: dict[str, Any] | None = None

    def wire(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class ErrorInfo(_Read):
    type: str = ""
    message: str = ""
    details: str = ""
    extra_info: dict[str, Any] | None = None


class NodeError(_Read):
    errors: list[ErrorInfo] = Field(default_factory=list)
    dependent_outputs: list[Any] = Field(default_factory=list)
    class_type: str = ""


class PromptAccepted(_Read):
    """HTTP 200. A non-empty `node_errors` means some outputs were dropped: we treat it as an error."""

    prompt_id: str
    number: float | int = 0
    node_errors: dict[str, NodeError] = Field(default_factory=dict)


class PromptRejected(_Read):
    """HTTP 400: `error` plus per-node `node_errors`."""

    error: ErrorInfo | str = Field(default_factory=ErrorInfo)
    node_errors: dict[str, NodeError] = Field(default_factory=dict)


class ImageRef(_Read):
    filename: str
    subfolder: str = ""
    type: str = "output"


class HistoryStatus(_Read):
    status_str: str = ""
    completed: bool = False
    messages: list[Any] = Field(default_factory=list)

    def event(self, name: str) -> dict[str, Any] | None:
        for message in self.messages:
            if isinstance(message, list) and len(message) == 2 and message[0] == name and isinstance(message[1], dict):
                return message[1]
        return None


class HistoryEntry(_Read):
    outputs: dict[str, dict[str, Any]] = Field(default_factory=dict)
    status: HistoryStatus | None = None

    def images(self) -> list[ImageRef]:
        """Saved images first (`output`); temp previews only when nothing was saved (they vanish on restart)."""
        refs = [ImageRef.model_validate(item) for output in self.outputs.values()
                for item in (output.get("images") or []) if isinstance(item, dict) and item.get("filename")]
        saved = [ref for ref in refs if ref.type == "output"]
        return saved or refs


class QueueState(_Read):
    """GET /queue: items are [number, prompt_id, prompt, extra_data, outputs_to_execute, ...]."""

    queue_running: list[list[Any]] = Field(default_factory=list)
    queue_pending: list[list[Any]] = Field(default_factory=list)

    def is_running(self, prompt_id: str) -> bool:
        return any(len(item) > 1 and item[1] == prompt_id for item in self.queue_running)

    def is_pending(self, prompt_id: str) -> bool:
        return any(len(item) > 1 and item[1] == prompt_id for item in self.queue_pending)

    def jobs_ahead(self, prompt_id: str) -> int | None:
        """Running jobs plus pending ones with a lower number; None if our job is not pending."""
        ours = next((item for item in self.queue_pending if len(item) > 1 and item[1] == prompt_id), None)
        if ours is None:
            return None
        ahead = [item for item in self.queue_pending if item is not ours and _number(item) < _number(ours)]
        return len(self.queue_running) + len(ahead)


class SystemStats(_Read):
    system: dict[str, Any] = Field(default_factory=dict)
    devices: list[dict[str, Any]] = Field(default_factory=list)

    @property
    def version(self) -> str:
        return str(self.system.get("comfyui_version", ""))


# --- websocket text frames we act on -------------------------------------------------
class Progress(_Read):
    value: float = Field(allow_inf_nan=False)  # shown as int(value): infinity would raise
    max: float = Field(allow_inf_nan=False)
    prompt_id: str | None = None
    node: str | None = None


class Executing(_Read):
    node: str | None = None
    display_node: str | None = None
    prompt_id: str | None = None


class ExecutionError(_Read):
    prompt_id: str = ""
    node_id: str | None = None
    node_type: str = ""
    exception_message: str = ""
    exception_type: str = ""


class ExecutionInterrupted(_Read):
    prompt_id: str = ""
    node_id: str | None = None
    node_type: str = ""


def _number(item: list[Any]) -> float:
    try:
        return float(item[0])
    except (TypeError, ValueError, IndexError):
        return float("inf")
