"""The `Pipeline` the Pipelines server loads: one model, "AlphaOmega", that routes each message.

`pipe()` is a plain function (the server never awaits it) that returns a generator when
streaming and a string otherwise. Nothing escapes it: every failure becomes a sentence
in the chat, and the traceback goes to logs/alphaomega.log.
"""
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from alphaomega.agents import computer_use
from alphaomega.agents.backends import Backends
from alphaomega.agents.base import Agent, Item, Status
from alphaomega.agents.chat import ChatAgent, TaskAgent
from alphaomega.agents.context import RequestContext
from alphaomega.agents.errors import AlphaOmegaError
from alphaomega.agents.image_generation import ImageGenerationAgent
from alphaomega.agents.screen import ScreenAgent
from alphaomega.agents.vision import VisionAgent
from alphaomega.pipelines import chunks, logs
from alphaomega.pipelines.request import META_KEY, build_context
from alphaomega.pipelines.router import Decision, detect_task, route
from alphaomega.pipelines.routing.tiebreak import LlmTiebreak, make_tiebreak
from alphaomega.valves import Valves, defaults_only

log = logging.getLogger("alphaomega.pipeline")

AGENTS: dict[str, Agent] = {
    "chat": ChatAgent("CHAT_MODEL", "Thinking"),
    "code_generation": ChatAgent("CODE_MODEL", "Writing code"),
    "computer_use_act": computer_use.AGENT,
    "vision": VisionAgent(),
    "computer_use_observe": ScreenAgent(),
    "image_generation": ImageGenerationAgent(),
}
TASK_AGENT = TaskAgent()

# Intents whose agents are not built yet are answered as chat, with this note first.
NOT_YET = {
    "tools": "Memory and saved artifacts",
}


@dataclass(frozen=True)
class Runtime:
    """Valves plus the clients built from them; swapped whole when the valves change."""

    valves: Valves
    backends: Backends
    tiebreak: LlmTiebreak | None = None

    def close(self) -> None:
        self.backends.close()
        if self.tiebreak is not None:
            self.tiebreak.close()


# How a routing decision reads in the status line.
ROUTE_LABELS = {
    "chat": "conversation",
    "code_generation": "code",
    "vision": "question about an image",
    "computer_use_observe": "look at the screen",
    "computer_use_act": "desktop action",
    "image_generation": "image generation",
    "tools": "memory and artifacts",
}


