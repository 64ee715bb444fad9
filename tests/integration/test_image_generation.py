"""Image generation through the real Pipelines server, against the fake ComfyUI (and the fake Ollama)."""
import base64
import json
import re
import threading
import time

import pytest
import requests

from alphaomega.workflows.png_metadata import text_chunks
from tests.fakes.comfyui import Script
from tests.harness import free_port, sse_events, status_events, stream_text

pytestmark = pytest.mark.integration

SD15 = "v1-5-pruned-emaonly.safetensors"
SDXL = "sd_xl_base_1.0.safetensors"
NO_MODEL = json.dumps({"1": {"class_type": "EmptyImage", "inputs": {"width": 64, "height": 64, "batch_size": 1,
                                                                     "color": 16744448}},
                       "2": {"class_type": "SaveImage", "inputs": {"images": ["1", 0], "filename_prefix": "x"}}})


@pytest.fixture
def comfy(pipelines, fake_comfyui):
    """The server pointed at the fake ComfyUI with SD 1.5 installed and a short timeout."""
    fake_comfyui.models["checkpoints"] = [SD15, SDXL]
    pipelines.update_valves(COMFYUI_URL=fake_comfyui.url, COMFYUI_WORKFLOW="sd15", IMAGE_TIMEOUT=60)
    return fake_comfyui


def images_of(events: list) -> list[str]:
    return [image["image_url"]["url"] for e in events if isinstance(e, dict) and e.get("choices")
            for image in e["choices"][0]["delta"].get("images") or []]


def png_of(data_uri: str) -> bytes:
    assert data_uri.startswith("data:image/png;base64,")
    return base64.b64decode(data_uri.split(",", 1)[1])


def submitted(fake) -> dict:
    return fake.prompts()[-1]


def cancels(fake, prompt_id: str) -> list:
    """POST /queue and /interrupt bodies for one job; never a bare interrupt for anyone.

    (A job abandoned in an earlier test may still be cancelled once more when its generator is collected.)"""
    bodies = [(r.path.rsplit("/", 1)[-1], r.body) for r in fake.requests("POST") if not r.path.endswith("/prompt")]
    assert all(isinstance(body, dict) and body for _, body in bodies), bodies
    return [(path, body) for path, body in bodies if prompt_id in json.dumps(body)]


def test_streamed_image_with_progress_then_the_picture(pipelines, comfy):
    events = pipelines.stream("/image a red fox in the snow")
    statuses = [s["description"] for s in status_events(events)]
    assert "Sampling step 1/20" in statuses and "Sampling step 20/20" in statuses
    assert statuses.index("Sent to ComfyUI") < statuses.index("Sampling step 1/20")
    assert status_events(events)[-1]["done"] is True and statuses[-1].startswith("Image ready in")
    [uri] = images_of(events)
    png = png_of(uri)
    assert png.startswith(b"\x89PNG") and text_chunks(png) == {}  # ComfyUI's metadata is stripped
    assert "/view" not in json.dumps(events)
    text = stream_text(events)
    assert text.startswith("Here is “a red fox in the snow” (Stable Diffusion 1.5, 512×512, seed ")
    graph = submitted(comfy)["prompt"]
    assert graph["6"]["inputs"]["text"] == "a red fox in the snow"
    assert graph["7"]["inputs"]["text"] == "blurry, low quality"
    assert (graph["5"]["inputs"]["width"], graph["5"]["inputs"]["height"]) == (512, 512)
    assert graph["4"]["inputs"]["ckpt_name"] == SD15
    assert f"seed {graph['3']['inputs']['seed']}" in text
    assert events[-1] == "[DONE]"


def test_non_streamed_gives_a_markdown_image(pipelines, comfy):
    answer = pipelines.chat("/image a lighthouse")
    match = re.search(r"!\[a lighthouse\]\((data:image/png;base64,[A-Za-z0-9+/=]+)\)", answer)
    assert match and text_chunks(png_of(match.group(1))) == {}
    assert "Sampling" not in answer and "event" not in answer


def test_metadata_is_kept_when_the_valve_says_so(pipelines, comfy):
    pipelines.update_valves(COMFYUI_STRIP_METADATA=False)
    [uri] = images_of(pipelines.stream("/image a lighthouse"))
    assert b"a lighthouse" in text_chunks(png_of(uri))["prompt"]


def test_words_set_size_seed_negatives_and_count(pipelines, comfy):
    pipelines.update_valves(COMFYUI_WORKFLOW="sdxl", NEGATIVE_PROMPT="blurry")
    events = pipelines.stream("/image three variations of a lighthouse at dusk in 16:9, seed 42, no text")
    inputs = {node_id: node["inputs"] for node_id, node in submitted(comfy)["prompt"].items()}
    assert inputs["6"]["text"] == "a lighthouse at dusk"
    assert inputs["7"]["text"] == "blurry, text"
    assert (inputs["5"]["width"], inputs["5"]["height"], inputs["5"]["batch_size"]) == (1344, 768, 3)
    assert inputs["3"]["seed"] == 42 and inputs["3"]["steps"] == 25
    assert len(images_of(events)) == 3
    assert "Here are 3 images of “a lighthouse at dusk” (SDXL base 1.0, 1344×768, seed 42)." in stream_text(events)


