"""Guards: find the frames that make a message *talk about* an action instead of asking for one.

A message is read once: folded, quotes cut out, split into sentences, negation clauses and
segments. The result says which frames fired (how-to, hypothetical, past, reported speech,
problem report, code request, look-only, elsewhere), whether the user's screen is mentioned,
and the first segment that is a clean imperative desktop action ("click Save", "öffne Firefox"),
which the act gate requires. The same frames are features for the classifier.
"""
import re
from dataclasses import dataclass

from alphaomega.pipelines.routing import lexicon as lx
from alphaomega.pipelines.routing.cues import CUES, cue_flags
from alphaomega.pipelines.routing.imperative import find_action, has_desktop_verb
from alphaomega.pipelines.routing.matching import Lexicon, words_of
from alphaomega.pipelines.routing.text import clip, fold, has_code_fence, strip_quotes

# Messages longer than this are never treated as a desktop command (pasted text, code, logs).
MAX_ACT_CHARS = 600

FRAMES = {
    "howto": Lexicon(lx.HOWTO),
    "hypothetical": Lexicon(lx.HYPOTHETICAL),
    "reported": Lexicon(lx.REPORTED + (r"it (?:says|said|asks|tells)",)),
    "problem": Lexicon(lx.PROBLEM),
    "code_request": Lexicon(lx.CODE_REQUEST),
    "compose": Lexicon(lx.COMPOSE, bounded=False),
    "text_task": Lexicon(lx.TEXT_TASK, bounded=False),
    "capability": Lexicon(lx.CAPABILITY),
    "advice": Lexicon(lx.ADVICE),
    "look_only": Lexicon(lx.LOOK_ONLY),
    "taken_back": Lexicon(lx.TAKEN_BACK),
    "elsewhere": Lexicon(lx.ELSEWHERE),
    "conversation": Lexicon(lx.CONVERSATION),
}
_SCREEN = Lexicon(lx.SCREEN)
_SAVED_THINGS = Lexicon(lx.SAVED_THINGS)
# A sentence that starts with a question word and ends with "?": the message asks, it does not command.
_WH_QUESTION = re.compile(r"(?:^|[.!?;:\n]\s*)(?:(?:ok|so|and|also|und|et|y|pues|alors|bon)\s+)?(?:"
                          + "|".join(lx.QUESTION_STARTS) + r")\b[^.!?\n]{0,300}\?")
# A closing yes/no check on what came before: "... delete the key. Safe?", "Ist das seriös?", "¿Es seguro?".
_CHECK_QUESTION = re.compile(r"(?:^|[.!?;:\n,]\s*)(?:(?:is|ist|es|est-ce|c'est) "
                             r"(?:(?:it|this|that|das|es|ce|ca|eso|esto) )?)?"
                             r"(?:safe|legit|right|correct|true|normal|a good idea|wise|dangerous|risky|a scam|spam|"
                             r"sicher|serios|richtig|gefahrlich|sur|fiable|grave|dangereux|seguro|peligroso|"
                             r"correcto|verdad)\s*\?")
# A "why" after the command complains or asks about it, even without "?": "click next click next, why are
# installers so annoying lol".
_WHY_CLAUSE = re.compile(r"[,;:]\s*(?:but |aber |mais |pero )?(?:why|how come|warum|wieso|weshalb|pourquoi|por que|"
                         r"porque)\s+\w")
# Frames that rule out an action anywhere in the message.
BLOCKING = frozenset(FRAMES) | {"code_fence", "too_long", "memory_talk", "asks_question"}
# Frames that explain why no clause was an imperative action.
_EXPLAINING = frozenset({"past", "negated_act", "question"})
# Remembering, recalling or saving for the user is a tool, never a desktop action.
_MEMORY_CUES = ("memory", "recall_me", "artifact")


@dataclass(frozen=True)
class Analysis:
    folded: str
    unquoted: str
    frames: frozenset[str]  # howto, hypothetical, reported, problem, code_request, look_only, elsewhere,
    # past, negated_act, question, quoted, code_fence, too_long
    screen: bool  # the user's own screen, window or desktop is mentioned
    act_segment: str | None  # first clean imperative desktop action, before the blocking frames
    act_verbs: bool  # some desktop verb occurs anywhere (even negated or past)
    cues: frozenset[str] = frozenset()  # intent cues from `cues.py` ("&memory", "&make_picture", ...)

    @property
    def act_allowed(self) -> bool:
        """An imperative action is present and nothing in the message turns it into talk."""
        return self.act_segment is not None and not (self.frames & BLOCKING)

    def blocked_by(self) -> str:
        """Why an action is refused, in the words of the frames that fired."""
        reasons = ", ".join(sorted(self.frames & (BLOCKING | _EXPLAINING)))
        if self.act_segment is None:
            return f"no imperative desktop action ({reasons})" if reasons else "no imperative desktop action"
        return reasons


def analyse(text: str) -> Analysis:
    raw = clip(text or "")
    folded = fold(raw)
    unquoted, quoted = strip_quotes(folded)
    words = words_of(unquoted)
    frames = {name for name, lexicon in FRAMES.items() if lexicon.search(unquoted, words)}
    # Cues read quoted text too (an error message in quotes still says "code"); the memory frame does not
    # ('uncheck "Remember me"' is a click, not a memory request).
    cues = frozenset(cue_flags(folded, words_of(folded)))
    if any(CUES[name].search(unquoted, words) for name in _MEMORY_CUES) or _SAVED_THINGS.search(unquoted, words):
        frames.add("memory_talk")
    if quoted:
        frames.add("quoted")
    if has_code_fence(raw):
        frames.add("code_fence")
    if len(text or "") > MAX_ACT_CHARS:
        frames.add("too_long")
    # A long text is never an action, so its clauses need no reading.
    if (_WH_QUESTION.search(unquoted) or ("?" in unquoted and _CHECK_QUESTION.search(unquoted))
            or _WHY_CLAUSE.search(unquoted)):
        frames.add("asks_question")  # "Step 1: open the terminal. What does this do?"
    act_segment = None if "too_long" in frames else find_action(unquoted, frames)
    return Analysis(folded, unquoted, frozenset(frames), _SCREEN.search(unquoted, words) is not None, act_segment,
                    has_desktop_verb(unquoted, words), cues)


def flags(analysis: Analysis) -> list[str]:
    """The guard results and intent cues as pseudo-words for the classifier."""
    out = ["@" + frame for frame in sorted(analysis.frames)] + sorted(analysis.cues)
    if analysis.screen:
        out.append("@screen")
    if analysis.act_segment is not None:
        out.append("@imperative")
    if analysis.act_verbs:
        out.append("@desktop_verb")
    return out


__all__ = ["Analysis", "analyse", "flags", "BLOCKING", "MAX_ACT_CHARS"]
