"""The one interface every agent shares: `run(ctx)` yields text and events.

Agents never build OpenWebUI chunk shapes themselves; `alphaomega.pipelines.chunks`
turns these items into SSE chunks when streaming, or into plain text when not.
"""
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from alphaomega.agents.context import RequestContext


@dataclass(frozen=True)
class Status:
    """A progress line above the answer, e.g. "Thinking with mistral…"."""

    description: str
    done: bool = False


@dataclass(frozen=True)
class Image:
    """A picture for the reply, as a data: URI (never a backend URL the browser cannot reach)."""

    data_uri: str
    alt: str = "image"


Item = str | Status | Image


class Agent(Protocol):
    """Handles one intent."""

    def run(self, ctx: RequestContext) -> Iterator[Item]: ...