def test_valves_steps_cfg_checkpoint_and_size(pipelines, comfy):
    comfy.models["checkpoints"] = ["mine.safetensors"]
    pipelines.update_valves(COMFYUI_WORKFLOW="sdxl", STEPS=3, CFG=4.5, CHECKPOINT="mine.safetensors",
                            IMAGE_SIZE="portrait")
    pipelines.stream("/image a fox")
    inputs = submitted(comfy)["prompt"]
    assert inputs["3"]["inputs"]["steps"] == 3 and inputs["3"]["inputs"]["cfg"] == 4.5
    assert inputs["4"]["inputs"]["ckpt_name"] == "mine.safetensors"
    assert (inputs["5"]["inputs"]["width"], inputs["5"]["inputs"]["height"]) == (832, 1280)


def test_comfyui_unreachable_and_the_rest_still_works(pipelines, fake_ollama, fake_comfyui):
    url = f"http://127.0.0.1:{free_port()}"
    pipelines.update_valves(COMFYUI_URL=url)
    events = pipelines.stream("/image a red fox")
    assert stream_text(events).startswith(f"⚠️ Image generation unavailable: ComfyUI at {url} is not reachable")
    assert pipelines.chat("/image a red fox").startswith(f"⚠️ Image generation unavailable: ComfyUI at {url} is "
                                                         "not reachable")
    assert pipelines.chat("/chat hello") == "Hello from mistral. This is a test answer."


def test_a_comfyui_that_wants_a_key(pipelines, comfy):
    comfy.api_key = "sekrit"
    events = pipelines.stream("/image a red fox")
    assert stream_text(events) == (f"⚠️ ComfyUI at {comfy.url} refused AlphaOmega (HTTP 401): it wants an API key. "
                                   "Set the COMFYUI_API_KEY valve to a key it accepts.")
    assert status_events(events)[-1] == {"description": "ComfyUI wants an API key", "done": True}
    pipelines.update_valves(COMFYUI_API_KEY="sekrit")
    assert len(images_of(pipelines.stream("/image a red fox"))) == 1


def test_missing_checkpoint(pipelines, comfy):
    comfy.models["checkpoints"] = ["a.safetensors", "b.safetensors", "c.safetensors"]
    answer = pipelines.chat("/image a red fox")
    assert answer.startswith("⚠️ Checkpoint v1-5-pruned-emaonly.safetensors is not installed. Installed: "
                             "a.safetensors, b.safetensors, c.safetensors.")
    events = pipelines.stream("/image a red fox")
    assert status_events(events)[-1] == {"description": "Model file not installed", "done": True}


def test_execution_error_names_the_node(pipelines, comfy):
    comfy.push(Script(fail_node="VAEDecode", exception_type="torch.OutOfMemoryError",
                      exception_message="Allocation on device"))
    answer = pipelines.chat("/image a red fox")
    assert answer == ("⚠️ ComfyUI failed while running node 8 (VAEDecode): torch.OutOfMemoryError: Allocation on "
                      "device. The ComfyUI console has the full traceback.")


def test_a_picture_download_cut_midway(pipelines, comfy):
    comfy.cut_views_after = 50
    answer = pipelines.chat("/image a red fox")
    assert answer == (f"⚠️ The connection to ComfyUI at {comfy.url} dropped while the picture AlphaOmega_00001_.png "
                      "was downloading. Check that ComfyUI is still running (and any proxy in front of it), then ask "
                      "again.")


def test_a_plain_500(pipelines, comfy):
    comfy.push(Script(prompt_status=500))
    assert pipelines.chat("/image a red fox").startswith("⚠️ ComfyUI could not process the image request (HTTP 500).")


def test_a_broken_custom_workflow_names_the_valve(pipelines, comfy):
    pipelines.update_valves(COMFYUI_WORKFLOW="custom", COMFYUI_CUSTOM_WORKFLOW='{"nodes": [], "links": []}')
    assert "Export (API)" in pipelines.chat("/image a red fox")


def test_model_free_custom_workflow(pipelines, comfy):
    pipelines.update_valves(COMFYUI_WORKFLOW="custom", COMFYUI_CUSTOM_WORKFLOW=NO_MODEL,
                            COMFYUI_CUSTOM_PARAMS='{"width": "1.width", "height": "1.height"}')
    events = pipelines.stream("/image anything, 16:9")
    [uri] = images_of(events)
    png = png_of(uri)
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (64, 64)
    assert "no prompt input" in stream_text(events)


def test_dropped_websocket_mid_job(pipelines, comfy):
    comfy.push(Script(drop_ws_after_step=3, step_delay=0.02))
    events = pipelines.stream("/image a red fox")
    statuses = [s["description"] for s in status_events(events)]
    assert "Lost the live connection to ComfyUI; checking on the job…" in statuses
    assert len(images_of(events)) == 1
    assert len({r.client_id for r in comfy.requests("WS")}) == 1 and len(comfy.requests("WS")) == 2


