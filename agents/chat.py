"""Chat, code and background-task answers from the reasoning Ollama instance.

Chat and code differ only in the model valve they read. Background tasks (titles, tags,
follow-ups) use the chat model without streaming and without our system prompt, because
their prompts are self-contained and expect bare JSON back.
"""
import time
from collections.abc import Iterator

from alphaomega.agents.base import Item, Status
from alphaomega.agents.context import RequestContext
from alphaomega.agents.ollama_types import ChatMessage, ChatOptions, ChatRequest


def chat_options(ctx: RequestContext) -> ChatOptions:
    """OpenWebUI's flattened parameters, mapped to Ollama's names; the valves fill the gaps."""
    params = ctx.params
    return ChatOptions(
        temperature=params.temperature if params.temperature is not None else ctx.valves.TEMPERATURE,
        top_p=params.top_p,
        seed=params.seed,
        stop=params.stop or None,
        num_predict=params.max_tokens,
        num_ctx=ctx.valves.NUM_CTX or None,
    )


def internal_options(ctx: RequestContext) -> ChatOptions:
    """For our own model calls (describe the screen, plan actions): the valves only. The user's
    max_tokens or stop are meant for answers and would cut a description or a JSON plan short."""
    return ChatOptions(temperature=ctx.valves.TEMPERATURE, num_ctx=ctx.valves.NUM_CTX or None)


def chat_messages(ctx: RequestContext, *, with_system_prompt: bool = True) -> list[ChatMessage]:
    """The whole conversation as Ollama text messages, with our system prompt if it has none."""
    messages = [ChatMessage(role=turn.role, content=turn.text) for turn in ctx.history]
    prompt = ctx.valves.SYSTEM_PROMPT.strip()
    if with_system_prompt and prompt and not any(m.role == "system" for m in messages):
        messages.insert(0, ChatMessage(role="system", content=prompt))
    return messages


def chat_request(ctx: RequestContext, model: str, *, stream: bool, with_system_prompt: bool = True) -> ChatRequest:
    return ChatRequest(
        model=model,
        messages=chat_messages(ctx, with_system_prompt=with_system_prompt),
        stream=stream,
        options=chat_options(ctx),
        keep_alive=ctx.valves.keep_alive_for_ollama(),
    )


class ChatAgent:
    """Streams an answer from the model named by one valve (CHAT_MODEL or CODE_MODEL)."""

    backend_valve = "OLLAMA_REASONING_URL"

    def __init__(self, model_valve: str = "CHAT_MODEL", verb: str = "Thinking"):
        self.model_valve = model_valve
        self.verb = verb

    def run(self, ctx: RequestContext) -> Iterator[Item]:
        model = getattr(ctx.valves, self.model_valve)
        client = ctx.backends.reasoning
        if not ctx.stream:
            yield client.chat(chat_request(ctx, model, stream=False)).message.content
            return
        started = time.monotonic()
        yield Status(f"{self.verb} with {model}…")
        for chunk in client.stream_chat(chat_request(ctx, model, stream=True), on_abandon=ctx.on_abandon):
            if chunk.message.content:
                yield chunk.message.content
        yield Status(f"Answered by {model} in {time.monotonic() - started:.1f} s", done=True)


class TaskAgent:
    """OpenWebUI background tasks: one non-streamed answer from the chat model, nothing else."""

    model_valve = "CHAT_MODEL"
    backend_valve = "OLLAMA_REASONING_URL"

    def run(self, ctx: RequestContext) -> Iterator[Item]:
        request = chat_request(ctx, ctx.valves.CHAT_MODEL, stream=False, with_system_prompt=False)
        yield ctx.backends.reasoning.chat(request).message.content
