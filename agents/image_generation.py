"""Image generation: a chat message in, a picture from ComfyUI out, with live progress, Stop and clear errors.

The picture is yielded as an `Image` with a data: URI (OpenWebUI stores it in its own file store),
never as a ComfyUI /view URL the user's browser could not reach. Stop: the Pipelines server never
closes an abandoned stream, so the pipeline's watch (`ctx.watch`) runs the cleanups registered here:
it leaves our place in line, cancels our ComfyUI job and closes its connections.
"""
import base64
import logging
import time
from collections.abc import Iterator
from contextlib import closing

from alphaomega.agents.base import Image, Item, Status
from alphaomega.agents.context import RequestContext
from alphaomega.agents.image_plan import ImagePlan, enhance_prompt, plan_image
from alphaomega.agents.image_request import parse_image_request
from alphaomega.agents.markdown_guard import disarm
from alphaomega.agents.stop_watch import StopWatch
from alphaomega.workflows import comfyui_errors as errors
from alphaomega.workflows.comfyui_client import ComfyTimeouts, ComfyUIClient, FetchedImage
from alphaomega.workflows.comfyui_job import ComfyJob, JobEvent, JobSettings
from alphaomega.workflows.custom import select_workflow
from alphaomega.workflows.png_metadata import NotAPng, strip_text_chunks
from alphaomega.workflows.slots import slots_for
from alphaomega.workflows.templates import Workflow

log = logging.getLogger("alphaomega.image")

HEARTBEAT = 2.0  # at most this long between two status lines, so that Stop is noticed
PROGRESS_EVERY = 0.2  # seconds between two "Sampling step" lines (the last step always shows)
SAMPLERS = {"KSampler", "KSamplerAdvanced", "SamplerCustom", "SamplerCustomAdvanced"}
STAGES = {
    "CheckpointLoaderSimple": "Loading the model", "UNETLoader": "Loading the model",
    "DualCLIPLoader": "Loading the text encoders", "CLIPLoader": "Loading the text encoder",
    "VAELoader": "Loading the VAE", "LoraLoader": "Loading the LoRA",
    "CLIPTextEncode": "Reading the prompt", "CLIPTextEncodeSDXL": "Reading the prompt",
    "FluxGuidance": "Reading the prompt", "EmptyLatentImage": "Preparing the canvas",
    "EmptySD3LatentImage": "Preparing the canvas", "EmptyImage": "Preparing the canvas",
    "VAEDecode": "Decoding the image", "VAEDecodeTiled": "Decoding the image",
    "SaveImage": "Saving the image", "PreviewImage": "Saving the image", "SaveImageWebsocket": "Sending the image",
    **{name: "Sampling" for name in SAMPLERS},
}
ASK_FOR_SUBJECT = ("Tell me what to draw, for example: “generate an image of a lighthouse at dusk, 16:9, no text”.")


