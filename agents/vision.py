"""The `vision` intent: answer about images the user attached in OpenWebUI.

Images attached to the current message are always sent; from earlier messages only the
newest VISION_HISTORY_IMAGES are sent again, so a long chat does not resend (and re-pay
the image tokens of) every picture. Each image goes out as a small JPEG in bare base64.
"""
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from alphaomega.agents import imaging, vision_model
from alphaomega.agents.base import Item, Status
from alphaomega.agents.context import RequestContext, Turn
from alphaomega.agents.imaging import ImageRejected, MissingDependency, PreparedImage
from alphaomega.agents.ollama_types import ChatMessage

log = logging.getLogger("alphaomega.vision")


@dataclass(frozen=True)
class ImageRef:
    """Where one image sits in the history: turn index, position in that turn."""

    turn: int
    index: int


def current_turn(history: tuple[Turn, ...]) -> int | None:
    """The index of the message being answered: the last one, when it is the user's."""
    return len(history) - 1 if history and history[-1].role == "user" else None


def select_images(history: tuple[Turn, ...], earlier_limit: int) -> list[ImageRef]:
    """Every image of the current message, plus the newest `earlier_limit` from earlier messages."""
    current = current_turn(history)
    chosen = [ImageRef(current, i) for i in range(len(history[current].images))] if current is not None else []
    earlier: list[ImageRef] = []
    for turn_index in range(len(history) - 1, -1, -1):
        if turn_index == current or history[turn_index].role != "user":
            continue
        for image_index in range(len(history[turn_index].images) - 1, -1, -1):
            if len(earlier) >= earlier_limit:
                break
            earlier.append(ImageRef(turn_index, image_index))
    return sorted(chosen + earlier, key=lambda ref: (ref.turn, ref.index))


def attachment_label(position: int, count: int) -> str:
    return "The attachment" if count == 1 else f"Attachment {position} of {count}"


class VisionAgent:
    """Reads attached images with the vision model (VISION_MODEL on the vision Ollama)."""

    model_valve = "VISION_MODEL"
    backend_valve = "OLLAMA_VISION_URL"

    def run(self, ctx: RequestContext) -> Iterator[Item]:
        refs = select_images(ctx.history, ctx.valves.VISION_HISTORY_IMAGES)
        if not refs:
            yield ("There is no image in this conversation for me to look at. Attach a picture (the paperclip "
                   "or drag and drop) and ask again.")
            return
        if ctx.stream:
            yield Status(f"Reading {len(refs)} image{'s' if len(refs) != 1 else ''}…")
        try:
            prepared, notes = self._prepare(ctx, refs)
        except MissingDependency as exc:
            yield f"⚠️ {exc.user_message}"
            return
        if notes:
            yield "\n".join(f"_{note}_" for note in notes) + "\n\n"
        current = current_turn(ctx.history)
        if notes and not any(ref.turn == current for ref in prepared):
            return  # nothing the user just attached is readable: do not answer about older pictures
        if not prepared:
            yield "None of the earlier images could be read again: please attach the picture once more."
            return
        question = ctx.history[current].text.strip() if current is not None else ""
        messages = self._messages(ctx, prepared, question)
        count = len(prepared)
        yield from vision_model.answer(ctx, messages, subject="The image" if count == 1 else "The images",
                                       verb=f"Looking at {count} image{'s' if count != 1 else ''}",
                                       question=question or _default_question(count))

    @staticmethod
    def _prepare(ctx: RequestContext, refs: list[ImageRef]) -> tuple[dict[ImageRef, PreparedImage], list[str]]:
        """Shrink each chosen image; problems with the current message's images become notes."""
        current = current_turn(ctx.history)
        attached = len(ctx.history[current].images) if current is not None else 0
        prepared: dict[ImageRef, PreparedImage] = {}
        notes: list[str] = []
        for ref in refs:
            url = ctx.history[ref.turn].images[ref.index].url
            try:
                prepared[ref] = imaging.prepare_data_uri(url, ctx.valves.VISION_MAX_SIDE)
            except ImageRejected as exc:
                if ref.turn == current:
                    label = attachment_label(ref.index + 1, attached)
                    notes.append(f"{label} was skipped: it {exc.reason}" if attached > 1 else f"{label} {exc.reason}")
                else:
                    log.warning("an earlier image (message %d) could not be read again: %s", ref.turn, exc.reason)
                continue
            log.info("image %s: %s %sx%s -> JPEG %sx%s, %d KB", ref, prepared[ref].source_format,
                     *prepared[ref].source_size, *prepared[ref].size, len(prepared[ref].jpeg) // 1024)
        return prepared, notes

    @staticmethod
    def _messages(ctx: RequestContext, prepared: dict[ImageRef, PreparedImage], question: str) -> list[ChatMessage]:
        """The conversation for the vision model, each image on the message it was attached to."""
        messages: list[ChatMessage] = []
        prompt = ctx.valves.SYSTEM_PROMPT.strip()
        if prompt and not any(turn.role == "system" for turn in ctx.history):
            messages.append(ChatMessage(role="system", content=prompt))
        current = current_turn(ctx.history)
        for turn_index, turn in enumerate(ctx.history):
            images = [prepared[ImageRef(turn_index, i)].b64() for i in range(len(turn.images))
                      if ImageRef(turn_index, i) in prepared]
            text = turn.text
            if turn_index == current and not question:
                text = _default_question(len(images))
            left_out = len(turn.images) - len(images)
            if left_out and turn_index != current:
                text = f"{text}\n[{left_out} image{'s' if left_out != 1 else ''} attached here not shown again]"
            messages.append(ChatMessage(role=turn.role, content=text.strip(), images=images or None))
        return messages


def _default_question(count: int) -> str:
    return "Describe this image." if count <= 1 else "Describe these images."
