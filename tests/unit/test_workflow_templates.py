"""Workflow templates: they match the reference graphs, declare their parameter map, and refuse broken input."""
import ast
import json
import re
import typing
from pathlib import Path

import pytest

from alphaomega.agents.errors import SettingsError
from alphaomega.valves import Valves
from alphaomega.workflows.custom import select_workflow
from alphaomega.workflows.templates import PARAMETERS, REQUIRED_IN_TEMPLATES, load_template, template_names

REPO = Path(__file__).resolve().parents[2]
REFERENCES = REPO / "tests" / "data" / "comfyui_transcripts" / "workflows"
MATCHING = {
    "sdxl": "sdxl_base_txt2img.api.json",
    "sd15": "sd15_txt2img.api.json",
    "flux_schnell": "flux_schnell_checkpoint_ksampler.api.json",
    "flux_schnell_split": "flux_schnell_split_custom_sampler.api.json",
    "flux_dev": "flux_dev_split_custom_sampler.api.json",
}
NO_MODEL = (REFERENCES / "no_model_emptyimage_saveimage.api.json").read_text()


def test_the_dropdown_offers_every_template_and_custom():
    options = typing.get_args(Valves.model_fields["COMFYUI_WORKFLOW"].annotation)
    assert set(options) == set(template_names()) | {"custom"}
    assert Valves.model_fields["COMFYUI_WORKFLOW"].default == "sdxl"
    assert set(MATCHING) == set(template_names())


@pytest.mark.parametrize("name", sorted(MATCHING))
def test_template_graph_is_the_reference_graph(name):
    reference = json.loads((REFERENCES / MATCHING[name]).read_text())
    graph = load_template(name).graph
    for node in reference.values():
        if node["class_type"] == "SaveImage":
            node["inputs"]["filename_prefix"] = "AlphaOmega"
    assert graph == reference


@pytest.mark.parametrize("name", sorted(MATCHING))
def test_template_maps_each_parameter_to_a_literal_input(name):
    workflow = load_template(name)
    assert set(REQUIRED_IN_TEMPLATES) <= set(workflow.parameters)
    for parameter, refs in workflow.parameters.items():
        for ref in refs:
            value = workflow.graph[ref.node]["inputs"][ref.input]
            assert isinstance(value, PARAMETERS[parameter]) and not isinstance(value, list), (parameter, ref)
    assert workflow.native_size in ((1024, 1024), (512, 512))


def test_sdxl_is_mapped_as_the_notes_say():
    workflow = load_template("sdxl")
    mapped = {name: [str(ref) for ref in refs] for name, refs in workflow.parameters.items()}
    assert mapped == {"prompt": ["6.text"], "negative_prompt": ["7.text"], "width": ["5.width"],
                      "height": ["5.height"], "batch_size": ["5.batch_size"], "seed": ["3.seed"], "steps": ["3.steps"],
                      "cfg": ["3.cfg"], "sampler": ["3.sampler_name"], "scheduler": ["3.scheduler"],
                      "checkpoint": ["4.ckpt_name"]}
    assert workflow.default("steps") == 25 and workflow.default("sampler") == "dpmpp_2m"


def test_flux_dev_sends_the_size_to_the_latent_and_to_model_sampling():
    workflow = load_template("flux_dev")
    graph = workflow.render({"width": 1344, "height": 768, "prompt": "a fox", "checkpoint": "mine.safetensors",
                             "negative_prompt": "ignored", "cfg": 9.0})
    assert graph["5"]["inputs"]["width"] == graph["30"]["inputs"]["width"] == 1344
    assert graph["5"]["inputs"]["height"] == graph["30"]["inputs"]["height"] == 768
    assert graph["10"]["inputs"]["unet_name"] == "mine.safetensors"
    assert "negative_prompt" not in workflow.parameters and "cfg" not in workflow.parameters
    assert workflow.graph["5"]["inputs"]["width"] == 1024  # the template itself is untouched


def test_render_skips_none_and_unmapped_values():
    workflow = load_template("sd15")
    graph = workflow.render({"prompt": "x", "seed": None, "guidance": 3.0})
    assert graph["6"]["inputs"]["text"] == "x"
    assert graph["3"]["inputs"]["seed"] == workflow.default("seed")


