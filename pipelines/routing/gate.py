"""The asymmetric gate in front of `computer_use_act`: a false action is the worst mistake.

An action needs all three: the classifier is confident (p(act) above a high threshold), the
guards found an imperative desktop action in a clause that is neither negated nor quoted,
and no frame (how-to, hypothetical, past, reported speech, problem report, code request,
look-only, elsewhere, code block, very long text) fired. A refused action becomes
`computer_use_observe` when the user's screen is mentioned, else the runner-up intent.
"""
from alphaomega.pipelines.routing.guards import Analysis

ACT = "computer_use_act"
OBSERVE = "computer_use_observe"
ACT_THRESHOLD = 0.6


def act_verdict(analysis: Analysis, probabilities: dict[str, float],
                threshold: float = ACT_THRESHOLD) -> tuple[bool, str]:
    """Whether an action may be routed, and why (or why not)."""
    p_act = probabilities.get(ACT, 0.0)
    if p_act < threshold:
        return False, f"p(act) {p_act:.2f} < {threshold:.2f}"
    if not analysis.act_allowed:
        return False, analysis.blocked_by()
    return True, "imperative desktop action"


# Frames that make a refused action talk about something, not a request to look at the screen.
_TALK_FRAMES = frozenset({"howto", "hypothetical", "past", "problem", "reported", "code_request", "elsewhere",
                          "code_fence", "conversation", "text_task", "taken_back"})


def fallback(analysis: Analysis, probabilities: dict[str, float]) -> str:
    """Where a refused action goes instead."""
    if analysis.screen and OBSERVE in probabilities and not analysis.frames & _TALK_FRAMES:
        return OBSERVE
    ranked = sorted((p, name) for name, p in probabilities.items() if name != ACT)
    return ranked[-1][1] if ranked else "chat"