def test_stop_cancels_the_job(pipelines, comfy):
    pipelines.update_valves(STEPS=200)
    comfy.push(Script(step_delay=0.1))
    response = pipelines.complete("/image a slow red fox", stream=True)
    for event in sse_events(response):
        if isinstance(event, dict) and "Sampling step " in json.dumps(event):
            break
    response.close()
    stopped = time.monotonic()
    prompt_id = submitted(comfy)["prompt_id"]
    # The server never closes the abandoned generator: the Stop watchdog notices it stopped being read.
    sent = comfy.wait_for(lambda: (lambda found: found if len(found) >= 2 else None)(cancels(comfy, prompt_id)),
                          timeout=30)
    assert sent[:2] == [("queue", {"delete": [prompt_id]}), ("interrupt", {"prompt_id": prompt_id})]
    assert time.monotonic() - stopped < 15
    entry = comfy.wait_for(lambda: comfy.history_entry(prompt_id), timeout=10)
    assert entry["status"]["messages"][-1][0] == "execution_interrupted"


def test_timeout_cancels_the_job(pipelines, comfy):
    pipelines.update_valves(IMAGE_TIMEOUT=0.5)
    comfy.push(Script(step_delay=0.2))
    answer = pipelines.chat("/image a slow red fox")
    assert answer.startswith("⚠️ The image took longer than 0.5 s (the IMAGE_TIMEOUT valve), so the job was cancelled")
    prompt_id = submitted(comfy)["prompt_id"]
    assert cancels(comfy, prompt_id) == [("queue", {"delete": [prompt_id]}), ("interrupt", {"prompt_id": prompt_id})]


def test_two_users_one_slot_second_waits_its_turn(pipelines, comfy):
    pipelines.update_valves(COMFYUI_MAX_JOBS=1)
    comfy.default = Script(step_delay=0.03)
    results: dict[str, list] = {}

    def ask(name: str, delay: float) -> None:
        time.sleep(delay)
        results[name] = pipelines.stream(f"/image a picture for {name}")

    threads = [threading.Thread(target=ask, args=("alice", 0)), threading.Thread(target=ask, args=("bob", 0.3))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    waiting = [s["description"] for s in status_events(results["bob"])]
    assert "Waiting for a free ComfyUI slot: 1st in line (0 s)" in waiting
    assert len(images_of(results["alice"])) == len(images_of(results["bob"])) == 1
    bodies = comfy.prompts()
    assert len({body["client_id"] for body in bodies}) == 2
    first_done = comfy.history_entry(bodies[0]["prompt_id"])["status"]["messages"][-1][1]["timestamp"]
    second_start = comfy.history_entry(bodies[1]["prompt_id"])["status"]["messages"][0][1]["timestamp"]
    assert second_start >= first_done  # one job at a time reached ComfyUI


def test_enhanced_prompt(pipelines, comfy, fake_ollama):
    fake_ollama.on_chat = lambda body: "A red fox curled in deep snow at golden hour, soft light, 35mm photo."
    pipelines.update_valves(ENHANCE_PROMPT=True)
    events = pipelines.stream("/image a red fox")
    assert "Writing a detailed prompt with mistral…" in [s["description"] for s in status_events(events)]
    sent = fake_ollama.chats()[-1]
    assert sent["stream"] is False and sent["messages"][-1] == {"role": "user", "content": "a red fox"}
    assert submitted(comfy)["prompt"]["6"]["inputs"]["text"].startswith("A red fox curled in deep snow")
    assert "Prompt used: A red fox curled in deep snow" in stream_text(events)


def test_enhancement_failing_falls_back_to_the_words(pipelines, comfy, fake_ollama):
    from tests.fakes.ollama import Script as OllamaScript

    fake_ollama.default = OllamaScript(status=500)
    pipelines.update_valves(ENHANCE_PROMPT=True)
    events = pipelines.stream("/image a red fox")
    assert len(images_of(events)) == 1
    assert submitted(comfy)["prompt"]["6"]["inputs"]["text"] == "a red fox"
    assert "used as written" in stream_text(events)


def test_nothing_to_draw(pipelines, comfy):
    assert pipelines.chat("/image ").startswith("Tell me what to draw")
    assert not comfy.prompts()


def test_routing_log_names_the_workflow(pipelines, comfy):
    pipelines.stream("/image a red fox")
    log = (pipelines.data_dir / "logs" / "pipeline.log").read_text().strip().splitlines()
    record = json.loads(log[-1])
    assert record["intent"] == "image_generation" and record["model"] == "sd15" and record["outcome"] == "ok"


def test_health_is_checked_through_system_stats_every_time(pipelines, comfy):
    pipelines.stream("/image a red fox")
    assert comfy.requests("GET", "/system_stats")
    assert requests.get(comfy.url + "/api/queue", timeout=5).json() == {"queue_running": [], "queue_pending": []}
