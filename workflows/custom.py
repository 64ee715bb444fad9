"""The workflow a request uses: a built-in template, or the admin's own from the custom-workflow valves.

A custom workflow is ComfyUI API-format JSON, given inline or as a file path, with a parameter map
saying which node input takes the prompt, size, seed and so on. A template-format file (with
`graph` and `parameters`) works too. Parsed results are cached by content (and file mtime).
"""
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from alphaomega.agents.errors import SettingsError
from alphaomega.workflows.templates import (
    MAX_WORKFLOW_BYTES,
    Workflow,
    build_workflow,
    load_template,
    looks_like_json,
    parse_template_file,
)

WORKFLOW_VALVE = "COMFYUI_CUSTOM_WORKFLOW"
PARAMS_VALVE = "COMFYUI_CUSTOM_PARAMS"


def select_workflow(choice: str, custom_source: str = "", custom_params: str = "") -> Workflow:
    """COMFYUI_WORKFLOW names a template, or "custom" for the custom-workflow valves."""
    if choice != "custom":
        return load_template(choice)
    source = (custom_source or "").strip()
    if not source:
        raise SettingsError(f"COMFYUI_WORKFLOW is custom but {WORKFLOW_VALVE} is empty: paste the workflow's "
                            "API-format JSON there (ComfyUI: Workflow > Export (API)) or give the path of that file.",
                            setting=WORKFLOW_VALVE)
    if looks_like_json(source):
        return _parse_custom(source, (custom_params or "").strip(), "inline")
    path = Path(os.path.expanduser(source))
    try:
        stat = path.stat()
    except OSError as exc:
        raise SettingsError(f"{WORKFLOW_VALVE} names the file {path}, which cannot be read ({exc.strerror}). Give the "
                            "full path of an API-format export, or paste its JSON instead.",
                            setting=WORKFLOW_VALVE) from exc
    if stat.st_size > MAX_WORKFLOW_BYTES:
        raise SettingsError(f"The workflow file {path} is {stat.st_size} bytes; the limit is {MAX_WORKFLOW_BYTES}.",
                            setting=WORKFLOW_VALVE)
    return _read_custom_file(str(path), stat.st_mtime_ns, (custom_params or "").strip())


@lru_cache(maxsize=16)
def _read_custom_file(path: str, _mtime_ns: int, params: str) -> Workflow:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"The workflow file {path} cannot be read: {exc}.", setting=WORKFLOW_VALVE) from exc
    return _parse_custom(text, params, Path(path).name)


@lru_cache(maxsize=16)
def _parse_custom(text: str, params: str, label: str) -> Workflow:
    if len(text) > MAX_WORKFLOW_BYTES:
        raise SettingsError(f"The custom workflow is {len(text)} characters; the limit is {MAX_WORKFLOW_BYTES}.",
                            setting=WORKFLOW_VALVE)
    data = _json(text, WORKFLOW_VALVE, "The custom workflow")
    mapping: Any = _json(params, PARAMS_VALVE, "The parameter map") if params else None
    if isinstance(data, dict) and "graph" in data and "parameters" in data:
        if mapping is not None:
            data = {**data, "parameters": {**data["parameters"], **mapping}}
        return parse_template_file(f"custom ({label})", data, setting=WORKFLOW_VALVE)
    return build_workflow(f"custom ({label})", "custom workflow", data, mapping if mapping is not None else {},
                          setting=WORKFLOW_VALVE, params_setting=PARAMS_VALVE)


def _json(text: str, setting: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SettingsError(f"{what} in {setting} is not valid JSON: {exc.msg} at line {exc.lineno}, "
                            f"column {exc.colno}.", setting=setting) from exc
