"""The ComfyUI HTTP client against the fake server: health, route prefix, and errors a user can act on."""
import json
import uuid

import pytest
import requests

from alphaomega.agents.errors import BackendUnavailable
from alphaomega.workflows.comfyui_client import ComfyUIClient
from alphaomega.workflows.comfyui_errors import ComfyUIAccessDenied, ComfyUIModelMissing, ComfyUIRejected
from alphaomega.workflows.comfyui_types import ImageRef, PromptRequest
from alphaomega.workflows.templates import load_template
from tests.fakes.comfyui import FakeComfyUI, Script
from tests.harness import free_port

TWO_OUTPUTS = {
    "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "missing.safetensors"}},
    "8": {"class_type": "VAEDecode", "inputs": {"samples": ["5", 0], "vae": ["4", 2]}},
    "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
    "9": {"class_type": "SaveImage", "inputs": {"images": ["8", 0], "filename_prefix": "a"}},
    "1": {"class_type": "EmptyImage", "inputs": {"width": 8, "height": 8, "batch_size": 1, "color": 0}},
    "2": {"class_type": "SaveImage", "inputs": {"images": ["1", 0], "filename_prefix": "b"}},
}


def request(graph: dict) -> PromptRequest:
    return PromptRequest(prompt=graph, client_id=uuid.uuid4().hex, prompt_id=str(uuid.uuid4()))


def test_health_prefers_the_api_prefix(fake_comfyui):
    client = ComfyUIClient(fake_comfyui.url, prefix=None)
    client.prefix = None
    assert client.health().version == "0.3.64"
    assert client.prefix == "/api"
    assert fake_comfyui.requests("GET", "system_stats")[-1].path == "/api/system_stats"


def test_an_old_server_without_api_routes_is_used_bare():
    with FakeComfyUI(api_routes=False) as old:
        client = ComfyUIClient(old.url)
        assert client.health().version == "0.3.64"
        assert client.prefix == ""
        assert [r.path for r in old.requests("GET")] == ["/api/system_stats", "/system_stats"]
        assert client.queue().queue_running == []


def test_unreachable_server_says_so_with_the_url():
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(BackendUnavailable) as caught:
        ComfyUIClient(url).health()
    assert caught.value.user_message.startswith(f"Image generation unavailable: ComfyUI at {url} is not reachable")
    assert "COMFYUI_URL" in caught.value.user_message


def test_something_else_at_the_url(fake_ollama):
    with pytest.raises(BackendUnavailable) as caught:
        ComfyUIClient(fake_ollama.url).health()
    assert "something else answers there" in caught.value.user_message


def test_missing_checkpoint_lists_what_is_installed(fake_comfyui):
    fake_comfyui.models["checkpoints"] = ["a.safetensors", "b.safetensors", "c.safetensors"]
    client = ComfyUIClient(fake_comfyui.url)
    with pytest.raises(ComfyUIModelMissing) as caught:
        client.submit(request(load_template("sdxl").graph))
    assert caught.value.user_message.startswith("Checkpoint sd_xl_base_1.0.safetensors is not installed. "
                                                "Installed: a.safetensors, b.safetensors, c.safetensors.")
    assert "CHECKPOINT valve" in caught.value.user_message
    assert caught.value.model == "sd_xl_base_1.0.safetensors" and caught.value.status == 400
    assert fake_comfyui.requests("GET", "/object_info/CheckpointLoaderSimple")


def test_the_installed_list_comes_from_object_info_even_when_comfyui_shortens_it(fake_comfyui):
    names = [f"model_{i:02}.safetensors" for i in range(25)]
    fake_comfyui.models["checkpoints"] = names
    with pytest.raises(ComfyUIModelMissing) as caught:
        ComfyUIClient(fake_comfyui.url).submit(request(load_template("sd15").graph))
    assert f"Installed: {', '.join(names)}." in caught.value.user_message
    assert "list of length 25" in caught.value.detail  # what ComfyUI itself said


def test_nothing_installed(fake_comfyui):
    with pytest.raises(ComfyUIModelMissing) as caught:
        ComfyUIClient(fake_comfyui.url).submit(request(load_template("sd15").graph))
    assert "Checkpoint v1-5-pruned-emaonly.safetensors is not installed. Installed: none." in caught.value.user_message


def test_flux_split_names_each_missing_file(fake_comfyui):
    with pytest.raises(ComfyUIModelMissing) as caught:
        ComfyUIClient(fake_comfyui.url).submit(request(load_template("flux_dev").graph))
    message = caught.value.user_message
    for part in ("Diffusion model flux1-dev.safetensors is not installed. Installed: none.",
                 "Text encoder clip_l.safetensors is not installed", "Text encoder t5xxl_fp8_e4m3fn.safetensors",
                 "VAE ae.safetensors is not installed. Installed: pixel_space.", "models/diffusion_models",
                 "models/text_encoders", "models/vae"):
        assert part in message


def test_other_validation_errors_are_spelled_out(fake_comfyui):
    graph = {"1": {"class_type": "NoSuchNode", "inputs": {}},
             "2": {"class_type": "SaveImage", "inputs": {"images": ["1", 0], "filename_prefix": "x"}}}
    with pytest.raises(ComfyUIRejected) as caught:
        ComfyUIClient(fake_comfyui.url).submit(request(graph))
    assert caught.value.user_message == ("ComfyUI rejected the workflow: Cannot execute because node NoSuchNode does "
                                         "not exist. (Node ID '#1').")
    graph = {"1": {"class_type": "EmptyImage", "inputs": {"width": 0, "height": 8, "batch_size": 1, "color": 0}},
             "2": {"class_type": "SaveImage", "inputs": {"images": ["1", 0], "filename_prefix": "x"}}}
    with pytest.raises(ComfyUIRejected) as caught:
        ComfyUIClient(fake_comfyui.url).submit(request(graph))
    assert "node 1 (EmptyImage) Value 0 smaller than min of 1: width." in caught.value.user_message