def test_no_node_id_is_hard_coded_in_python():
    """Node ids live in the JSON templates only."""
    sources = [*REPO.joinpath("workflows").glob("*.py"), *REPO.joinpath("agents").glob("image_*.py")]
    assert len(sources) >= 8
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not re.fullmatch(r"\d{1,3}(\.\w+)?", node.value), f"{path.name}: {node.value!r}"


# --- custom workflows ----------------------------------------------------------------
def test_model_free_custom_workflow_inline_with_a_partial_map():
    workflow = select_workflow("custom", NO_MODEL, '{"width": "1.width", "height": "1.height", "n": "1.batch_size"}')
    assert not workflow.supports("prompt") and workflow.supports("batch_size")
    assert workflow.native_size == (64, 64)
    assert workflow.render({"width": 128, "batch_size": 2})["1"]["inputs"] == {
        "width": 128, "height": 64, "batch_size": 2, "color": 16744448}


def test_custom_workflow_from_a_file_and_openwebui_node_map(tmp_path):
    path = tmp_path / "flow.json"
    path.write_text((REFERENCES / "sd15_txt2img.api.json").read_text())
    nodes = [{"type": "prompt", "key": "text", "node_ids": ["6"]}, {"type": "model", "node_ids": ["4"]},
             {"type": "n", "key": "batch_size", "node_ids": ["5"]}, {"type": "seed", "key": "seed", "node_ids": ["3"]}]
    workflow = select_workflow("custom", str(path), json.dumps(nodes))
    assert {str(r) for refs in workflow.parameters.values() for r in refs} == {"6.text", "4.ckpt_name",
                                                                             "5.batch_size", "3.seed"}


def test_a_custom_file_in_template_format(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"title": "Mine", "parameters": {"width": ["1.width"], "height": ["1.height"]},
                                "graph": json.loads(NO_MODEL)}))
    workflow = select_workflow("custom", str(path))
    assert workflow.title == "Mine" and workflow.supports("width")


@pytest.mark.parametrize("source, params, setting, words", [
    ("", "", "COMFYUI_CUSTOM_WORKFLOW", "empty"),
    ("{not json", "", "COMFYUI_CUSTOM_WORKFLOW", "not valid JSON"),
    ('{"last_node_id": 2, "nodes": [], "links": []}', "", "COMFYUI_CUSTOM_WORKFLOW", "Export (API)"),
    ('{"1": {"inputs": {}}}', "", "COMFYUI_CUSTOM_WORKFLOW", "no class_type"),
    ('{"1": {"class_type": "SaveImage", "inputs": {"images": ["9", 0]}}}', "", "COMFYUI_CUSTOM_WORKFLOW", "node 9"),
    (NO_MODEL, '{"prompt": "6.text"}', "COMFYUI_CUSTOM_PARAMS", "not in the workflow"),
    (NO_MODEL, '{"width": "1.wide"}', "COMFYUI_CUSTOM_PARAMS", "no input called 'wide'"),
    (NO_MODEL, '{"width": "2.images"}', "COMFYUI_CUSTOM_PARAMS", "connected to another node"),
    (NO_MODEL, '{"prompt": "1.width"}', "COMFYUI_CUSTOM_PARAMS", "not a valid prompt"),
    (NO_MODEL, '{"colour": "1.color"}', "COMFYUI_CUSTOM_PARAMS", "Unknown parameter"),
    (NO_MODEL, '{"width": "width"}', "COMFYUI_CUSTOM_PARAMS", "node_id.input_name"),
    (NO_MODEL, '{"width": ', "COMFYUI_CUSTOM_PARAMS", "not valid JSON"),
    ("/no/such/flow.json", "", "COMFYUI_CUSTOM_WORKFLOW", "cannot be read"),
])
def test_broken_custom_workflows_name_the_valve(source, params, setting, words):
    with pytest.raises(SettingsError) as caught:
        select_workflow("custom", source, params)
    assert caught.value.setting == setting
    assert words in caught.value.user_message


def test_a_changed_file_is_read_again(tmp_path):
    path = tmp_path / "flow.json"
    path.write_text(NO_MODEL)
    assert select_workflow("custom", str(path)).graph["1"]["inputs"]["width"] == 64
    import os
    import time

    path.write_text(NO_MODEL.replace('"width": 64', '"width": 96'))
    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert select_workflow("custom", str(path)).graph["1"]["inputs"]["width"] == 96
