"""Asking the vision model, for attached images and for the screen alike.

Before any image is sent, `/api/show` must not deny the "vision" capability for VISION_MODEL:
Ollama <= 0.24 silently drops images sent to a text-only model, which would then answer
blind. A compatible server that has no /api/show, or says nothing either way, gets the images.
When the vision server fails before answering, the reasoning model tells the user that the
picture could not be analysed, and why.
"""
import logging
import threading
import time
import weakref
from collections.abc import Iterator

from alphaomega.agents.base import Item, Status
from alphaomega.agents.chat import chat_messages, chat_options
from alphaomega.agents.context import RequestContext
from alphaomega.agents.errors import BackendError, ModelNotFound, SettingsError
from alphaomega.agents.markdown_guard import disarmed_stream
from alphaomega.agents.ollama import OllamaClient
from alphaomega.agents.ollama_types import ChatMessage, ChatRequest, ShowResponse

log = logging.getLogger("alphaomega.vision")

CAPABLE_TTL = 600.0  # seconds a "this model takes images" answer is trusted
INCAPABLE_TTL = 60.0  # shorter, so pulling the right model is noticed soon

# client -> model -> (checked at, takes images, capabilities listed). A new client (valves
# changed) starts with an empty cache; a dropped client takes its cache with it.
_capabilities: "weakref.WeakKeyDictionary[OllamaClient, dict[str, tuple[float, bool, tuple[str, ...]]]]" = \
    weakref.WeakKeyDictionary()
_capabilities_lock = threading.Lock()


class VisionUnsupported(SettingsError):
    """VISION_MODEL exists but does not take images."""

    headline = "Model cannot see images"

    def __init__(self, model: str, url: str, capabilities: tuple[str, ...]):
        listed = ", ".join(capabilities) if capabilities else "nothing"
        super().__init__(
            f"The vision model {model} on {url} cannot see images: Ollama does not list the \"vision\" "
            f"capability for it (it lists: {listed}). Some Ollama versions silently drop images sent to such "
            "a model and answer blind, so AlphaOmega did not send them. Set the VISION_MODEL valve to a "
            f"vision model such as llava:34b, pulled on that server with `ollama pull llava:34b`.",
            setting="VISION_MODEL")
        self.model = model
        self.capabilities = capabilities


def takes_images(show: ShowResponse) -> bool | None:
    """Trust `capabilities`; servers too old to send it still name a vision projector. None: no sign either way."""
    if "capabilities" in show.model_fields_set:
        return "vision" in show.capabilities
    extra = show.model_extra or {}
    if extra.get("projector_info"):
        return True
    details = extra.get("details") if isinstance(extra.get("details"), dict) else {}
    families = details.get("families")
    if isinstance(families, list):
        return "clip" in families
    return None


def check_vision(client: OllamaClient, model: str, now: float | None = None) -> None:
    """Raise `VisionUnsupported` unless `model` takes images; backend errors pass through uncached.

    An Ollama-compatible server that has no /api/show, or shows no sign either way, is given the
    images: refusing would break a working server to guard against one Ollama version's quirk."""
    now = time.monotonic() if now is None else now
    with _capabilities_lock:
        cached = _capabilities.get(client, {}).get(model)
    if cached is not None:
        checked, capable, listed = cached
        if now - checked < (CAPABLE_TTL if capable else INCAPABLE_TTL):
            if not capable:
                raise VisionUnsupported(model, client.server.url, listed)
            return
    try:
        show = client.show(model)
    except ModelNotFound:
        raise
    except BackendError as exc:
        if exc.status not in (404, 405, 501):
            raise
        log.warning("%s has no /api/show (HTTP %s): sending images to %s without checking that it can see them",
                    client.server.url, exc.status, model)
        capable, listed = True, ()
    else:
        verdict, listed = takes_images(show), tuple(show.capabilities)
        if verdict is None:
            log.warning("%s does not say whether %s can see images; sending them", client.server.url, model)
        capable = verdict is not False
    with _capabilities_lock:
        _capabilities.setdefault(client, {})[model] = (now, capable, listed)
    if not capable:
        raise VisionUnsupported(model, client.server.url, listed)