def test_a_plain_text_500_gets_a_generic_message(fake_comfyui):
    fake_comfyui.push(Script(prompt_status=500))
    with pytest.raises(ComfyUIRejected) as caught:
        ComfyUIClient(fake_comfyui.url).submit(request(load_template("sd15").graph))
    assert caught.value.status == 500
    assert caught.value.user_message.startswith("ComfyUI could not process the image request (HTTP 500).")
    assert "Server got itself in trouble" not in caught.value.user_message
    assert "Server got itself in trouble" in caught.value.detail


def test_a_200_with_node_errors_is_an_error_and_the_job_is_withdrawn(fake_comfyui):
    client = ComfyUIClient(fake_comfyui.url)
    sent = request(TWO_OUTPUTS)
    with pytest.raises(ComfyUIModelMissing) as caught:
        client.submit(sent)
    assert caught.value.status == 200
    assert caught.value.user_message.startswith("ComfyUI accepted only part of the workflow and dropped the rest: "
                                                "Checkpoint missing.safetensors is not installed.")
    assert [r.body for r in fake_comfyui.requests("POST", "/queue")] == [{"delete": [sent.prompt_id]}]
    assert [r.body for r in fake_comfyui.requests("POST", "/interrupt")] == [{"prompt_id": sent.prompt_id}]


def test_cancel_is_targeted_and_never_a_bare_interrupt(fake_comfyui):
    ComfyUIClient(fake_comfyui.url).cancel("abc")
    posts = [(r.path, r.body) for r in fake_comfyui.requests("POST")]
    assert posts == [("/api/queue", {"delete": ["abc"]}), ("/api/interrupt", {"prompt_id": "abc"})]


def test_cancel_never_raises_when_comfyui_is_gone():
    ComfyUIClient(f"http://127.0.0.1:{free_port()}").cancel("abc")


def test_view_refuses_a_missing_file(fake_comfyui):
    with pytest.raises(ComfyUIRejected) as caught:
        ComfyUIClient(fake_comfyui.url).view(ImageRef(filename="nope.png"))
    assert "HTTP 404" in caught.value.user_message


def test_history_of_an_unknown_prompt_is_none(fake_comfyui):
    assert ComfyUIClient(fake_comfyui.url).history(str(uuid.uuid4())) is None


def test_a_history_entry_of_another_shape_is_explained_not_dumped(fake_comfyui):
    prompt_id = str(uuid.uuid4())
    fake_comfyui._history[prompt_id] = {"outputs": ["not", "a", "mapping"]}  # a proxy or a fork of ComfyUI
    with pytest.raises(ComfyUIRejected) as caught:
        ComfyUIClient(fake_comfyui.url).history(prompt_id)
    assert "does not understand" in caught.value.user_message and "ask again" in caught.value.user_message
    assert "validation error" not in caught.value.user_message and "outputs" in caught.value.detail


def test_api_key_goes_to_http_and_websocket(fake_comfyui):
    client = ComfyUIClient(fake_comfyui.url, api_key="sekrit")
    client.health()
    ws = client.websocket("c1")
    ws.close()
    assert fake_comfyui.requests("GET", "system_stats")[-1].headers["Authorization"] == "Bearer sekrit"
    connect = fake_comfyui.requests("WS")[-1]
    assert connect.headers["Authorization"] == "Bearer sekrit" and connect.client_id == "c1"
    assert "Origin" not in connect.headers
    assert json.dumps(connect.path).count("clientId=c1") == 1


def test_a_download_cut_midway_is_a_dropped_connection(fake_comfyui):
    picture = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 2000
    requests.post(fake_comfyui.url + "/upload/image", files={"image": ("big.png", picture, "image/png")},
                  data={"type": "output"}, timeout=10).raise_for_status()
    client = ComfyUIClient(fake_comfyui.url)
    assert client.view(ImageRef(filename="big.png")).data == picture
    fake_comfyui.cut_views_after = 100_000
    with pytest.raises(BackendUnavailable) as caught:
        client.view(ImageRef(filename="big.png"))
    assert caught.value.user_message == (
        f"The connection to ComfyUI at {fake_comfyui.url} dropped while the picture big.png was downloading. Check "
        "that ComfyUI is still running (and any proxy in front of it), then ask again.")
    assert "IncompleteRead" in caught.value.detail or "Connection broken" in caught.value.detail


@pytest.mark.parametrize("key, status", [("", 401), ("wrong", 403)])
def test_a_server_that_wants_a_key_names_the_key_valve(fake_comfyui, key, status):
    fake_comfyui.api_key = "right"
    with pytest.raises(BackendUnavailable) as caught:
        ComfyUIClient(fake_comfyui.url, api_key=key, prefix=None).health()
    assert caught.value.status == status
    assert caught.value.user_message == (
        f"ComfyUI at {fake_comfyui.url} refused AlphaOmega (HTTP {status}): it wants an API key. Set the "
        "COMFYUI_API_KEY valve to a key it accepts.")
    assert ComfyUIClient(fake_comfyui.url, api_key="right").health().version == "0.3.64"
    with pytest.raises(ComfyUIAccessDenied):  # the same answer to a later call (the key was changed meanwhile)
        ComfyUIClient(fake_comfyui.url, api_key=key, prefix="/api").submit(request(load_template("sd15").graph))
