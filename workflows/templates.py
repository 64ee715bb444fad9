"""ComfyUI workflow templates: an API-format graph plus a declared map of which node input takes each parameter.

The built-in templates ship as package data (`workflows/*.json`); a custom workflow comes from the
valves. Both are validated when loaded, so a broken map fails with a sentence naming the valve to
fix, never with a KeyError in the middle of a request. No node id appears in Python code.
"""
import copy
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alphaomega.agents.errors import SettingsError

# Parameter name -> the JSON type its target inputs must hold.
PARAMETERS: dict[str, tuple[type, ...]] = {
    "prompt": (str,),
    "negative_prompt": (str,),
    "width": (int,),
    "height": (int,),
    "batch_size": (int,),
    "seed": (int,),
    "steps": (int,),
    "cfg": (int, float),
    "guidance": (int, float),
    "sampler": (str,),
    "scheduler": (str,),
    "checkpoint": (str,),
}
# What a built-in template must map; a custom workflow may map any subset (even none).
REQUIRED_IN_TEMPLATES = ("prompt", "width", "height", "batch_size", "seed", "steps", "checkpoint")
# Other names people use for the same parameters (OpenWebUI's node map among them).
ALIASES = {
    "negative": "negative_prompt", "negative_text": "negative_prompt",
    "n": "batch_size", "batch": "batch_size", "count": "batch_size",
    "model": "checkpoint", "ckpt": "checkpoint", "ckpt_name": "checkpoint", "unet": "checkpoint",
    "unet_name": "checkpoint", "noise_seed": "seed", "sampler_name": "sampler", "text": "prompt",
}
MAX_WORKFLOW_BYTES = 5_000_000


@dataclass(frozen=True)
class InputRef:
    """One node input, written "node_id.input_name" in template files."""

    node: str
    input: str

    @classmethod
    def parse(cls, text: str) -> "InputRef":
        node, dot, name = str(text).rpartition(".")
        if not dot or not node or not name:
            raise ValueError(f"{text!r} is not of the form node_id.input_name, e.g. 6.text")
        return cls(node, name)

    def __str__(self) -> str:
        return f"{self.node}.{self.input}"


class Node(BaseModel):
    """One API-format node; `_meta` and other keys ComfyUI adds are kept as they are."""

    model_config = ConfigDict(extra="allow")
    class_type: str
    inputs: dict[str, Any] = Field(default_factory=dict)


class TemplateFile(BaseModel):
    """The shape of a template file in this folder (our own schema, so unknown keys are refused)."""

    model_config = ConfigDict(extra="forbid")
    title: str
    description: str = ""
    reference: str = ""
    native_size: tuple[int, int] | None = None
    model_folder: str = "checkpoints"
    parameters: dict[str, list[str]]
    graph: dict[str, Node]


@dataclass(frozen=True)
class Workflow:
    """A validated graph and its parameter map. `render()` returns a fresh graph; the template is never mutated."""

    name: str
    title: str
    graph: dict[str, dict]
    parameters: dict[str, tuple[InputRef, ...]]
    native_size: tuple[int, int] | None = None
    model_folder: str = "checkpoints"

    def supports(self, parameter: str) -> bool:
        return parameter in self.parameters

    def default(self, parameter: str) -> Any:
        """The value the graph holds for a parameter (its first target), or None if it is not mapped."""
        refs = self.parameters.get(parameter)
        return self.graph[refs[0].node]["inputs"][refs[0].input] if refs else None

    def render(self, values: dict[str, Any]) -> dict[str, dict]:
        """A copy of the graph with each mapped parameter set; unmapped or None values are skipped."""
        graph = copy.deepcopy(self.graph)
        for parameter, value in values.items():
            if value is None:
                continue
            for ref in self.parameters.get(parameter, ()):
                graph[ref.node]["inputs"][ref.input] = value
        return graph

    def class_of(self, node_id: str) -> str:
        node = self.graph.get(str(node_id))
        return node["class_type"] if node else ""