class Pipeline:
    def __init__(self) -> None:
        self.id = "alphaomega"
        self.name = "AlphaOmega"
        # No `self.type`: the server lists a pipeline with `type == "pipe"` nowhere (only
        # manifolds and filters are read from that attribute); leaving it out means "pipe".
        self.settings_problem: str | None = None
        try:
            self.valves = Valves()
        except ValidationError as exc:
            # A bad ALPHAOMEGA_* variable must not stop the model from loading at all.
            self.settings_problem = f"An ALPHAOMEGA_* environment variable is invalid, so defaults are used: {exc}"
            self.valves = defaults_only()
        self._runtime: Runtime | None = None
        self._runtime_lock = threading.Lock()

    # --- lifecycle (awaited by the Pipelines server) --------------------------------
    async def on_startup(self) -> None:
        self._rebuild()
        if self.settings_problem:
            log.error(self.settings_problem)
        threading.Thread(target=self._check_models, name="alphaomega-model-check", daemon=True).start()

    async def on_shutdown(self) -> None:
        runtime, self._runtime = self._runtime, None
        if runtime:
            runtime.close()

    async def on_valves_updated(self) -> None:
        self._rebuild()
        log.info("valves updated")

    async def inlet(self, body: dict, user: dict | None = None) -> dict:
        """OpenWebUI's `metadata` (task name, chat id) is dropped before `pipe()`: keep what we need."""
        try:
            meta = body.get("metadata") or {}
            body[META_KEY] = {key: meta.get(key) for key in ("task", "chat_id", "message_id", "session_id")}
        except Exception:  # the inlet must hand the body back whatever happens
            log.exception("inlet could not read the metadata")
        return body

    # --- the chat entry point -----------------------------------------------------
    def pipe(self, user_message: str, model_id: str, messages: list, body: dict) -> str | Iterator[Any]:
        started = time.perf_counter()
        streaming = not (isinstance(body, dict) and body.get("stream") is False)
        try:
            runtime = self._current_runtime()
            ctx = build_context(body, messages, runtime.valves, runtime.backends)
            agent, decision, record = self._choose(ctx, runtime)
            ctx = ctx.with_text(decision.text) if decision.text and not record["task"] else ctx
            record["route_ms"] = round((time.perf_counter() - started) * 1000, 3)
        except Exception as exc:
            log.exception("could not start answering")
            message = _user_message(exc)
            return _one_shot(message) if streaming else message
        items = self._decorated(agent.run(ctx), decision, ctx, record)
        if ctx.stream:
            return self._stream(items, ctx, record, started)
        return self._collect(items, record, started)

    # --- internals ----------------------------------------------------------------
    def _choose(self, ctx: RequestContext, runtime: Runtime) -> tuple[Agent, Decision, dict]:
        task = detect_task(ctx.text, ctx.task)
        if task:
            decision = Decision("chat", 1.0, f"OpenWebUI background task ({task})")
            agent: Agent = TASK_AGENT
        elif ctx.history and ctx.history[-1].role == "assistant":
            # OpenWebUI's "Continue response": the history ends with our own answer. Repeating the
            # last user request would click, type or render again, so this only ever continues text.
            decision = Decision("chat", 1.0, "continuing the previous answer")
            agent = AGENTS["chat"]
        else:
            hook = computer_use.pre_route(ctx)  # answers a pending confirmation or "stop" (same user and chat)
            hooked = hook is not None and hook.agent is not None
            decision = (Decision("computer_use_act", 1.0, hook.reason) if hooked
                        else route(ctx.text, ctx.has_image, tiebreak=runtime.tiebreak,
                                   unsure_below=ctx.valves.ROUTER_TIEBREAK_BELOW))
            agent = hook.agent if hooked else AGENTS.get(decision.intent, AGENTS["chat"])
            if hook is not None and hook.note:
                agent = computer_use.with_note(agent, hook.note)
        model_valve = getattr(agent, "model_valve", "CHAT_MODEL")
        record = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "chat_id": ctx.chat_id,
            "task": task,
            "intent": decision.intent,
            "confidence": decision.confidence,
            "reason": decision.reason,
            "backend": getattr(ctx.valves, getattr(agent, "backend_valve", "OLLAMA_REASONING_URL")),
            "model": getattr(ctx.valves, model_valve),
            "stream": ctx.stream,
            "user_role": ctx.user.role,
        }
        return agent, decision, record

    @staticmethod
    def _decorated(items: Iterator[Item], decision: Decision, ctx: RequestContext, record: dict) -> Iterator[Item]:
        """The agent's answer, with the routing decision as a status line (and, for ROUTER_DEBUG, at the end)."""
        if not record["task"]:
            label = ROUTE_LABELS.get(decision.intent, decision.intent)
            yield Status(f"Routed to {label} ({decision.confidence:.0%} sure)")
        if decision.intent in NOT_YET and decision.intent not in AGENTS:
            feature = NOT_YET[decision.intent]
            yield f"_{feature} is not available in AlphaOmega yet, so this is a plain chat answer._\n\n"
        yield from items
        if ctx.valves.ROUTER_DEBUG and not record["task"]:
            yield (f"\n\n---\n*Router: {decision.intent}, confidence {decision.confidence:.2f}. "
                   f"{decision.reason}.*")

    def _stream(self, items: Iterator[Item], ctx: RequestContext, record: dict, started: float) -> Iterator[Any]:
        """Stream the answer; the watch notices when nobody reads it any more (the server never tells us)."""
        wrote_text = False
        outcome = "ok"
        spinning: str | None = None  # a status line not marked done: OpenWebUI animates it until it is
        ctx.watch.on_give_up(lambda: _finish(record, started, "abandoned"))
        try:
            for chunk in ctx.watch.guard(chunks.to_stream(items, model=self.id,
                                                          show_status=ctx.valves.STATUS_EVENTS)):
                if isinstance(chunk, str):
                    if not wrote_text:
                        record["first_token_ms"] = round((time.perf_counter() - started) * 1000, 3)
                    wrote_text = True
                elif "event" in chunk:
                    status = chunk["event"]["data"]
                    spinning = None if status["done"] else status["description"]
                yield chunk
            if spinning is not None:
                yield chunks.status_event(spinning, done=True)
        except GeneratorExit:
            outcome = "cancelled"
            raise
        except Exception as exc:
            outcome = _outcome(exc)
            _log_failure(exc)
            message = _user_message(exc)
            yield ("\n\n" if wrote_text else "") + message
            if ctx.valves.STATUS_EVENTS:
                yield chunks.status_event(_short(exc), done=True)
        finally:
            _finish(record, started, outcome)

    def _collect(self, items: Iterator[Item], record: dict, started: float) -> str:
        outcome = "ok"
        parts: list[str] = []

        def tracked() -> Iterator[Item]:
            for item in items:
                if isinstance(item, str):
                    parts.append(item)
                yield item

        try:
            return chunks.to_text(tracked())
        except Exception as exc:
            outcome = _outcome(exc)
            _log_failure(exc)
            so_far = "".join(parts)
            return so_far + ("\n\n" if so_far else "") + _user_message(exc)
        finally:
            _finish(record, started, outcome)

    def _current_runtime(self) -> Runtime:
        runtime = self._runtime
        return runtime if runtime is not None else self._rebuild()

    def _rebuild(self) -> Runtime:
        """Build clients from the current valves. Called on startup and whenever the valves change."""
        with self._runtime_lock:
            valves = self.valves
            problem = logs.configure(valves.LOG_LEVEL)
            if problem:
                self.settings_problem = problem
            backends = Backends.from_valves(valves)
            tiebreak = None
            if valves.ROUTER_LLM_TIEBREAK:
                tiebreak = make_tiebreak(backends.reasoning, valves.ROUTER_TIEBREAK_MODEL or valves.CHAT_MODEL,
                                         valves.ROUTER_TIEBREAK_TIMEOUT)
            old, self._runtime = self._runtime, Runtime(valves, backends, tiebreak)
            if old is not None:
                old.close()
            return self._runtime

    def _check_models(self) -> None:
        """Warn in the log, at startup, about models that are not pulled; never blocks startup."""
        runtime = self._runtime
        if runtime is None:
            return
        valves, backends = runtime.valves, runtime.backends
        wanted = [(backends.reasoning, valves.CHAT_MODEL), (backends.reasoning, valves.CODE_MODEL),
                  (backends.vision, valves.VISION_MODEL)]
        for client, model in wanted:
            try:
                if not client.has_model(model):
                    log.warning("model %s is not pulled on %s: run `ollama pull %s` there",
                                model, client.server.url, model)
            except AlphaOmegaError as exc:
                log.warning("startup check: %s", exc.user_message)


