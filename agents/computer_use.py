"""The `computer_use_act` intent: operate the desktop for the user, one validated action at a time.

    screenshot (mss) -> describe (vision model) -> plan (v1 JSON bound to the screenshot id)
      -> for each action: validate (safety.validator) -> confirm in chat if needed -> execute
         (pyautogui, fixed dispatch table) -> audit -> settle -> fresh screenshot -> plan again ...
      until the model says done, or MAX_ACTIONS / MAX_SECONDS, a refusal, a "stop", Stop pressed
      in OpenWebUI, or the fail-safe.

One run drives the desktop at a time: it holds the lease of desktop_lease.py, which the run's end,
Stop (through `ctx.on_abandon`) or a "stop" message gives back, whichever comes first.

A "confirm" verdict pauses the run: the reply says what and why and gives a one-time code; the
same user's next message in the same chat, `confirm CODE` within CONFIRM_TTL, resumes it
(`pre_route` in computer_use_hook.py, called by the pipeline before routing). Anything else
cancels it.
"""
from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from typing import Any

from alphaomega.agents import capture, computer_use_plan, computer_use_replies, desktop_screen, vision_model
from alphaomega.agents.base import Agent, Item, Status
from alphaomega.agents.capture import NoScreen
from alphaomega.agents.computer_use_state import REGISTRY, Pending, Registry, Run
from alphaomega.agents.context import RequestContext
from alphaomega.agents.desktop_coordinates import input_scale
from alphaomega.agents.desktop_executor import (
    ActionFailed,
    Desktop,
    DesktopUnavailable,
    StoppedByUser,
    platform_name,
)
from alphaomega.agents.desktop_lease import DESK, Desk, DesktopBusy, Lease, LeaseEnded
from alphaomega.agents.desktop_screen import Screenshot
from alphaomega.agents.errors import AlphaOmegaError, BackendError, BackendTimeout, SettingsError
from alphaomega.agents.imaging import MissingDependency
from alphaomega.safety import audit
from alphaomega.safety.decision import Decision
from alphaomega.safety.injection import injection_signs
from alphaomega.safety.permissions import parse_roles, role_allowed
from alphaomega.safety.session import ActionHistory
from alphaomega.safety.validator import check_action

log = logging.getLogger("alphaomega.computer_use")

LINE_END = "  \n"  # a Markdown hard line break: one line per action in the reply

_DO_COMMAND = re.compile(r"^\s*/do\b[:,]?\s*", re.IGNORECASE)


def goal_of(text: str) -> str:
    """The user's request without the `/do` command word."""
    return _DO_COMMAND.sub("", text or "", count=1).strip()


class ComputerUseAgent:
    """Plans with the models, validates every action, executes with pyautogui, audits everything."""

    model_valve = "VISION_MODEL"
    backend_valve = "OLLAMA_VISION_URL"

    def __init__(self, grabber: capture.ScreenGrabber = capture.GRABBER, registry: Registry = REGISTRY,
                 desktop_factory: Any = Desktop.load, desk: Desk = DESK):
        self.grabber = grabber
        self.registry = registry
        self.desktop_factory = desktop_factory
        self.desk = desk

    # --- entry points ---------------------------------------------------------------
    def run(self, ctx: RequestContext) -> Iterator[Item]:
        refusal = self._refusal(ctx)
        if refusal:
            yield refusal
            return
        goal = goal_of(ctx.text)
        if not goal:
            yield "Tell me what to do on the screen, for example: `/do click the Submit button`."
            return
        rate = self.registry.rate_for(ctx.user.id or "", ctx.valves.COMPUTER_USE_RATE_LIMIT)
        run = Run(user_id=ctx.user.id or "", chat_id=ctx.chat_id or "", role=ctx.user.role or "", goal=goal,
                  history=ActionHistory(rate=rate))
        yield from self._drive(ctx, run, confirmed=None)

    def resume(self, ctx: RequestContext, pending: Pending) -> Iterator[Item]:
        refusal = self._refusal(ctx)
        if refusal:
            yield refusal
            return
        yield from self._drive(ctx, pending.run, confirmed=pending)

    # --- the loop -------------------------------------------------------------------
    def _drive(self, ctx: RequestContext, run: Run, confirmed: Pending | None) -> Iterator[Item]:
        lease = self.desk.take(run.run_id)
        if lease is None:
            yield ("⚠️ Another computer-use request is operating the desktop right now. Wait for it to finish, "
                   "or send `stop` in its chat.")
            return
        self.registry.start(run.key, lease)

        def end(why: str) -> None:
            lease.end(why)
            self.registry.finish(run.key, lease)

        # Stop pressed: the server never resumes or closes this generator, so `finally` may never run.
        ctx.on_abandon(lambda: end("nobody reads the answer any more"))
        started = time.monotonic()
        session = _Session(self, ctx, run, lease)
        try:
            yield from session.loop(confirmed)
        finally:
            run.active_seconds += time.monotonic() - started
            end("run over")

    def _refusal(self, ctx: RequestContext) -> str | None:
        if role_allowed(ctx.user.role, ctx.valves.COMPUTER_USE_ROLES):
            return None
        allowed = ", ".join(sorted(parse_roles(ctx.valves.COMPUTER_USE_ROLES))) or "no one"
        log.info("computer use refused for role %r (allowed: %s)", ctx.user.role, allowed)
        return (f"Sorry, I can't operate the desktop for you. Computer use is limited to these roles: {allowed}, "
                f"and your role is {ctx.user.role or 'unknown'}. An administrator can change this with the "
                "COMPUTER_USE_ROLES valve.")


