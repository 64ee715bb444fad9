"""Per-message intent decision: which agent answers, and why.

Layers, in order (details in `alphaomega.pipelines.routing`):
1. structure: OpenWebUI background tasks -> chat; a leading `/image`, `/code`, `/screen`, `/do`,
   `/chat` or `/remember` forces the route and is stripped;
2. guards (quotes, negation, how-to, hypothetical, past, reported speech) read the text;
3. a linear classifier over hashed word and character n-grams scores every intent
   (an attached image limits the choice to vision or image_generation);
4. the asymmetric act gate lets `computer_use_act` through only for a confident, clean,
   imperative desktop action;
5. optionally, a tie-break by the reasoning model when the classifier is unsure; it can
   never produce an action the gate refuses.
"""
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from alphaomega.pipelines.routing.structural import detect_task, parse_override

log = logging.getLogger("alphaomega.router")

INTENTS = (
    "computer_use_observe",
    "computer_use_act",
    "image_generation",
    "vision",
    "code_generation",
    "chat",
    "tools",
)
ACT = "computer_use_act"
IMAGE_INTENTS = ("vision", "image_generation")
# Below this top probability, or this margin to the runner-up, the tie-break is asked.
UNSURE_PROBABILITY = 0.55
UNSURE_MARGIN = 0.2

Tiebreak = Callable[[str, Sequence[str]], "str | None"]


@dataclass(frozen=True)
class Decision:
    intent: str
    confidence: float
    reason: str
    text: str = ""  # the message to hand to the agent (an override command stripped)


def route(text: str, has_image: bool = False, tiebreak: Tiebreak | None = None,
          unsure_below: float | None = None) -> Decision:
    """Decide the intent of one user message. Never raises; unknown input routes to chat.

    `tiebreak` (see `routing.tiebreak.make_tiebreak`) is asked when the classifier's confidence is
    below `unsure_below` (default `UNSURE_PROBABILITY`), or its top two intents are close (0 never
    asks, 1 asks almost always).
    """
    if not isinstance(text, str):
        text = ""
    task = detect_task(text)
    if task:
        return Decision("chat", 1.0, f"OpenWebUI background task ({task})", text)
    override = parse_override(text)
    if override:
        return Decision(override.intent, 1.0, f"/{override.command} override", override.text)
    if not text.strip():
        return Decision("vision" if has_image else "chat", 1.0, "empty message", text)
    try:
        return _classified(text, has_image, tiebreak, UNSURE_PROBABILITY if unsure_below is None else unsure_below)
    except Exception as exc:  # e.g. a damaged weights.json: answer as chat (never act) and say why in the log
        log.exception("router failed; answering as chat")
        return Decision("vision" if has_image else "chat", 0.0, f"router failed ({type(exc).__name__})", text)


def classify(text: str, has_image: bool = False) -> str:
    return route(text, has_image).intent


def _classified(text: str, has_image: bool, tiebreak: Tiebreak | None, unsure_below: float) -> Decision:
    # Imported here so that importing the router (and the Pipeline) stays cheap.
    from alphaomega.pipelines.routing import gate
    from alphaomega.pipelines.routing.features import featurize
    from alphaomega.pipelines.routing.guards import analyse
    from alphaomega.pipelines.routing.model import shipped

    analysis = analyse(text)
    scores = shipped().probabilities(*featurize(analysis, has_image))
    if has_image:
        return _with_image(text, analysis, scores)
    allowed = IMAGE_INTENTS if has_image else tuple(name for name in INTENTS if name != "vision")
    probabilities = _renormalised(scores, allowed)
    ranked = sorted(probabilities, key=probabilities.__getitem__, reverse=True)
    intent, runner_up = ranked[0], ranked[1]
    confidence = probabilities[intent]
    reason = f"classifier {intent} {confidence:.2f}, then {runner_up} {probabilities[runner_up]:.2f}"
    if intent == ACT:
        allowed_act, why = gate.act_verdict(analysis, probabilities)
        if not allowed_act:
            intent = gate.fallback(analysis, probabilities)
            confidence = probabilities[intent]
            reason += f"; act refused ({why}) -> {intent}"
        else:
            reason += f"; act gate passed ({why})"
    close = probabilities[ranked[0]] - probabilities[runner_up] < UNSURE_MARGIN
    unsure = confidence < unsure_below or (close and unsure_below > 0)
    if tiebreak is not None and unsure and not has_image:
        candidates = [name for name in allowed if name != ACT or analysis.act_allowed]
        second = tiebreak(text, candidates)
        if second is not None and second in candidates and second != intent:
            if second == ACT and not (ranked.index(ACT) <= 1 and gate.act_verdict(analysis, probabilities, 0.0)[0]):
                reason += "; tie-break said act, refused by the act gate"
            else:
                intent, confidence = second, probabilities[second]
                reason += f"; tie-break chose {second}"
        elif second is not None:
            reason += "; tie-break agreed"
        else:
            reason += "; tie-break gave no usable answer"
    return Decision(intent, round(confidence, 4), reason, text)


def _with_image(text: str, analysis, scores: dict[str, float]) -> Decision:
    """An attached image: a question about it (vision) or a request to change it (image_generation)."""
    probabilities = _renormalised(scores, IMAGE_INTENTS)
    if "&edit_picture" in analysis.cues and probabilities["image_generation"] >= 0.2:
        return Decision("image_generation", round(probabilities["image_generation"], 4),
                        "image attached and an edit is asked for", text)
    intent = max(IMAGE_INTENTS, key=probabilities.__getitem__)
    return Decision(intent, round(probabilities[intent], 4), f"image attached; classifier {intent} "
                    f"{probabilities[intent]:.2f}", text)


def _renormalised(scores: dict[str, float], allowed: Sequence[str]) -> dict[str, float]:
    total = sum(scores.get(name, 0.0) for name in allowed) or 1.0
    return {name: scores.get(name, 0.0) / total for name in allowed}


__all__ = ["INTENTS", "Decision", "Tiebreak", "classify", "detect_task", "route"]
