"""The graph half of the fake ComfyUI: node classes, prompt validation, execution order and caching.

These follow ComfyUI 0.3.64 (`execution.validate_prompt`/`validate_inputs`, `comfy_execution.graph`
ExecutionList with its "UX friendly" pick, the classic output cache) closely enough that the
recorded 400 bodies, execution orders and `execution_cached` lists come out the same. Where
ComfyUI iterates a Python set (output nodes, a node's inputs) its order is arbitrary; here the
graph's and `input_order`'s orders are used instead.
"""
import copy
import json
import struct
import zlib
from pathlib import Path
from typing import Any

TRANSCRIPTS = Path(__file__).resolve().parent.parent / "data" / "comfyui_transcripts"
# Loader inputs whose choices are the model files installed in a folder.
MODEL_FOLDERS = {"ckpt_name": "checkpoints", "unet_name": "diffusion_models", "clip_name": "text_encoders",
                 "clip_name1": "text_encoders", "clip_name2": "text_encoders", "vae_name": "vae", "lora_name": "loras"}
# The two frames ComfyUI 0.3.64 reports for a link to a node id that does not exist (R c7).
MISSING_LINK_TRACEBACK = [
    "  File \"<path>/ComfyUI/execution.py\", line 1010, in validate_prompt\n    m = await validate_inputs(prompt_id, "
    "prompt, o, validated)\n        " + "^" * 54 + "\n",
    "  File \"<path>/ComfyUI/execution.py\", line 788, in validate_inputs\n"
    "    o_class_type = prompt[o_id]['class_type']\n                   ~~~~~~^^^^^^\n",
]


