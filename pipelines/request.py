"""Turn the Pipelines server's `pipe()` arguments into a `RequestContext`.

OpenWebUI's bodies are loosely shaped (content is a string or a list of parts, `user` may
be missing, parameters may be junk), so parsing here is forgiving and never raises on
odd input: what cannot be understood is dropped.
"""
from typing import Any

from pydantic import ValidationError

from alphaomega.agents.backends import Backends
from alphaomega.agents.context import ChatParams, ImagePart, RequestContext, Turn, UserInfo
from alphaomega.valves import Valves

# The key our `inlet()` adds to the body: OpenWebUI drops `metadata` before `pipe()`.
META_KEY = "_alphaomega"


def parse_turn(message: Any) -> Turn | None:
    if not isinstance(message, dict) or not isinstance(message.get("role"), str):
        return None
    content = message.get("content")
    if isinstance(content, str):
        return Turn(message["role"], content)
    texts: list[str] = []
    images: list[ImagePart] = []
    for part in content if isinstance(content, list) else []:
        if not isinstance(part, dict):
            continue
        if part.get("type") == "text" and isinstance(part.get("text"), str):
            texts.append(part["text"])
        elif part.get("type") == "image_url":
            image = part.get("image_url")
            url = image.get("url") if isinstance(image, dict) else image
            if isinstance(url, str):
                images.append(ImagePart(url))
    return Turn(message["role"], "\n".join(texts), tuple(images))


def parse_user(body: dict) -> UserInfo:
    try:
        return UserInfo.model_validate(body.get("user") or {})
    except ValidationError:
        return UserInfo()


def inlet_meta(body: dict) -> dict:
    meta = body.get(META_KEY)
    return meta if isinstance(meta, dict) else {}


def build_context(body: dict, messages: list, valves: Valves, backends: Backends) -> RequestContext:
    history = tuple(turn for turn in map(parse_turn, messages or []) if turn is not None)
    last_user = next((turn for turn in reversed(history) if turn.role == "user"), None)
    meta = inlet_meta(body)
    return RequestContext(
        text=last_user.text if last_user else "",
        history=history,
        stream=body.get("stream", True) is not False,
        user=parse_user(body),
        params=ChatParams.from_body(body),
        valves=valves,
        backends=backends,
        task=meta.get("task") if isinstance(meta.get("task"), str) else None,
        chat_id=meta.get("chat_id") if isinstance(meta.get("chat_id"), str) else None,
    )
