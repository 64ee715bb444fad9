"""Typed Ollama wire payloads for `/api/chat`, `/api/tags` and `/api/show`.

What we send forbids unknown fields; what we read allows them, because newer Ollama
versions add fields and omit zero-valued metrics.
"""
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


class _Sent(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Read(BaseModel):
    model_config = ConfigDict(extra="allow")


class ChatMessage(_Sent):
    role: str
    content: str
    images: list[str] | None = Field(default=None, description="bare base64, never a data: URI")


class ChatOptions(_Sent):
    temperature: float | None = None
    top_p: float | None = None
    seed: int | None = None
    stop: list[str] | None = None
    num_predict: int | None = None
    num_ctx: int | None = None


class ChatRequest(_Sent):
    model: str
    messages: list[ChatMessage]
    stream: bool
    options: ChatOptions | None = None
    keep_alive: int | str | None = None
    format: str | dict[str, Any] | None = None

    def wire(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class ReplyMessage(_Read):
    role: str = "assistant"
    content: str = ""

    @field_validator("role", "content", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any, info: ValidationInfo) -> Any:
        # Compatible servers send "content": null next to tool calls, or a null role.
        return ("assistant" if info.field_name == "role" else "") if value is None else value


class ChatChunk(_Read):
    """One NDJSON line of a streamed answer, or the whole non-streamed answer."""

    model: str = ""
    created_at: str = ""
    message: ReplyMessage = Field(default_factory=ReplyMessage)
    done: bool = False
    done_reason: str | None = None
    # Ollama sends integers (nanoseconds, token counts); compatible servers may send fractions.
    total_duration: float | None = None
    load_duration: float | None = None
    prompt_eval_count: float | None = None
    eval_count: float | None = None
    eval_duration: float | None = None


class ModelTag(_Read):
    name: str
    model: str = ""
    size: int | None = None


class TagsResponse(_Read):
    models: list[ModelTag] = Field(default_factory=list)


class ShowResponse(_Read):
    capabilities: list[str] = Field(default_factory=list)
