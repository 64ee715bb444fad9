"""The only place that knows OpenWebUI's chunk shapes.

Streaming: text goes out as plain strings (the Pipelines server wraps them), status lines
as `{"event": {"type": "status", ...}}` and pictures as a chunk with `delta.images`.
Not streaming: events would end up in the answer as text, so only words and pictures
(as markdown) are kept.
"""
import time
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from alphaomega.agents.base import Image, Item, Status


def status_event(description: str, done: bool = False) -> dict[str, Any]:
    return {"event": {"type": "status", "data": {"description": description, "done": done}}}


def image_chunk(model: str, data_uri: str) -> dict[str, Any]:
    """OpenWebUI stores `delta.images` in its own file store and attaches them to the message."""
    return {
        "id": f"{model}-{uuid.uuid4()}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{
            "index": 0,
            "delta": {"images": [{"type": "image_url", "image_url": {"url": data_uri}}]},
            "logprobs": None,
            "finish_reason": None,
        }],
    }


def to_stream(items: Iterable[Item], *, model: str, show_status: bool = True) -> Iterator[str | dict]:
    for item in items:
        if isinstance(item, str):
            if item:
                yield item
        elif isinstance(item, Status):
            if show_status:
                yield status_event(item.description, item.done)
        elif isinstance(item, Image):
            yield image_chunk(model, item.data_uri)


def to_text(items: Iterable[Item]) -> str:
    parts: list[str] = []
    for item in items:
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, Image):
            parts.append(f"\n\n![{item.alt}]({item.data_uri})\n\n")
    return "".join(parts)
