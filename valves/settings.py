"""The admin-tunable settings ("valves") that OpenWebUI draws as a form.

Every field has a title (the input's placeholder) and a description (the help text).
An environment variable `ALPHAOMEGA_<NAME>` pre-sets each valve; `valves.json` and the
admin form override it. Because the Pipelines server rebuilds the whole model from the
keys it is sent, a key that is left out falls back to the environment, then the default.
"""
import re
import types
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "ALPHAOMEGA_"

# Ollama accepts a number of seconds or a Go duration such as "5m", "1h30m", "-1m".
_GO_DURATION = re.compile(r"^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")


class Valves(BaseSettings):
    """AlphaOmega's settings, grouped by subsystem."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", validate_default=True)

    def __init__(self, **values: Any) -> None:
        # null from the admin form's "Default" toggle must not hide the ALPHAOMEGA_* variable, and
        # pydantic-settings lets keyword values win over the environment before any validator runs.
        super().__init__(**{name: value for name, value in values.items() if value is not None})

    @model_validator(mode="before")
    @classmethod
    def _admin_form_values(cls, data: Any) -> Any:
        """OpenWebUI's admin form sends null for a valve switched to "Default", and it will not save
        while any text box is empty. So null means "not set": the ALPHAOMEGA_* variable, else the
        default. An empty value of an optional valve is stored as null (drawn as "Default", not as a
        required empty box)."""
        if not isinstance(data, dict):
            return data
        cleaned = {}
        for name, value in data.items():
            field = cls.model_fields.get(name)
            if field is not None and value is None:
                continue  # pydantic-settings then reads the environment, then the default
            if field is not None and _allows_none(field.annotation) and isinstance(value, str) and not value.strip():
                value = None
            cleaned[name] = value
        return cleaned

    # --- Ollama backends -------------------------------------------------------
    OLLAMA_REASONING_URL: str = Field(
        "http://localhost:11435",
        title="Reasoning Ollama URL",
        description="Base URL of the Ollama instance that runs the chat and code models, "
        "e.g. http://localhost:11435.",
    )
    OLLAMA_VISION_URL: str = Field(
        "http://localhost:11434",
        title="Vision Ollama URL",
        description="Base URL of the Ollama instance that runs the vision model, e.g. http://localhost:11434.",
    )
    CHAT_MODEL: str = Field(
        "mistral",
        title="Chat model",
        description="Ollama model for conversation and reasoning, as `ollama list` names it, e.g. mistral.",
    )
    CODE_MODEL: str = Field(
        "codellama:13b",
        title="Code model",
        description="Ollama model for writing, fixing and explaining code, e.g. codellama:13b.",
    )
    VISION_MODEL: str = Field(
        "llava:34b",
        title="Vision model",
        description="Ollama model that reads images and screenshots; it must list the 'vision' "
        "capability, e.g. llava:34b.",
    )
    KEEP_ALIVE: str = Field(
        "5m",
        title="Keep models loaded",
        description="How long Ollama keeps a model in memory after a request: a duration such as "
        "5m or 1h, a number of seconds, or -1 for forever.",
    )
    NUM_CTX: int = Field(
        0,
        ge=0,
        title="Context window (tokens)",
        description="num_ctx sent with every request, e.g. 8192. 0 leaves the server's default. "
        "Keep it fixed: a change makes Ollama reload the model.",
    )
    TEMPERATURE: float = Field(
        0.7,
        ge=0.0,
        le=2.0,
        title="Temperature",
        description="Sampling temperature from 0.0 (focused) to 2.0 (creative), e.g. 0.7. "
        "A temperature set on the model in OpenWebUI wins.",
    )
    SYSTEM_PROMPT: str = Field(
        "You are AlphaOmega, a helpful assistant that runs entirely on the user's own machine.",
        title="System prompt",
        description="Sent as the system message when the conversation has none of its own. A single space "
        "sends none.",
    )

    # --- Timeouts --------------------------------------------------------------
    CONNECT_TIMEOUT: float = Field(
        5.0,
        gt=0,
        title="Connect timeout (s)",
        description="Seconds to wait for a backend to accept the connection, e.g. 5.",
    )
    REQUEST_TIMEOUT: float = Field(
        300.0,
        gt=0,
        title="First answer timeout (s)",
        description="Seconds to wait for a backend's first byte, and for a whole answer that is not streamed "
        "(titles, tags). It must cover loading a large model into memory, e.g. 300.",
    )
    STREAM_CHUNK_TIMEOUT: float = Field(
        60.0,
        gt=0,
        title="Stream stall timeout (s)",
        description="Seconds to wait between two pieces of a streamed answer before giving up, e.g. 60.",
    )

    # --- ComfyUI ---------------------------------------------------------------
    COMFYUI_URL: str = Field(
        "http://localhost:8188",
        title="ComfyUI URL",
        description="Base URL of the ComfyUI server for image generation, e.g. http://localhost:8188.",
    )
    COMFYUI_API_KEY: str | None = Field(
        None,
        title="ComfyUI API key",
        description="Sent as 'Authorization: Bearer <key>' to ComfyUI, only needed behind a reverse proxy that checks "
        "it. None sends none. ComfyUI itself has no authentication.",
    )
    COMFYUI_WORKFLOW: Literal["sdxl", "sd15", "flux_schnell", "flux_schnell_split", "flux_dev", "custom"] = Field(
        "sdxl",
        title="Image workflow",
        description="Built-in ComfyUI workflow: sdxl (SDXL base, the default), sd15 (SD 1.5), flux_schnell (all-in-one "
        "fp8 checkpoint), flux_schnell_split or flux_dev (separate model files); custom uses the custom workflow "
        "below.",
    )
    COMFYUI_CUSTOM_WORKFLOW: str | None = Field(
        None,
        title="Custom workflow (API JSON or file path)",
        description="Used when the image workflow is custom: ComfyUI API-format JSON (Workflow > Export (API)) "
        "pasted here, or the path of that file, e.g. /srv/comfy/my_flux.json.",
    )
    COMFYUI_CUSTOM_PARAMS: str | None = Field(
        None,
        title="Custom workflow parameter map",
        description='JSON saying which node input takes each parameter, as "node_id.input_name", e.g. {"prompt": '
        '"6.text", "negative_prompt": "7.text", "width": "5.width", "height": "5.height", "seed": "3.seed", '
        '"steps": "3.steps", "cfg": "3.cfg", "checkpoint": "4.ckpt_name", "batch_size": "5.batch_size"}. '
        "Unmapped parameters are left as the workflow has them.",
    )
    CHECKPOINT: str | None = Field(
        None,
        title="Checkpoint / model file",
        description="Model file the workflow loads, as ComfyUI lists it, e.g. sd_xl_base_1.0.safetensors (a diffusion "
        "model file for the Flux split workflows). None uses the workflow's own.",
    )
    STEPS: int = Field(
        0,
        ge=0,
        le=200,
        title="Sampling steps",
        description="Denoising steps from 1 to 200, e.g. 25. 0 uses the workflow's own (SDXL 25, SD 1.5 20, "
        "Flux schnell 4, Flux dev 20).",
    )
    CFG: float = Field(
        0.0,
        ge=0.0,
        le=30.0,
        title="CFG scale",
        description="Classifier-free guidance from 0.1 to 30, e.g. 7. 0 uses the workflow's own (7 for SDXL and "
        "SD 1.5, 1 for Flux schnell); the Flux split workflows have no CFG.",
    )
    IMAGE_SIZE: str | None = Field(
        None,
        title="Default image size",
        description="Size when the message names none: None for the model's native size (SDXL 1024x1024, "
        "SD 1.5 512x512), WIDTHxHEIGHT such as 1216x832 (each side 16 to 16384), a ratio such as 16:9, or portrait, "
        "landscape or square. "
        "Always snapped to the model's native pixel count in multiples of 64.",
    )
    NEGATIVE_PROMPT: str | None = Field(
        "blurry, low quality",
        title="Negative prompt",
        description="What images should not show, e.g. 'blurry, low quality, watermark'. Words after 'no' or "
        "'without' in a message are added; none for no standing negative prompt. Ignored by Flux workflows.",
    )
    IMAGE_TIMEOUT: float = Field(
        600.0,
        gt=0,
        le=86400,
        title="Image timeout (s)",
        description="Seconds one image job may run once ComfyUI starts it, e.g. 600 (CPU and large models are "
        "slow). Waiting in a queue may take as long again. A job past it is cancelled on ComfyUI.",
    )
    ENHANCE_PROMPT: bool = Field(
        False,
        title="Enhance image prompts",
        description="Let the chat model turn a terse prompt ('a fox') into a detailed one before drawing. Adds one "
        "chat-model call per image.",
    )
    COMFYUI_STRIP_METADATA: bool = Field(
        True,
        title="Strip image metadata",
        description="Remove the workflow and prompt text ComfyUI embeds in every PNG before the picture reaches the "
        "chat.",
    )
    COMFYUI_MAX_JOBS: int = Field(
        1,
        ge=1,
        le=16,
        title="Concurrent image jobs",
        description="Image jobs AlphaOmega sends to one ComfyUI server at once, from 1 to 16, e.g. 1. Further requests "
        "wait their turn and show their place in line.",
    )

    @field_validator("COMFYUI_API_KEY", "COMFYUI_CUSTOM_WORKFLOW", "COMFYUI_CUSTOM_PARAMS", "CHECKPOINT",
                     "NEGATIVE_PROMPT")
    @classmethod
    def _optional_text(cls, value: str | None) -> str | None:
        # OpenWebUI's form cannot save an empty text box (it is `required`), so "not set" is None.
        return value.strip() or None if isinstance(value, str) else value

    @field_validator("IMAGE_SIZE")
    @classmethod
    def _image_size(cls, value: str | None) -> str | None:
        value = str(value or "").strip().lower().replace("×", "x")
        if value in ("", "native", "auto", "default"):
            return None
        if size := re.fullmatch(r"(\d{1,6})\s*x\s*(\d{1,6})", value):
            if not all(16 <= int(side) <= 16384 for side in size.groups()):  # 00x00 would divide by zero later
                raise ValueError(f"width and height must each be from 16 to 16384 pixels, e.g. 1216x832; got {value!r}")
            return value
        if re.fullmatch(r"[1-9]\d?\s*:\s*[1-9]\d?", value) \
                or value in ("portrait", "landscape", "square", "vertical", "horizontal", "widescreen", "panoramic",
                             "panorama"):
            return value
        raise ValueError(f"expected nothing (native size), WIDTHxHEIGHT such as 1216x832, a ratio such as 16:9, or "
                         f"portrait, landscape or square; got {value!r}")

    # --- Vision and screen -------------------------------------------------------
    VISION_MAX_SIDE: int = Field(
        1280,
        ge=64,
        le=8192,
        title="Vision image size (px)",
        description="Longest side, in pixels, of every image and screenshot sent to the vision model, from "
        "64 to 8192, e.g. 1280. Larger images are shrunk and re-encoded as JPEG quality 85.",
    )
    VISION_HISTORY_IMAGES: int = Field(
        2,
        ge=0,
        le=20,
        title="Earlier images re-sent",
        description="How many images from earlier messages are sent again with a new question, from 0 to 20, "
        "e.g. 2 (the newest ones). Images attached to the current message are always sent.",
    )
    SCREEN_MONITOR: int = Field(
        1,
        ge=0,
        le=32,
        title="Monitor to capture",
        description="Which monitor 'what is on my screen' looks at: 1 is the first monitor, 2 the second, "
        "0 all monitors side by side in one image, e.g. 1.",
    )
    SCREEN_CAPTURE_ROLES: str = Field(
        "admin",
        title="Who may capture the screen",
        description="Comma-separated OpenWebUI roles allowed to ask what is on the screen of the machine that "
        "runs AlphaOmega, e.g. admin or admin,user. Others get a polite refusal; none lets nobody.",
    )
    SCREENSHOT_KEEP: bool = Field(
        False,
        title="Keep screenshots",
        description="Save each screen capture (the JPEG sent to the vision model) under screenshots/ in the "
        "data directory. Off by default: captures are then never written to disk.",
    )
    SCREENSHOT_RETENTION_DAYS: int = Field(
        7,
        ge=1,
        le=3650,
        title="Keep screenshots for (days)",
        description="Saved screenshots older than this many days are deleted at the next capture, from 1 "
        "to 3650, e.g. 7.",
    )

    # --- Computer use -------------------------------------------------------------
    COMPUTER_USE_ROLES: str = Field(
        "admin",
        title="Who may operate the desktop",
        description="Comma-separated OpenWebUI roles allowed to have AlphaOmega click and type on the screen of "
        "the machine that runs it, e.g. admin. none lets nobody.",
    )
    MAX_ACTIONS: int = Field(
        10,
        ge=1,
        le=100,
        title="Actions per request",
        description="Most mouse and keyboard actions one computer-use request may perform, from 1 to 100, "
        "e.g. 10. Then AlphaOmega stops and says how far it got.",
    )
    MAX_SECONDS: float = Field(
        60.0,
        gt=0,
        le=3600,
        title="Seconds per request",
        description="Longest time, in seconds, one computer-use request may spend looking, planning and acting, "
        "from 1 to 3600, e.g. 60. Time waiting for your confirmation does not count. Each model call (reading "
        "the screen, planning) waits at most the time left, even when REQUEST_TIMEOUT is longer.",
    )
    CONFIRM_TTL: int = Field(
        120,
        ge=10,
        le=3600,
        title="Confirmation window (s)",
        description="Seconds during which a 'confirm CODE' reply is accepted after AlphaOmega asks for it, "
        "from 10 to 3600, e.g. 120. Later, or any other reply, cancels the pending action.",
    )
    DRY_RUN: bool = Field(
        False,
        title="Dry run (plan only)",
        description="Plan and check every action and report what would be done, but never move the mouse or "
        "press a key.",
    )
    COMPUTER_USE_PLANNER: Literal["vision", "reasoning"] = Field(
        "vision",
        title="Planning model",
        description="Which model turns the request and the screen into actions: vision (VISION_MODEL, which "
        "also sees the screenshot) or reasoning (CHAT_MODEL, which reads the vision model's description only).",
    )
    COMPUTER_USE_MONITOR: int = Field(
        1,
        ge=1,
        le=32,
        title="Monitor to operate",
        description="Which monitor computer use looks at and clicks on: 1 is the first monitor, 2 the second, "
        "e.g. 1.",
    )
    COMPUTER_USE_RATE_LIMIT: int = Field(
        30,
        ge=1,
        le=600,
        title="Actions per minute",
        description="Most actions per user per minute across all requests, from 1 to 600, e.g. 30.",
    )
    COMPUTER_USE_ALLOWED_DOMAINS: str | None = Field(
        None,
        title="Extra allowed web sites",
        description="Comma-separated domains the agent may type as addresses without asking, besides well-known "
        "sites and those you name in your message, e.g. intranet.example.com,wiki.example.org. None adds none.",
    )
    COMPUTER_USE_SETTLE_SECONDS: float = Field(
        0.5,
        ge=0,
        le=10,
        title="Settle time (s)",
        description="Pause after each action before the next screenshot, so the screen can update, from 0 to 10 "
        "seconds, e.g. 0.5.",
    )
    COMPUTER_USE_VIRTUAL_DISPLAY: bool = Field(
        False,
        title="Virtual display",
        description="The desktop is a virtual display (Xvfb, VNC) and not a person's screen: a mouse pointer "
        "left in a screen corner is moved away instead of being taken as the emergency stop.",
    )

    @field_validator("SCREEN_CAPTURE_ROLES", "COMPUTER_USE_ROLES", "COMPUTER_USE_ALLOWED_DOMAINS")
    @classmethod
    def _comma_list(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return ",".join(item.strip().lower() for item in str(value).split(",") if item.strip())

    # --- Router -----------------------------------------------------------------
    ROUTER_DEBUG: bool = Field(
        False,
        title="Show routing decisions",
        description="Append the routing decision (intent, confidence 0-1 and the reason) to every answer, to see "
        "why a message went to chat, code, screen, desktop or images. It is always in logs/pipeline.log.",
    )
    ROUTER_LLM_TIEBREAK: bool = Field(
        False,
        title="Ask the model when unsure",
        description="When the built-in router is unsure, ask the tie-break model to pick the route (one short "
        "JSON answer). It can never start a desktop action that the router's safety gate refuses. Adds up "
        "to the tie-break timeout to unsure messages only.",
    )
    ROUTER_TIEBREAK_MODEL: str | None = Field(
        None,
        title="Tie-break model",
        description="Ollama model on the reasoning server that answers the tie-break, e.g. qwen2.5:1.5b (small "
        "and fast is best). None uses the chat model.",
    )
    ROUTER_TIEBREAK_TIMEOUT: float = Field(
        2.0,
        gt=0,
        le=30,
        title="Tie-break timeout (s)",
        description="Hard limit in seconds for the tie-break answer, from 0.1 to 30, e.g. 2. On timeout or an "
        "unusable answer the router's own choice stands.",
    )
    ROUTER_TIEBREAK_BELOW: float = Field(
        0.55,
        ge=0,
        le=1,
        title="Tie-break below confidence",
        description="Ask the tie-break model when the router's confidence is below this, or its two best routes "
        "are close, from 0 to 1, e.g. 0.55. 0 never asks; 1 asks for almost every message.",
    )

    # --- Chat experience --------------------------------------------------------
    STATUS_EVENTS: bool = Field(
        True,
        title="Show progress",
        description="Show status lines such as 'Thinking with mistral…' above a streamed answer.",
    )
    LOG_LEVEL: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO",
        title="Log level",
        description="Detail of logs/alphaomega.log under the data directory. Routing decisions always "
        "go to logs/pipeline.log.",
    )

    @field_validator("OLLAMA_REASONING_URL", "OLLAMA_VISION_URL", "COMFYUI_URL")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError(f"expected an http:// or https:// URL, got {value!r}")
        return value

    @field_validator("CHAT_MODEL", "CODE_MODEL", "VISION_MODEL")
    @classmethod
    def _model_name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("a model name is required, e.g. mistral")
        return value

    @field_validator("KEEP_ALIVE")
    @classmethod
    def _keep_alive(cls, value: str) -> str:
        value = str(value).strip()
        if re.fullmatch(r"-?\d+", value) or _GO_DURATION.fullmatch(value):
            return value
        raise ValueError(f"expected a duration such as 5m, 1h or 300 (seconds), got {value!r}")

    def keep_alive_for_ollama(self) -> int | str:
        """Ollama rejects unitless strings such as "300", so whole seconds go out as a number."""
        return int(self.KEEP_ALIVE) if re.fullmatch(r"-?\d+", self.KEEP_ALIVE) else self.KEEP_ALIVE


def _allows_none(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation)


def defaults_only() -> Valves:
    """Valves with the class defaults, ignoring the environment (used when an env value is invalid)."""
    return Valves(**{name: field.default for name, field in Valves.model_fields.items()})


def env_var(name: str) -> str:
    return f"{ENV_PREFIX}{name}"
