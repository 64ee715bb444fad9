"""What one chat request carries down to an agent: the turn, who asked, settings and clients.

The Pipelines server runs `pipe()` from many threads on one shared Pipeline object, so
all per-request state lives here and never on `self`.
"""
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from alphaomega.agents.backends import Backends
from alphaomega.agents.stop_watch import StopWatch
from alphaomega.valves import Valves

log = logging.getLogger("alphaomega.request")


class UserInfo(BaseModel):
    """The OpenWebUI user that OpenWebUI puts in `body["user"]`."""

    model_config = ConfigDict(extra="allow")
    id: str = ""
    name: str = ""
    email: str = ""
    role: str = "user"


class ChatParams(BaseModel):
    """OpenWebUI's model parameters, which it flattens to the top level of the body."""

    model_config = ConfigDict(extra="ignore")
    temperature: float | None = None
    top_p: float | None = None
    seed: int | None = None
    stop: list[str] | None = None
    max_tokens: int | None = None

    @field_validator("stop", mode="before")
    @classmethod
    def _stop_as_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @classmethod
    def from_body(cls, body: dict) -> "ChatParams":
        """Keep each valid parameter; drop (and log) one that cannot be understood."""
        kept: dict[str, Any] = {}
        for name in cls.model_fields:
            if body.get(name) is None:
                continue
            try:
                cls.model_validate({name: body[name]})
            except ValidationError:
                log.warning("ignoring parameter %s=%r: not a valid value", name, body[name])
                continue
            kept[name] = body[name]
        return cls.model_validate(kept)


@dataclass(frozen=True)
class ImagePart:
    """An image the user attached, still as OpenWebUI sent it (a data: URI)."""

    url: str


@dataclass(frozen=True)
class Turn:
    """One message of the conversation, with text and images separated."""

    role: str
    text: str
    images: tuple[ImagePart, ...] = ()


@dataclass(frozen=True)
class RequestContext:
    text: str
    history: tuple[Turn, ...]
    stream: bool
    user: UserInfo
    params: ChatParams
    valves: Valves
    backends: Backends
    task: str | None = None
    chat_id: str | None = None
    # Set when streaming: agents register here what to undo if the user presses Stop (see stop_watch).
    watch: StopWatch = field(default_factory=StopWatch)

    def on_abandon(self, cleanup: Callable[[], None]) -> None:
        self.watch.on_abandon(cleanup)

    def with_text(self, text: str) -> "RequestContext":
        """The same request with the user's last message reworded (e.g. a `/code` override stripped)."""
        if text == self.text:
            return self
        history = list(self.history)
        for index in range(len(history) - 1, -1, -1):
            if history[index].role == "user":
                history[index] = replace(history[index], text=text)
                break
        return replace(self, text=text, history=tuple(history))

    @property
    def has_image(self) -> bool:
        return bool(self.history) and self.history[-1].role == "user" and bool(self.history[-1].images)
