"""Per-message intent decision: which agent answers.

This is the simple first version (code or chat). The contract `classify(text, has_image)`
stays when the full router replaces the rules below.
"""
import re
from dataclasses import dataclass

INTENTS = (
    "computer_use_observe",
    "computer_use_act",
    "image_generation",
    "vision",
    "code_generation",
    "chat",
    "tools",
)

# OpenWebUI's background task prompts. The emoji task has no "### Task:" header.
_TASK_PREFIX = "### Task:"
_EMOJI_TASK = "your task is to reflect the speaker's likely facial expression"

_CODE = re.compile(
    r"```|\b(code|coding|function|python|javascript|typescript|java|rust|golang|c\+\+|regex|regexp|sql|"
    r"bash|shell script|script|compile|compiler|stack ?trace|traceback|refactor|debug|unit tests?|"
    r"snippet|algorithm|api endpoint|class|method|variable)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Decision:
    intent: str
    confidence: float
    reason: str


def detect_task(text: str, inlet_task: str | None = None) -> str | None:
    """The OpenWebUI background task this request is, if any (title, tags, follow-ups, ...)."""
    if inlet_task:
        return inlet_task
    head = text.lstrip()
    if head.startswith(_TASK_PREFIX):
        return "task"
    if head.lower().startswith(_EMOJI_TASK):
        return "emoji_generation"
    return None


def route(text: str, has_image: bool = False) -> Decision:
    # TEMPORARY (issue 5) until the new router's `/screen ` override lands: remove then.
    if (text or "").lstrip().lower().startswith("/screen"):
        return Decision("computer_use_observe", 1.0, "override")
    # TEMPORARY (issue 6) until the new router's `/do ` override lands: remove then.
    if (text or "").lstrip().lower().startswith("/do "):
        return Decision("computer_use_act", 1.0, "override")
    # TEMPORARY (issue 7) until the new router's `/image ` override lands: remove then.
    if (text or "").lstrip().lower().startswith("/image "):
        return Decision("image_generation", 1.0, "override")
    if detect_task(text):
        return Decision("chat", 1.0, "OpenWebUI background task")
    if has_image:
        return Decision("vision", 1.0, "an image is attached")
    if _CODE.search(text or ""):
        return Decision("code_generation", 0.7, "mentions code")
    return Decision("chat", 0.6, "no other intent matched")


def classify(text: str, has_image: bool = False) -> str:
    return route(text, has_image).intent
