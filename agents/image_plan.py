"""Decide every workflow parameter for one image request: the user's words first, then the valves,
then the template's own defaults. Also the optional prompt enhancement by the chat model.
"""
import logging
import random
import re
from dataclasses import dataclass
from typing import Any

from alphaomega.agents.context import RequestContext
from alphaomega.agents.errors import AlphaOmegaError, SettingsError
from alphaomega.agents.image_request import MAX_PROMPT_CHARS, ImageRequest, parse_size_setting, snap_size
from alphaomega.agents.ollama_types import ChatMessage, ChatOptions, ChatRequest
from alphaomega.valves import Valves
from alphaomega.workflows.templates import Workflow

log = logging.getLogger("alphaomega.image")

SEED_RANGE = 2**48  # comfortably inside ComfyUI's 0..2^64-1 and exact in JavaScript
ENHANCE_SYSTEM = (
    "You turn a short image idea into one detailed prompt for a text-to-image model. Describe the subject, setting, "
    "style, lighting and composition in a single paragraph of at most 80 words, and keep every detail the user gave. "
    "Answer with the prompt only: no preamble, no quotes, no lists."
)


@dataclass(frozen=True)
class ImagePlan:
    values: dict[str, Any]  # parameter -> value for Workflow.render
    prompt: str
    size: tuple[int, int] | None
    seed: int | None
    count: int
    notes: tuple[str, ...]


def plan_image(request: ImageRequest, prompt: str, workflow: Workflow, valves: Valves,
               rng: random.Random | None = None) -> ImagePlan:
    notes = list(request.notes)
    values: dict[str, Any] = {"prompt": prompt}

    aspect, pixels = request.aspect, request.pixels
    if aspect is None:
        try:
            aspect, pixels = parse_size_setting(valves.IMAGE_SIZE)
        except ValueError as exc:  # the valve's validator refuses these; valves built without it are still read
            raise SettingsError(f"The IMAGE_SIZE valve is not a size: {exc}.", setting="IMAGE_SIZE") from exc
    size: tuple[int, int] | None = None
    if workflow.supports("width") and workflow.supports("height") and workflow.native_size:
        size = snap_size(aspect, workflow.native_size) if aspect is not None else tuple(workflow.native_size)
        values["width"], values["height"] = size
        if pixels and tuple(pixels) != size:
            notes.append(f"{pixels[0]}×{pixels[1]} became {size[0]}×{size[1]}, the nearest size {workflow.title} "
                         "draws well")
    elif request.shape:
        notes.append(f"this workflow has a fixed size, so “{request.shape}” was not applied")

    seed = request.seed if request.seed is not None else (rng or random.SystemRandom()).randrange(SEED_RANGE)
    if workflow.supports("seed"):
        values["seed"] = seed
    else:
        seed = None
        if request.seed is not None:
            notes.append("this workflow has no seed input, so the seed was not applied")

    standing = (valves.NEGATIVE_PROMPT or "").strip()
    if standing.casefold() == "none":  # the admin form cannot save an empty box, and Default is the default
        standing = ""
    negatives = [part for part in [standing, *request.negative] if part]
    if workflow.supports("negative_prompt"):
        values["negative_prompt"] = ", ".join(negatives)
    elif request.negative:
        notes.append(f"{workflow.title} takes no negative prompt, so “{', '.join(request.negative)}” could not be "
                     "excluded")

    if valves.STEPS:
        values["steps"] = valves.STEPS
    if valves.CFG:
        values["cfg"] = valves.CFG
    if valves.CHECKPOINT:
        values["checkpoint"] = valves.CHECKPOINT

    count = request.count
    if workflow.supports("batch_size"):
        values["batch_size"] = count
    elif count > 1:
        notes.append("this workflow makes one image per run")
        count = 1
    if not workflow.supports("prompt"):
        notes.append("this workflow has no prompt input, so your words do not change the picture")
    return ImagePlan(values=values, prompt=prompt, size=size, seed=seed, count=count, notes=tuple(notes))


def enhance_prompt(ctx: RequestContext, prompt: str) -> tuple[str, str | None]:
    """The chat model's detailed version of a terse prompt, or the prompt itself and why not."""
    valves = ctx.valves
    request = ChatRequest(
        model=valves.CHAT_MODEL,
        messages=[ChatMessage(role="system", content=ENHANCE_SYSTEM), ChatMessage(role="user", content=prompt)],
        stream=False,
        options=ChatOptions(temperature=0.7),
        keep_alive=valves.keep_alive_for_ollama(),
    )
    try:
        reply = ctx.backends.reasoning.chat(request).message.content
    except AlphaOmegaError as exc:
        log.warning("prompt enhancement failed: %s", exc.user_message)
        return prompt, f"the prompt was used as written because {valves.CHAT_MODEL} could not enhance it"
    enhanced = clean_enhanced(reply)
    return (enhanced, None) if enhanced else (prompt, f"{valves.CHAT_MODEL} gave no usable prompt, so yours was used")


def clean_enhanced(reply: str) -> str:
    text = re.sub(r"<think>.*?</think>", "", reply or "", flags=re.DOTALL | re.IGNORECASE)
    text = re.sub(r"^\s*(?:here(?:'s| is) (?:the|a|your) (?:detailed |enhanced )?prompt:?|prompt:)\s*", "", text,
                  flags=re.IGNORECASE)
    text = re.sub(r"\s+", " ", text).strip().strip("\"'“”`").strip()
    return text[:MAX_PROMPT_CHARS]