def is_link(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and isinstance(value[1], int) and not isinstance(value[1], bool)


class NodeClasses:
    """`/object_info` for the ~27 recorded classes, with model lists from the fake's installed files."""

    def __init__(self, models: dict[str, list[str]], input_files: list[str], extra: dict[str, dict] | None = None):
        self._base = json.loads((TRANSCRIPTS / "object_info_subset.json").read_text())
        self._base.update(extra or {})
        self.models = models
        self.input_files = input_files

    def names(self) -> list[str]:
        return list(self._base)

    def info(self, class_type: str) -> dict | None:
        if class_type not in self._base:
            return None
        info = copy.deepcopy(self._base[class_type])
        for section in ("required", "optional"):
            for name, spec in info["input"].get(section, {}).items():
                if name in MODEL_FOLDERS and isinstance(spec[0], list):
                    files = sorted(self.models.get(MODEL_FOLDERS[name], []))
                    spec[0] = files + (["pixel_space"] if name == "vae_name" else [])
                elif class_type == "LoadImage" and name == "image":
                    spec[0] = sorted(self.input_files)
        return info

    def all(self) -> dict:
        return {name: self.info(name) for name in self._base}

    def is_output(self, class_type: str) -> bool:
        return bool(self._base.get(class_type, {}).get("output_node"))

    def return_types(self, class_type: str) -> list:
        return self._base[class_type]["output"]


# --- validation (execution.validate_prompt / validate_inputs) -----------------------------
def validate_prompt(prompt: Any, classes: NodeClasses) -> tuple[bool, dict | None, list[str], dict]:
    """(valid, error, outputs_to_execute, node_errors). Raises TypeError/AttributeError where ComfyUI's handler
    crashes (a list instead of an object, a UI-format workflow): the server turns those into its plain 500."""
    outputs: list[str] = []
    for x in prompt:
        if "class_type" not in prompt[x]:
            return False, _error("invalid_prompt", "Cannot execute because a node is missing the class_type property.",
                                 f"Node ID '#{x}'"), [], {}
        class_type = prompt[x]["class_type"]
        if classes.info(class_type) is None:
            return False, _error("invalid_prompt", f"Cannot execute because node {class_type} does not exist.",
                                 f"Node ID '#{x}'"), [], {}
        if classes.is_output(class_type):
            outputs.append(x)
    if not outputs:
        return False, _error("prompt_no_outputs", "Prompt has no outputs", ""), [], {}

    good: list[str] = []
    failures: list[tuple[str, list[dict]]] = []
    node_errors: dict[str, dict] = {}
    validated: dict[str, tuple] = {}
    for o in outputs:
        try:
            valid, reasons, _ = validate_inputs(prompt, o, validated, classes)
        except Exception as ex:  # ComfyUI catches everything here too
            valid = False
            trace = list(MISSING_LINK_TRACEBACK) if isinstance(ex, KeyError) else []
            reasons = [{"type": "exception_during_validation", "message": "Exception when validating node",
                        "details": str(ex), "extra_info": {"exception_type": type(ex).__name__, "traceback": trace}}]
            validated[o] = (False, reasons, o)
        if valid is True:
            good.append(o)
            continue
        failures.append((o, reasons))
        for node_id, (node_valid, node_reasons, _) in validated.items():
            if node_valid is not True and node_reasons:
                if node_id not in node_errors:
                    node_errors[node_id] = {"errors": node_reasons, "dependent_outputs": [],
                                            "class_type": prompt[node_id]["class_type"]}
                node_errors[node_id]["dependent_outputs"].append(o)
    if not good:
        details = "\n".join(f"{e['message']}: {e['details']}" for _, reasons in failures for e in reasons)
        return False, _error("prompt_outputs_failed_validation", "Prompt outputs failed validation", details), [], \
            node_errors
    return True, None, good, node_errors


def validate_inputs(prompt: dict, unique_id: str, validated: dict, classes: NodeClasses) -> tuple:
    if unique_id in validated:
        return validated[unique_id]
    inputs = prompt[unique_id]["inputs"]
    class_type = prompt[unique_id]["class_type"]
    info = classes.info(class_type)
    required, optional = info["input"].get("required", {}), info["input"].get("optional", {})
    order = info.get("input_order", {})
    custom = {"image"} if class_type == "LoadImage" else set()  # LoadImage.VALIDATE_INPUTS(image)
    errors: list[dict] = []
    valid = True
    for x in order.get("required", list(required)) + order.get("optional", list(optional)):
        spec = required.get(x) or optional.get(x)
        input_type, extra_info = spec[0], (spec[1] if len(spec) > 1 else {})
        config = [input_type, extra_info]
        if x not in inputs:
            if x in required:
                errors.append({"type": "required_input_missing", "message": "Required input is missing",
                               "details": x, "extra_info": {"input_name": x}})
            continue
        val = inputs[x]
        if isinstance(val, list):
            if len(val) != 2:
                errors.append({"type": "bad_linked_input",
                               "message": "Bad linked input, must be a length-2 list of [node_id, slot_index]",
                               "details": x, "extra_info": {"input_name": x, "input_config": config,
                                                            "received_value": val}})
                continue
            o_id = val[0]
            received_type = classes.return_types(prompt[o_id]["class_type"])[val[1]]
            if received_type != input_type and "*" not in (received_type, input_type):
                errors.append({"type": "return_type_mismatch", "message": "Return type mismatch between linked nodes",
                               "details": f"{x}, received_type({received_type}) mismatch input_type({input_type})",
                               "extra_info": {"input_name": x, "input_config": config, "received_type": received_type,
                                              "linked_node": val}})
                continue
            try:
                if validate_inputs(prompt, o_id, validated, classes)[0] is False:
                    valid = False
                    continue
            except Exception as ex:
                validated[o_id] = (False, [{
                    "type": "exception_during_inner_validation", "message": "Exception when validating inner node",
                    "details": str(ex), "extra_info": {"input_name": x, "input_config": config,
                                                       "exception_message": str(ex),
                                                       "exception_type": type(ex).__name__, "traceback": [],
                                                       "linked_node": val}}], o_id)
                continue
        else:
            try:
                converter = {"INT": int, "FLOAT": float, "STRING": str, "BOOLEAN": bool}.get(
                    input_type if isinstance(input_type, str) else "")
                if converter:
                    val = inputs[x] = converter(val)  # ComfyUI stores the converted value in the prompt
            except Exception as ex:
                errors.append({"type": "invalid_input_type",
                               "message": f"Failed to convert an input value to a {input_type} value",
                               "details": f"{x}, {val}, {ex}",
                               "extra_info": {"input_name": x, "input_config": config, "received_value": val,
                                              "exception_message": str(ex)}})
                continue
            if x in custom:
                continue
            if "min" in extra_info and val < extra_info["min"]:
                errors.append({"type": "value_smaller_than_min",
                               "message": f"Value {val} smaller than min of {extra_info['min']}", "details": x,
                               "extra_info": {"input_name": x, "input_config": config, "received_value": val}})
                continue
            if "max" in extra_info and val > extra_info["max"]:
                errors.append({"type": "value_bigger_than_max",
                               "message": f"Value {val} bigger than max of {extra_info['max']}", "details": x,
                               "extra_info": {"input_name": x, "input_config": config, "received_value": val}})
                continue
            if isinstance(input_type, list) and val not in input_type:
                long_list = len(input_type) > 20
                errors.append({"type": "value_not_in_list", "message": "Value not in list",
                               "details": f"{x}: '{val}' not in "
                                          f"{f'(list of length {len(input_type)})' if long_list else str(input_type)}",
                               "extra_info": {"input_name": x, "input_config": None if long_list else config,
                                              "received_value": val}})
                continue
    for x in custom:
        if x in inputs and not isinstance(inputs[x], list) and inputs[x] not in classes.input_files:
            errors.append({"type": "custom_validation_failed", "message": "Custom validation failed for node",
                           "details": f"{x} - Invalid image file: {inputs[x]}", "extra_info": {"input_name": x}})
    result = (False, errors, unique_id) if errors or not valid else (True, [], unique_id)
    validated[unique_id] = result
    return result


def _error(kind: str, message: str, details: str) -> dict:
    return {"type": kind, "message": message, "details": details, "extra_info": {}}


# --- execution order (comfy_execution.graph.ExecutionList) -------------------------------
class ExecutionList:
    def __init__(self, prompt: dict, classes: NodeClasses, cached: set[str]):
        self.prompt, self.classes, self.cached = prompt, classes, cached
        self.pending: dict[str, bool] = {}
        self.block_count: dict[str, int] = {}
        self.blocking: dict[str, dict[str, dict]] = {}

    def add_node(self, node_id: str) -> None:
        stack, links = [node_id], []
        while stack:
            uid = stack.pop()
            if uid in self.pending:
                continue
            self.pending[uid] = True
            self.block_count[uid] = 0
            self.blocking[uid] = {}
            for value in self.prompt[uid]["inputs"].values():
                if is_link(value) and value[0] not in self.cached:
                    stack.append(value[0])
                    links.append((value[0], value[1], uid))
        for from_id, socket, to_id in links:
            self.add_node(from_id)
            if to_id not in self.blocking[from_id]:
                self.blocking[from_id][to_id] = {}
                self.block_count[to_id] += 1
            self.blocking[from_id][to_id][socket] = True

    def is_empty(self) -> bool:
        return not self.pending

    def next_node(self) -> str:
        ready = [n for n in self.pending if self.block_count[n] == 0]

        def is_output(node_id: str) -> bool:
            return self.classes.is_output(self.prompt[node_id]["class_type"])

        for node_id in ready:
            if is_output(node_id):
                return node_id
        for node_id in ready:
            if any(is_output(b) for b in self.blocking[node_id]):
                return node_id
        for node_id in ready:
            if any(is_output(b2) for b in self.blocking[node_id] for b2 in self.blocking[b]):
                return node_id
        return ready[0]

    def complete(self, node_id: str) -> None:
        del self.pending[node_id]
        for blocked in self.blocking[node_id]:
            self.block_count[blocked] -= 1
        del self.blocking[node_id]


def signatures(prompt: dict) -> dict[str, str]:
    """A node's cache key: its class and inputs, with linked inputs replaced by their source's key."""
    memo: dict[str, str] = {}

    def sig(node_id: str, depth: int = 0) -> str:
        if node_id not in memo:
            node = prompt[node_id]
            parts: list[Any] = [node["class_type"]]
            for name in sorted(node["inputs"]):
                value = node["inputs"][name]
                parts.append([name, sig(value[0], depth + 1), value[1]] if is_link(value) and depth < 200
                             else [name, value])
            memo[node_id] = json.dumps(parts, sort_keys=True, default=str)
        return memo[node_id]

    return {node_id: sig(node_id) for node_id in prompt}


def upstream_size(prompt: dict, node_id: str) -> tuple[int, int, int]:
    """(width, height, batch) of the first latent or image source above a node."""
    seen, stack = set(), [node_id]
    while stack:
        current = stack.pop(0)
        if current in seen or current not in prompt:
            continue
        seen.add(current)
        inputs = prompt[current]["inputs"]
        if all(isinstance(inputs.get(k), int) for k in ("width", "height", "batch_size")):
            return inputs["width"], inputs["height"], inputs["batch_size"]
        stack.extend(v[0] for v in inputs.values() if is_link(v))
    return 64, 64, 1


def upstream_value(prompt: dict, node_id: str, names: tuple[str, ...]) -> Any:
    seen, stack = set(), [node_id]
    while stack:
        current = stack.pop(0)
        if current in seen or current not in prompt:
            continue
        seen.add(current)
        inputs = prompt[current]["inputs"]
        for name in names:
            if name in inputs and not is_link(inputs[name]):
                return inputs[name]
        stack.extend(v[0] for v in inputs.values() if is_link(v))
    return None


# --- pictures -------------------------------------------------------------------------
def make_png(width: int, height: int, rgb: tuple[int, int, int], text: dict[str, str], noise: bytes = b"") -> bytes:
    """An RGB PNG with tEXt chunks (as SaveImage writes `prompt` and extra_pnginfo); `noise` tiles random pixels."""
    width, height = max(1, min(width, 8192)), max(1, min(height, 8192))
    row = bytes(rgb) * width
    if noise:
        row_len = width * 3
        raw = b"".join(b"\x00" + (noise[(y * 7919) % max(1, len(noise) - row_len):][:row_len] or row)
                       for y in range(height))
    else:
        raw = (b"\x00" + row) * height

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    parts = [b"\x89PNG\r\n\x1a\n", chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))]
    parts += [chunk(b"tEXt", key.encode("latin-1") + b"\x00" + value.encode("latin-1", "replace"))
              for key, value in text.items()]
    parts += [chunk(b"IDAT", zlib.compress(raw, 1 if noise else 4)), chunk(b"IEND", b"")]
    return b"".join(parts)