def template_names() -> list[str]:
    """The built-in templates: every `*.json` next to this module."""
    folder = resources.files("alphaomega.workflows")
    return sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".json"))


@cache
def load_template(name: str) -> Workflow:
    if name not in template_names():
        raise SettingsError(f"There is no built-in ComfyUI workflow called {name!r}. Set COMFYUI_WORKFLOW to one of "
                            f"{', '.join(template_names())} or to custom.", setting="COMFYUI_WORKFLOW")
    text = resources.files("alphaomega.workflows").joinpath(f"{name}.json").read_text(encoding="utf-8")
    return parse_template_file(name, json.loads(text), setting="COMFYUI_WORKFLOW", required=REQUIRED_IN_TEMPLATES)


def parse_template_file(name: str, data: Any, *, setting: str, required: tuple[str, ...] = ()) -> Workflow:
    try:
        doc = TemplateFile.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(f"The workflow template {name!r} is malformed: {_first_error(exc)}",
                            setting=setting) from exc
    graph = {node_id: node.model_dump() for node_id, node in doc.graph.items()}
    return build_workflow(name, doc.title, graph, doc.parameters, setting=setting, required=required,
                          native_size=doc.native_size, model_folder=doc.model_folder)


def build_workflow(name: str, title: str, graph: Any, parameters: Any, *, setting: str,
                   required: tuple[str, ...] = (), native_size: tuple[int, int] | None = None,
                   model_folder: str = "checkpoints", params_setting: str | None = None) -> Workflow:
    """Validate a graph and its parameter map together and return the Workflow, or raise SettingsError.

    `setting` is the valve blamed for a broken graph, `params_setting` the one blamed for a broken map.
    """
    graph = _check_graph(graph, setting)
    setting = params_setting or setting
    refs = _parse_parameters(parameters, setting)
    for parameter in required:
        if parameter not in refs:
            raise SettingsError(f"The workflow {name!r} does not say which node input takes the {parameter}.",
                                setting=setting)
    for parameter, targets in refs.items():
        for ref in targets:
            node = graph.get(ref.node)
            if node is None:
                raise SettingsError(f"The parameter map sends {parameter} to node {ref.node}, which is not in the "
                                    f"workflow (its nodes are {', '.join(graph)}).", setting=setting)
            if ref.input not in node["inputs"]:
                raise SettingsError(f"The parameter map sends {parameter} to {ref}, but node {ref.node} "
                                    f"({node['class_type']}) has no input called {ref.input!r}.", setting=setting)
            value = node["inputs"][ref.input]
            if _is_link(value):
                raise SettingsError(f"{ref} is connected to another node, so it cannot take the {parameter}.",
                                    setting=setting)
            if not _has_type(value, PARAMETERS[parameter]):
                raise SettingsError(f"{ref} holds {value!r}, which is not a valid {parameter}.", setting=setting)
    if native_size is None and "width" in refs and "height" in refs:
        first_w, first_h = refs["width"][0], refs["height"][0]
        native_size = (graph[first_w.node]["inputs"][first_w.input], graph[first_h.node]["inputs"][first_h.input])
    return Workflow(name=name, title=title, graph=graph, parameters=refs, native_size=native_size,
                    model_folder=model_folder)