class ImageGenerationAgent:
    """Answers the `image_generation` intent."""

    model_valve = "COMFYUI_WORKFLOW"  # what the routing log shows as the "model"
    backend_valve = "COMFYUI_URL"  # ... and as the "backend"

    def run(self, ctx: RequestContext) -> Iterator[Item]:
        """The pipeline watches the stream (ctx.watch): Stop cancels our ComfyUI job and frees the slot."""
        watch = ctx.watch
        valves = ctx.valves
        request = parse_image_request(ctx.text)
        if not request.prompt:
            yield ASK_FOR_SUBJECT
            return
        workflow = select_workflow(valves.COMFYUI_WORKFLOW, valves.COMFYUI_CUSTOM_WORKFLOW,
                                   valves.COMFYUI_CUSTOM_PARAMS)
        client = ComfyUIClient(valves.COMFYUI_URL, api_key=valves.COMFYUI_API_KEY or "",
                               timeouts=ComfyTimeouts(connect=valves.CONNECT_TIMEOUT))
        watch.on_abandon(client.close)  # its keep-alive connection; cancelling uses connections of its own
        started = time.monotonic()
        try:
            client.health()
            prompt, enhance_note = request.prompt, None
            if valves.ENHANCE_PROMPT and workflow.supports("prompt"):
                yield Status(f"Writing a detailed prompt with {valves.CHAT_MODEL}…")
                prompt, enhance_note = enhance_prompt(ctx, request.prompt)
            plan = plan_image(request, prompt, workflow, valves)
            job = yield from self._run_job(client, workflow, plan, valves, watch)
            images = [self._prepared(image, valves.COMFYUI_STRIP_METADATA) for image in job.result.images]
            watch.done()  # the pictures are in hand: a slow reader now only delays them
        finally:
            client.close()
        seconds = time.monotonic() - started
        yield Status(f"{'Image' if len(images) == 1 else f'{len(images)} images'} ready in {seconds:.1f} s", done=True)
        for data_uri in images:
            yield Image(data_uri=data_uri, alt=_alt(plan.prompt))
        yield caption(plan, workflow, len(images), request.prompt, enhance_note)

    def _run_job(self, client: ComfyUIClient, workflow: Workflow, plan: ImagePlan, valves,
                 watch: StopWatch) -> Iterator[Item]:
        graph = workflow.render(plan.values)
        with slots_for(client.url).ticket(valves.COMFYUI_MAX_JOBS) as ticket:
            watch.on_abandon(ticket.leave)
            waited_from, admitted = time.monotonic(), ticket.wait(0)
            while not admitted:
                waited = time.monotonic() - waited_from
                if waited > valves.IMAGE_TIMEOUT:
                    raise errors.timed_out(client.url, valves.IMAGE_TIMEOUT, waiting=True)
                yield Status(f"Waiting for a free ComfyUI slot: {_ordinal(ticket.position)} in line ({waited:.0f} s)")
                admitted = ticket.wait(HEARTBEAT)
            job = ComfyJob(client, graph, JobSettings(timeout=valves.IMAGE_TIMEOUT, heartbeat=HEARTBEAT),
                           class_of=workflow.class_of)
            watch.on_abandon(job.cancel)  # off ComfyUI, and its websocket and reader thread closed
            shown, shown_kind, shown_at = "", "", 0.0
            with closing(job.run()) as events:
                for event in events:
                    text, now = describe(event), time.monotonic()
                    if not text or text == shown:
                        continue
                    if event.kind == "progress" == shown_kind and event.value < event.maximum \
                            and now - shown_at < PROGRESS_EVERY:
                        continue  # fast samplers: a line per step would flood the chat's status history
                    shown, shown_kind, shown_at = text, event.kind, now
                    yield Status(text)
        return job

    @staticmethod
    def _prepared(image: FetchedImage, strip: bool) -> str:
        data = image.data
        if strip and image.content_type == "image/png":
            try:
                data = strip_text_chunks(data)
            except NotAPng as exc:
                log.warning("could not strip metadata from %s: %s", image.ref.filename, exc)
        return f"data:{image.content_type};base64,{base64.b64encode(data).decode('ascii')}"


def describe(event: JobEvent) -> str:
    """The status line for one job event ("Sampling step 7/25")."""
    stage = STAGES.get(event.class_type) or (f"Running {event.class_type}" if event.class_type else "Working")
    if event.kind == "submitted":
        return "Sent to ComfyUI"
    if event.kind == "queued":
        ahead = event.ahead or 0
        return "Queued on ComfyUI: next in line" if ahead == 0 else \
            f"Queued on ComfyUI: {ahead} job{'s' if ahead != 1 else ''} ahead of yours"
    if event.kind == "node":
        return f"{stage}…"
    if event.kind == "progress" and event.maximum > 0:
        if event.class_type in SAMPLERS or not event.class_type:
            return f"Sampling step {event.value}/{event.maximum}"
        return f"{stage} {event.value}/{event.maximum}"
    if event.kind == "waiting":
        what = f"{stage}…" if event.node else "Waiting for ComfyUI…"
        return f"{what} {event.elapsed:.0f} s"
    if event.kind == "reconnecting":
        return "Lost the live connection to ComfyUI; checking on the job…"
    if event.kind == "polling":
        return f"Following the job without live progress… {event.elapsed:.0f} s"
    if event.kind == "fetching":
        return "Fetching the image…"
    return ""


def caption(plan: ImagePlan, workflow: Workflow, count: int, asked: str, enhance_note: str | None) -> str:
    facts = [workflow.title]
    if plan.size:
        facts.append(f"{plan.size[0]}×{plan.size[1]}")
    if plan.seed is not None:
        facts.append(f"seed {plan.seed}")
    lines = [f"{'Here is' if count == 1 else f'Here are {count} images of'} “{asked}” ({', '.join(facts)})."]
    if plan.prompt != asked:  # the chat model wrote it (ENHANCE_PROMPT): it cannot render remote images
        lines.append(f"Prompt used: {disarm(plan.prompt)}")
    notes = [*plan.notes, *([enhance_note] if enhance_note else [])]
    if notes:
        lines.append("_Note: " + "; ".join(notes) + "._")
    return "\n\n".join(lines)


def _alt(prompt: str) -> str:
    text = prompt.replace("[", "(").replace("]", ")").replace("\n", " ")
    return text if len(text) <= 120 else text[:119] + "…"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
