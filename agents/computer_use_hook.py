"""Before routing: a message that answers a pending confirmation, or says "stop".

The pipeline calls `pre_route` for every chat message (not for OpenWebUI's background tasks).
For the same user in the same chat: `confirm CODE` with the right, unexpired code resumes the
paused plan; "stop" cancels a pending plan, or stops a running one (no further action runs) and
frees the desktop at once, even if that run's answer is no longer read; any other message
cancels a pending plan and is then answered as usual, with a note. With nothing pending in the
chat, a code-shaped "confirm K7M2QX" is only answered here when its code just expired; anything
else ("confirm please") goes to the router like any message.
"""
from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

from alphaomega.agents import computer_use_replies
from alphaomega.agents.base import Agent, Item
from alphaomega.agents.computer_use import ComputerUseAgent
from alphaomega.agents.computer_use_state import CODE_ALPHABET, CODE_LENGTH, Pending, key_of
from alphaomega.agents.context import RequestContext

# Only the shape of our codes: "confirm please" or "Confirm Paris." are not confirmations.
_CONFIRM = re.compile(rf"^\s*/?confirm\s+([{CODE_ALPHABET}]{{{CODE_LENGTH}}})\s*[.!]?\s*$", re.IGNORECASE)
_STOP = re.compile(r"^\s*/?(?:stop|cancel|abort)\s*[.!]*\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Hook:
    """What the pipeline does with a message before routing: answer it here, or route it with a note."""

    agent: Agent | None
    reason: str
    note: str = ""


class _Reply:
    def __init__(self, text: str):
        self.text = text

    def run(self, ctx: RequestContext) -> Iterator[Item]:
        yield self.text


class _Resume:
    model_valve = "VISION_MODEL"
    backend_valve = "OLLAMA_VISION_URL"

    def __init__(self, agent: ComputerUseAgent, pending: Pending):
        self.agent = agent
        self.pending = pending

    def run(self, ctx: RequestContext) -> Iterator[Item]:
        yield from self.agent.resume(ctx, self.pending)


def pre_route(ctx: RequestContext, agent: ComputerUseAgent) -> Hook | None:
    """A message that answers a pending confirmation or stops a running request, for (user, chat)."""
    registry = agent.registry
    registry.prune()
    key = key_of(ctx.user.id, ctx.chat_id)
    text = ctx.text or ""
    confirm = _CONFIRM.match(text)
    stop = _STOP.match(text)
    pending = registry.take_pending(key)
    if pending is not None:
        described = computer_use_replies.describe(pending.action)
        if confirm and pending.matches(confirm.group(1)):
            if time.monotonic() > pending.expires_at:
                return _too_late(ctx, pending.action)
            return Hook(_Resume(agent, pending), "confirmed by the user")
        if stop:
            return Hook(_Reply(f"Cancelled: I did not {described}, and nothing further will run for that request."),
                        "stop: pending plan cancelled")
        if confirm:
            return Hook(_Reply(f"That code does not match, so I cancelled the pending action and did not {described}. "
                               "Ask again if you still want it."), "wrong confirmation code")
        return Hook(None, "pending plan cancelled by another message",
                    note=f"_I cancelled the pending desktop action (I did not {described}) because your reply was not "
                         "the confirmation code._\n\n")
    if stop and registry.stop(key):
        return Hook(_Reply("Stopping: no further desktop actions will run for the request in progress."),
                    "stop: running plan")
    expired = registry.take_expired(key) if confirm else None
    if expired is not None and expired.matches(confirm.group(1)):
        return _too_late(ctx, expired.action)
    return None  # "confirm please" with nothing waiting in this chat is an ordinary message


def _too_late(ctx: RequestContext, action: dict) -> Hook:
    return Hook(_Reply(f"That confirmation came too late (codes are valid for {ctx.valves.CONFIRM_TTL} s), so I did "
                       f"not {computer_use_replies.describe(action)}. Ask again if you still want it."),
                "confirmation expired")


class _Noted:
    """Another agent's answer, with a line in front (e.g. "I cancelled the pending action")."""

    def __init__(self, inner: Agent, note: str):
        self.inner = inner
        self.note = note
        self.model_valve = getattr(inner, "model_valve", "CHAT_MODEL")
        self.backend_valve = getattr(inner, "backend_valve", "OLLAMA_REASONING_URL")

    def run(self, ctx: RequestContext) -> Iterator[Item]:
        yield self.note
        yield from self.inner.run(ctx)


def with_note(agent: Agent, note: str) -> Agent:
    return _Noted(agent, note)