def _check_graph(graph: Any, setting: str) -> dict[str, dict]:
    if isinstance(graph, dict) and isinstance(graph.get("nodes"), list) and "links" in graph:
        raise SettingsError("This workflow is in ComfyUI's UI format (it has 'nodes' and 'links'). In ComfyUI, "
                            "export it with Workflow > Export (API) and use that file instead.", setting=setting)
    if not isinstance(graph, dict) or not graph:
        raise SettingsError("The workflow must be a JSON object of nodes in ComfyUI's API format, "
                            'e.g. {"1": {"class_type": "EmptyImage", "inputs": {...}}, ...}.', setting=setting)
    checked: dict[str, dict] = {}
    for node_id, node in graph.items():
        if not isinstance(node, dict) or not isinstance(node.get("class_type"), str) or not node["class_type"]:
            raise SettingsError(f"Node {node_id} of the workflow has no class_type: is this an API-format export?",
                                setting=setting)
        inputs = node.get("inputs", {})
        if not isinstance(inputs, dict):
            raise SettingsError(f"Node {node_id} ({node['class_type']}) has inputs that are not a JSON object.",
                                setting=setting)
        checked[str(node_id)] = {**node, "inputs": inputs}
    for node_id, node in checked.items():
        for input_name, value in node["inputs"].items():
            if _is_link(value) and str(value[0]) not in checked:
                raise SettingsError(f"Input {node_id}.{input_name} is linked to node {value[0]}, which is not in the "
                                    "workflow.", setting=setting)
    return checked


def _parse_parameters(parameters: Any, setting: str) -> dict[str, tuple[InputRef, ...]]:
    """Accept {"prompt": "6.text" | ["6.text", ...] | {"node": "6", "input": "text"}} or OpenWebUI's node list."""
    if isinstance(parameters, list):
        parameters = _from_openwebui_nodes(parameters, setting)
    if not isinstance(parameters, dict):
        raise SettingsError('The parameter map must be a JSON object such as {"prompt": "6.text", "seed": "3.seed"}.',
                            setting=setting)
    refs: dict[str, tuple[InputRef, ...]] = {}
    for raw_name, targets in parameters.items():
        name = ALIASES.get(str(raw_name).strip().lower(), str(raw_name).strip().lower())
        if name not in PARAMETERS:
            raise SettingsError(f"Unknown parameter {raw_name!r} in the parameter map; known ones are "
                                f"{', '.join(PARAMETERS)}.", setting=setting)
        items = targets if isinstance(targets, list) else [targets]
        parsed: list[InputRef] = []
        for item in items:
            try:
                if isinstance(item, dict):
                    parsed.append(InputRef(str(item["node"]), str(item["input"])))
                else:
                    parsed.append(InputRef.parse(item))
            except (KeyError, ValueError) as exc:
                raise SettingsError(f"The parameter map entry for {raw_name} is not understood: {exc}. Write it as "
                                    '"node_id.input_name", e.g. "6.text".', setting=setting) from exc
        if not parsed:
            raise SettingsError(f"The parameter map gives no node input for {raw_name}.", setting=setting)
        refs[name] = refs.get(name, ()) + tuple(parsed)
    return refs


def _from_openwebui_nodes(items: list, setting: str) -> dict[str, list[str]]:
    """OpenWebUI's COMFYUI_WORKFLOW_NODES: [{"type": "prompt", "key": "text", "node_ids": ["6"]}, ...]."""
    default_keys = {"prompt": "text", "negative_prompt": "text", "model": "ckpt_name", "width": "width",
                    "height": "height", "steps": "steps", "seed": "seed", "n": "batch_size"}
    mapped: dict[str, list[str]] = {}
    for item in items:
        if not isinstance(item, dict) or not item.get("type"):
            continue  # entries without a type set literal values in OpenWebUI; nothing to map
        kind = str(item["type"])
        key = item.get("key") or default_keys.get(kind, "")
        node_ids = item.get("node_ids") or []
        if not key or not isinstance(node_ids, list):
            raise SettingsError(f"The node map entry {item!r} needs a key and a list of node_ids.", setting=setting)
        mapped.setdefault(kind, []).extend(f"{node_id}.{key}" for node_id in node_ids)
    return mapped


def _is_link(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and isinstance(value[0], (str, int)) \
        and isinstance(value[1], int) and not isinstance(value[1], bool)


def _has_type(value: Any, types: tuple[type, ...]) -> bool:
    return isinstance(value, types) and not isinstance(value, bool)


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else error["msg"]


def looks_like_json(text: str) -> bool:
    return bool(re.match(r"^\s*[\[{]", text))