def forget_capabilities() -> None:
    with _capabilities_lock:
        _capabilities.clear()


def vision_request(ctx: RequestContext, messages: list[ChatMessage], *, stream: bool) -> ChatRequest:
    return ChatRequest(model=ctx.valves.VISION_MODEL, messages=messages, stream=stream,
                       options=chat_options(ctx), keep_alive=ctx.valves.keep_alive_for_ollama())


def answer(ctx: RequestContext, messages: list[ChatMessage], *, subject: str, verb: str,
           question: str) -> Iterator[Item]:
    """The vision model's answer about `messages`' images, or the reasoning model's explanation.

    The pictures may hold text written to be repeated: the answer cannot render remote images."""
    return disarmed_stream(_answer(ctx, messages, subject=subject, verb=verb, question=question))


def _answer(ctx: RequestContext, messages: list[ChatMessage], *, subject: str, verb: str,
            question: str) -> Iterator[Item]:
    model, client = ctx.valves.VISION_MODEL, ctx.backends.vision
    try:
        check_vision(client, model)
    except VisionUnsupported as exc:
        yield f"⚠️ {exc.user_message}"
        return
    except BackendError as exc:
        yield from explain_failure(ctx, subject, exc, question)
        return
    wrote = False
    try:
        if not ctx.stream:
            text = client.chat(vision_request(ctx, messages, stream=False)).message.content
            wrote = bool(text)
            yield text
            return
        started = time.monotonic()
        yield Status(f"{verb} with {model}…")
        for chunk in client.stream_chat(vision_request(ctx, messages, stream=True), on_abandon=ctx.on_abandon):
            if chunk.message.content:
                wrote = True
                yield chunk.message.content
        yield Status(f"Answered by {model} in {time.monotonic() - started:.1f} s", done=True)
    except BackendError as exc:
        if wrote:  # half an answer is on screen: the pipeline reports the failure after it
            raise
        yield from explain_failure(ctx, subject, exc, question)


def explain_failure(ctx: RequestContext, subject: str, exc: BackendError, question: str) -> Iterator[Item]:
    """The vision server failed: say so plainly, then let the reasoning model answer what it can."""
    reason = exc.user_message
    log.warning("vision model unavailable, answering through the reasoning model: %s (%s)", reason, exc.detail)
    yield f"_{subject} could not be analysed: {reason}_\n\n"
    model = ctx.valves.CHAT_MODEL
    note = (f"{subject} the user refers to could NOT be analysed, so you have not seen it. Reason: {reason} "
            "The user has already been shown that reason. Say in one short sentence that you could not look "
            "at it and what would fix it; do not describe or guess what it shows. Then help with any part of "
            "the request that does not need the picture.")
    messages = chat_messages(ctx)
    messages[-1:-1] = [ChatMessage(role="system", content=note)]
    if question and messages[-1].role == "user":
        messages[-1] = ChatMessage(role="user", content=question)
    request = ChatRequest(model=model, messages=messages, stream=ctx.stream, options=chat_options(ctx),
                          keep_alive=ctx.valves.keep_alive_for_ollama())
    client = ctx.backends.reasoning
    try:
        if not ctx.stream:
            yield client.chat(request).message.content
            return
        started = time.monotonic()
        yield Status(f"{ctx.valves.VISION_MODEL} is unavailable; answering with {model}…")
        for chunk in client.stream_chat(request, on_abandon=ctx.on_abandon):
            if chunk.message.content:
                yield chunk.message.content
        yield Status(f"Answered by {model} in {time.monotonic() - started:.1f} s", done=True)
    except BackendError as second:
        log.warning("the reasoning model could not explain either: %s", second.user_message)
        yield f"⚠️ The chat model could not answer either: {second.user_message}"