class _Session:
    """One message's share of a run: the state the loop needs, never stored on the shared agent."""

    def __init__(self, agent: ComputerUseAgent, ctx: RequestContext, run: Run, lease: Lease):
        self.agent = agent
        self.ctx = ctx
        self.run = run
        self.lease = lease
        self.valves = ctx.valves
        self.desktop: Desktop | None = None
        self.scale = 1.0
        self.started = time.monotonic()
        self.audit = audit.audit_log()

    # --- budget -----------------------------------------------------------------------
    def _seconds_used(self) -> float:
        return self.run.active_seconds + (time.monotonic() - self.started)

    def _time_left(self) -> float:
        """What is left of MAX_SECONDS: the most each model call may wait."""
        return self.valves.MAX_SECONDS - self._seconds_used()

    def _limit_reached(self) -> str | None:
        if self.run.executed >= self.valves.MAX_ACTIONS:
            return (f"■ Stopped after {self.run.executed} actions, the most one request may perform "
                    "(MAX_ACTIONS valve). Ask again to continue.")
        if self._seconds_used() >= self.valves.MAX_SECONDS:
            return (f"■ Stopped after {self._seconds_used():.0f} s, the longest one request may take (MAX_SECONDS "
                    "valve). Ask again to continue.")
        return None

    # --- main loop --------------------------------------------------------------------
    def loop(self, confirmed: Pending | None) -> Iterator[Item]:
        try:
            if confirmed is not None:
                finished = yield from self._resume_confirmed(confirmed)
                if finished:
                    return
            while True:
                if self.lease.cancelled:
                    raise LeaseEnded()
                limit = self._limit_reached()
                if limit:
                    yield limit
                    return
                if not self.run.planned:
                    if self.valves.DRY_RUN and self.run.plan_turns >= 1:
                        yield "Dry run: nothing was executed. Switch off the DRY_RUN valve to let me act."
                        return
                    planned = yield from self._plan()
                    if not planned:
                        return
                action = self.run.planned.pop(0)
                outcome = yield from self._step(action)
                if outcome != "next":
                    return
        except _EndRun as end:
            yield end.message
        except StoppedByUser as exc:
            self._audit_event("stopped_by_user")
            yield f"■ {exc.user_message}"
        except LeaseEnded as exc:
            self._audit_event("stopped")
            yield f"■ {exc.user_message}"
        except (DesktopUnavailable, DesktopBusy, NoScreen, MissingDependency, SettingsError) as exc:
            # the capture code names the screen agent's valve; computer use has its own
            yield "⚠️ " + exc.user_message.replace("SCREEN_MONITOR", "COMPUTER_USE_MONITOR")
        except BackendError as exc:
            limit = self._limit_reached() if isinstance(exc, BackendTimeout) else None
            yield limit or f"⚠️ I could not plan the next step: {exc.user_message}"

    def _plan(self) -> Iterator[Item]:
        """Look at the screen, describe it, ask for a plan. False when the run has to end."""
        stream = self.ctx.stream
        if stream:
            yield Status("Looking at the screen…")
        shot = desktop_screen.take(self.agent.grabber, self.valves.COMPUTER_USE_MONITOR, self.valves.VISION_MAX_SIDE)
        self.run.screenshot = shot
        self.run.history.note_screen(shot.ahash)
        if stream:
            yield Status(f"Reading the screen with {self.valves.VISION_MODEL}…")
        # A model without the vision capability would get the screenshot silently dropped and plan blind.
        vision_model.check_vision(self.ctx.backends.vision, self.valves.VISION_MODEL)
        description = computer_use_plan.describe(self.ctx, shot, self._time_left)
        signs = injection_signs(description)
        if signs and not self.run.untrusted_screen:
            self.run.untrusted_screen = True
            self._audit_event("injection_suspected", signs=[sign.id for sign, _ in signs])
            seen = computer_use_replies.plain(signs[0][1], 120)
            yield (f"⚠️ The screen shows text that looks like instructions aimed at me ({signs[0][0].why}: “{seen}”). "
                   "I will not follow it, and I will ask you before every action from now on.\n\n")
        if stream:
            _, model, _ = computer_use_plan.planner(self.ctx)
            yield Status(f"Planning with {model}…")
        remaining = self.valves.MAX_ACTIONS - self.run.executed
        result = computer_use_plan.make_plan(self.ctx, self.run.goal, shot, description, self.run.done_so_far,
                                             remaining, self._time_left)
        self.run.plan_turns += 1
        if result.plan is None:
            self._audit_event("plan_rejected", problem=result.problem, raw_sha256=audit.sha256(result.raw))
            # the problem quotes the model's answer (schema errors echo values): shown as plain text
            yield (f"⚠️ The planning model did not give a usable plan twice in a row "
                   f"({computer_use_replies.plain(result.problem, 200)}), so I "
                   "stopped without doing anything more. Try rephrasing the request.")
            return False
        screen = shot.screen_map()
        actions = []
        for action in result.plan.actions:
            if result.plan.coord_space == "norm1000":
                action = _from_norm1000(action, screen)
            actions.append(action)
        self.run.planned = actions
        if stream:
            yield Status(f"Planned {len(actions)} action{'s' if len(actions) != 1 else ''}", done=True)
        return True

    def _check(self, action: dict, shot: Screenshot) -> Decision:
        domains = [d for d in (self.valves.COMPUTER_USE_ALLOWED_DOMAINS or "").split(",") if d]
        return check_action(action, goal=self.run.goal, platform=platform_name(), image_size=shot.image_size,
                            role=self.ctx.user.role or "", allowed_roles=self.valves.COMPUTER_USE_ROLES,
                            history=self.run.history, screen_hash=shot.ahash,
                            untrusted_screen=self.run.untrusted_screen, allowed_domains=domains)

    def _step(self, action: dict) -> Iterator[Item]:
        """Validate and run one action. Returns "next", or "end" when the run stops here."""
        shot = self.run.screenshot
        kind = action.get("type") if isinstance(action, dict) else None
        if kind == "done":
            summary = computer_use_replies.plain(action.get("summary") or "", 300)
            self._audit_action(action, None, None, result={"ok": True, "done": True})
            yield f"\n\nDone{': ' + summary if summary else '.'}" if self.run.executed else \
                f"Nothing needed doing{': ' + summary if summary else '.'}"
            return "end"
        if kind == "screenshot":
            self.run.planned = []  # look again: the next turn starts with a fresh capture
            return "next"
        decision = self._check(action, shot)
        at = self._at(action, shot)
        if self.valves.DRY_RUN:
            self._audit_action(action, decision, at, result={"ok": True, "dry_run": True})
            yield computer_use_replies.would(action, decision, at) + LINE_END
            return "next" if decision.verdict != "block" else "end"
        if decision.verdict == "block":
            self._audit_action(action, decision, at, result={"ok": False, "refused": True})
            yield computer_use_replies.refused(action, decision) + LINE_END
            yield "Nothing further was done for this request."
            return "end"
        if decision.verdict == "confirm":
            pending = self.agent.registry.park(self.run, action, decision, self.valves.CONFIRM_TTL)
            self._audit_action(action, decision, at, result={"ok": None, "awaiting_confirmation": True})
            yield computer_use_replies.ask(action, decision, pending.code, self.valves.CONFIRM_TTL, at)
            return "end"
        yield from self._execute(action, decision, shot)
        return "next"

    def _execute(self, action: dict, decision: Decision, shot: Screenshot, confirmation: dict | None = None
                 ) -> Iterator[Item]:
        try:
            with self.lease.acting():  # raises LeaseEnded once this run was stopped
                desktop = self._desktop()
                screen = shot.screen_map(self.scale)
                done = desktop.perform(action, screen)
        except ActionFailed as exc:
            self._audit_action(action, decision, self._at(action, shot), confirmation=confirmation,
                               result={"ok": False, "error": exc.user_message})
            raise _EndRun(f"✗ {exc.user_message}") from exc
        self.run.executed += 1
        self.run.history.record(action, screen_hash=shot.ahash, needed_confirmation=confirmation is not None)
        line = computer_use_replies.did(action, done)
        self.run.done_so_far.append(line.lstrip("✓ "))
        self._audit_action(action, decision, done.at, result={"ok": True, "ms": done.ms}, confirmation=confirmation)
        yield line + LINE_END
        if self.valves.COMPUTER_USE_SETTLE_SECONDS and action.get("type") != "wait":
            time.sleep(self.valves.COMPUTER_USE_SETTLE_SECONDS)

    def _resume_confirmed(self, pending: Pending) -> Iterator[Item]:
        """Run the action the user confirmed, if the screen is still the one they saw. True: run over."""
        before = pending.run.screenshot
        now = desktop_screen.take(self.agent.grabber, self.valves.COMPUTER_USE_MONITOR, self.valves.VISION_MAX_SIDE)
        if before is None or not now.same_screen(before):
            self._audit_action(pending.action, pending.decision, None, result={"ok": False, "screen_changed": True})
            yield ("The screen changed since I asked for confirmation, so I did not "
                   f"{computer_use_replies.describe(pending.action)}. Ask again and I will look afresh.")
            return True
        decision = self._check(pending.action, before)
        if decision.verdict == "block":
            self._audit_action(pending.action, decision, None, result={"ok": False, "refused": True})
            yield computer_use_replies.refused(pending.action, decision)
            return True
        confirmation = {"by": self.ctx.user.id, "at": time.time(), "code_sha256": audit.sha256(pending.code)}
        try:
            yield from self._execute(pending.action, decision, before, confirmation)
        except _EndRun as end:
            yield end.message
            return True
        return False

    # --- helpers ----------------------------------------------------------------------
    def _desktop(self) -> Desktop:
        """pyautogui is loaded only here, when an allowed action is about to run."""
        if self.desktop is None:
            desktop = self.agent.desktop_factory(lambda: self.lease.cancelled)
            if desktop.pointer_in_corner():
                if not self.valves.COMPUTER_USE_VIRTUAL_DISPLAY:
                    raise StoppedByUser(before_start=not self.run.executed)
                desktop.move_pointer_away()
            shot = self.run.screenshot
            if shot is not None:
                union = (shot.monitor.left + shot.monitor.width, shot.monitor.top + shot.monitor.height)
                self.scale = input_scale(union, desktop.size()) if shot.monitor.left == shot.monitor.top == 0 else 1.0
            self.desktop = desktop
        return self.desktop

    def _at(self, action: dict, shot: Screenshot) -> tuple[int, int] | None:
        if not isinstance(action, dict):
            return None
        point = action.get("to") if action.get("type") == "drag" else action
        try:
            return shot.screen_map(self.scale).to_screen(point["x"], point["y"])
        except (KeyError, TypeError, ValueError):
            return None

    def _audit_action(self, action: Any, decision: Decision | None, mapped: tuple[int, int] | None, *,
                      result: dict, confirmation: dict | None = None) -> None:
        shot = self.run.screenshot
        record = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "event": "action", "user_id": self.run.user_id,
            "chat_id": self.run.chat_id, "request_id": self.run.run_id, "goal_sha256": audit.sha256(self.run.goal),
            "screenshot_id": shot.id if shot else None, "screenshot_sha256": shot.sha256 if shot else None,
            "monitor": shot.monitor.as_dict() if shot else None, "image_size": shot.image_size if shot else None,
            "model": computer_use_plan.planner(self.ctx)[1], "action": audit.redact_action(action),
            "mapped": {"x": mapped[0], "y": mapped[1]} if mapped else None,
            "verdict": decision.verdict if decision else None,
            "validation": [layer.as_dict() for layer in decision.layers] if decision else [],
            "confirmation": confirmation, "result": result, "dry_run": self.valves.DRY_RUN,
            "untrusted_screen": self.run.untrusted_screen,
        }
        self._write(record)

    def _audit_event(self, event: str, **fields: Any) -> None:
        self._write({"ts": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "event": event, "user_id": self.run.user_id,
                     "chat_id": self.run.chat_id, "request_id": self.run.run_id, **fields})

    def _write(self, record: dict) -> None:
        try:
            self.audit.write(record)
        except OSError:
            log.exception("could not write the computer-use audit log")


class _EndRun(AlphaOmegaError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _from_norm1000(action: dict, screen: Any) -> dict:
    """A 0-999 action in image pixels: the top-level point and a drag's ends, each on its own."""
    converted = dict(action)
    if _is_point(action):
        converted["x"], converted["y"] = screen.from_norm1000(action["x"], action["y"])
    for end in ("from", "to"):
        point = action.get(end)
        if _is_point(point):
            x, y = screen.from_norm1000(point["x"], point["y"])
            converted[end] = {**point, "x": x, "y": y}
    return converted


def _is_point(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(name), int) and not isinstance(value.get(name), bool)
                                           for name in ("x", "y"))


AGENT = ComputerUseAgent()


def pre_route(ctx: RequestContext, agent: ComputerUseAgent | None = None) -> Any:
    """See computer_use_hook.pre_route: a pending confirmation or "stop" for this user and chat."""
    from alphaomega.agents import computer_use_hook

    return computer_use_hook.pre_route(ctx, agent or AGENT)


def with_note(agent: Agent, note: str) -> Agent:
    from alphaomega.agents import computer_use_hook

    return computer_use_hook.with_note(agent, note)
