"""Optional second opinion from the reasoning model when the classifier is unsure.

The model sees the message and the candidate routes with one-line descriptions (the
Arch-Router / NVIDIA router prompt shape), answers JSON constrained by a JSON schema
(Ollama's `format`), at temperature 0, under a hard wall-clock timeout. Any failure
(timeout, backend error, unparsable answer, unknown route) returns None and the router
keeps the classifier's choice. The router still puts an "act" answer through the act gate.
"""
import json
import logging
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from alphaomega.agents.errors import AlphaOmegaError
from alphaomega.agents.ollama import OllamaClient, Timeouts
from alphaomega.agents.ollama_types import ChatMessage, ChatOptions, ChatRequest

log = logging.getLogger("alphaomega.router")

OTHER = "other"
MAX_MESSAGE_CHARS = 1500
ROUTES = {
    "computer_use_observe": "look at, read or check what is on the user's own screen right now",
    "computer_use_act": "operate the user's desktop now: click, type, press keys, scroll, open or close windows",
    "image_generation": "create or edit a picture, illustration, logo, photo or render",
    "vision": "answer a question about the image the user attached",
    "code_generation": "write, fix, explain, review or translate code, regexes, SQL or shell commands",
    "chat": "everything else: questions, advice, writing, how-to questions, small talk",
    "tools": "remember, forget or recall facts about the user; save, list or open saved artifacts",
}
_SYSTEM = (
    "You route one chat message to the single best route. Routes:\n{routes}\n"
    f"- {OTHER}: none of the routes fits\n"
    "Rules: a question about how to do something is chat, not an action. Past, negated or "
    "hypothetical actions and quoted text are not actions. Requests for code that clicks are "
    "code_generation. Answer only with JSON: {{\"route\": \"<name>\"}}"
)
_ROUTE_FIELD = re.compile(r"""["']?route["']?\s*:\s*["']?([a-z_]+)""")


def schema(candidates: Sequence[str]) -> dict:
    return {
        "type": "object",
        "properties": {"route": {"type": "string", "enum": [*candidates, OTHER]}},
        "required": ["route"],
    }


def parse_route(content: str, candidates: Sequence[str]) -> str | None:
    """The route named in the model's answer, tolerating single quotes and stray text."""
    name = None
    for attempt in (content, content.replace("'", '"')):
        try:
            data = json.loads(attempt)
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("route"), str):
            name = data["route"]
            break
    if name is None:
        match = _ROUTE_FIELD.search(content or "")
        name = match.group(1) if match else None
    name = (name or "").strip().lower()
    return name if name in candidates else None


class LlmTiebreak:
    """A callable `(text, candidates) -> intent | None` for `router.route(..., tiebreak=...)`.

    Thread-safe; build one per set of valves and `close()` it when the valves change.
    """

    def __init__(self, client: OllamaClient, model: str, timeout: float = 2.0, workers: int = 4):
        self.model = model
        self.timeout = float(timeout)
        self._client = OllamaClient(client.server, Timeouts(connect=min(client.timeouts.connect, self.timeout),
                                                            first_byte=self.timeout,
                                                            between_chunks=self.timeout))
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="alphaomega-tiebreak")

    def __call__(self, text: str, candidates: Sequence[str]) -> str | None:
        candidates = [name for name in candidates if name in ROUTES]
        if not candidates:
            return None
        try:
            future = self._pool.submit(self._ask, text, candidates)
        except RuntimeError:  # closed
            return None
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            log.info("router tie-break: %s gave no answer within %.1f s", self.model, self.timeout)
        except AlphaOmegaError as exc:
            log.info("router tie-break failed: %s", exc.user_message)
        except Exception:  # a second opinion must never break routing
            log.exception("router tie-break failed unexpectedly")
        return None

    def _ask(self, text: str, candidates: Sequence[str]) -> str | None:
        routes = "\n".join(f"- {name}: {ROUTES[name]}" for name in candidates)
        request = ChatRequest(
            model=self.model,
            messages=[ChatMessage(role="system", content=_SYSTEM.format(routes=routes)),
                      ChatMessage(role="user", content=(text or "")[:MAX_MESSAGE_CHARS])],
            stream=False,
            options=ChatOptions(temperature=0.0, seed=0, num_predict=32),
            format=schema(candidates),
        )
        answer = self._client.chat(request).message.content
        route = parse_route(answer, candidates)
        if route is None:
            log.info("router tie-break: unusable answer %r", answer[:200])
        return route

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._client.close()


def make_tiebreak(client: OllamaClient, model: str, timeout: float = 2.0) -> LlmTiebreak:
    """The tie-break callable for `route(..., tiebreak=...)`, asking `model` on `client`'s server."""
    return LlmTiebreak(client, model, timeout)