def _user_message(exc: BaseException) -> str:
    if isinstance(exc, AlphaOmegaError):
        return f"⚠️ {exc.user_message}"
    # No server paths here: the chat may belong to a user who is not the admin.
    return (f"⚠️ AlphaOmega hit an unexpected problem ({type(exc).__name__}) and could not answer. "
            "Please try again; if it keeps happening, the admin finds the details in logs/alphaomega.log "
            "in AlphaOmega's data directory.")


def _short(exc: BaseException) -> str:
    return exc.headline if isinstance(exc, AlphaOmegaError) else "Stopped by an unexpected error"


def _outcome(exc: BaseException) -> str:
    return f"error:{type(exc).__name__}"


def _log_failure(exc: BaseException) -> None:
    if isinstance(exc, AlphaOmegaError):
        log.warning("%s (%s)", exc.user_message, getattr(exc, "detail", ""))
    else:
        log.error("unexpected failure while answering", exc_info=exc)


def _finish(record: dict, started: float, outcome: str) -> None:
    """Write the request's pipeline.log line once (an abandoned stream may finish much later, or never)."""
    if "outcome" in record:
        return
    record["latency_ms"] = round((time.perf_counter() - started) * 1000, 3)
    record["outcome"] = outcome
    try:
        logs.log_decision(record)
    except Exception:
        log.exception("could not write pipeline.log")


def _one_shot(text: str) -> Iterator[str]:
    yield text
