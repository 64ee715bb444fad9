"""Decisions that need no reading of the words: background tasks and explicit overrides.

OpenWebUI sends its background tasks (title, tags, follow-ups, search queries, emoji, ...)
to the chat's own model. They embed the recent chat history, so their text contains the
user's "click ..." or "draw ..." wording: they must be recognised before anything else.
"""
import re
from dataclasses import dataclass

# Prefixes of OpenWebUI's task prompts, compared case-insensitively after leading space.
TASK_PREFIXES = (
    ("### task:", "task"),
    ("###task:", "task"),
    ("your task is to reflect the speaker's likely facial expression", "emoji_generation"),
    ("you have been provided with a set of responses from various models", "moa_response_generation"),
    ("available tools:", "function_calling"),
    ("query: history:\n", "function_calling"),
    ("history:\n", "function_calling"),
)
# Admins may rewrite the templates, but the rendered history keeps these tags.
_HISTORY_TAGS = ("<chat_history>", "</chat_history>")
# Function calling (OpenWebUI >= 0.6): 'History:\nUSER: """..."""\nQuery: ...'.
_FUNCTION_CALLING = re.compile(r'^history:\n(?:user|assistant|system): """', re.IGNORECASE)

OVERRIDES = {
    "image": "image_generation",
    "img": "image_generation",
    "code": "code_generation",
    "screen": "computer_use_observe",
    "do": "computer_use_act",
    "chat": "chat",
    "remember": "tools",
}
_OVERRIDE = re.compile(r"^\s*/([a-z]+)(?=\s|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Override:
    intent: str
    command: str
    text: str  # the message without the command


def detect_task(text: str, inlet_task: str | None = None) -> str | None:
    """The OpenWebUI background task this request is (title, tags, ...), or None for a real message."""
    if isinstance(inlet_task, str) and inlet_task.strip():
        return inlet_task.strip()
    if not isinstance(text, str):
        return None
    head = text.lstrip()[:200].lower()
    for prefix, name in TASK_PREFIXES:
        if head.startswith(prefix):
            if prefix == "history:\n" and not _FUNCTION_CALLING.match(head):
                continue
            return name
    if _HISTORY_TAGS[0] in text and _HISTORY_TAGS[1] in text:
        return "task"
    return None


def parse_override(text: str) -> Override | None:
    """A leading `/image`, `/code`, `/screen`, `/do`, `/chat` or `/remember` chooses the route."""
    match = _OVERRIDE.match(text or "")
    if not match:
        return None
    command = match.group(1).lower()
    intent = OVERRIDES.get(command)
    if intent is None:
        return None
    return Override(intent, command, text[match.end():].strip())
