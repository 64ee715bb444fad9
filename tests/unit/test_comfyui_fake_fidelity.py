"""The fake ComfyUI must not drift from the recorded real-server transcripts.

HTTP cases are replayed and compared on status, content type and the whole JSON body. Websocket
cases replay the recorded request sequence and compare every frame in order, with prompt ids
replaced by placeholders and timestamps dropped; binary frames by event type, image type and
metadata. Where ComfyUI iterates a Python set (the errors of one node), order is not compared.
"""
import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests
import websocket

from tests.fakes.comfyui import FakeComfyUI, Script

TRANSCRIPTS = Path(__file__).resolve().parent.parent / "data" / "comfyui_transcripts"
FLAGS = json.dumps({"type": "feature_flags", "data": {"supports_preview_metadata": True}})


def load(name: str) -> dict:
    return json.loads((TRANSCRIPTS / f"{name}.json").read_text())


class Socket:
    """A websocket client that files every frame, normalised, as it arrives."""

    def __init__(self, fake: FakeComfyUI, client_id: str, flags: bool = False):
        self.ws = websocket.create_connection(f"{fake.url.replace('http', 'ws')}/ws?clientId={client_id}", timeout=10)
        if flags:
            self.ws.send(FLAGS)
        self.frames: list[Any] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            while True:
                opcode, data = self.ws.recv_data()
                if opcode == websocket.ABNF.OPCODE_TEXT:
                    self.frames.append(json.loads(data))
                elif opcode == websocket.ABNF.OPCODE_BINARY:
                    self.frames.append(describe_binary(data))
                else:
                    return
        except Exception:
            return

    def wait_for(self, predicate, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(predicate(frame) for frame in list(self.frames)):
                return
            time.sleep(0.005)
        raise AssertionError(f"frame not seen; got {[f.get('type') for f in self.frames]}")

    def wait_done(self, prompt_id: str) -> None:
        self.wait_for(lambda f: f.get("type") == "executing" and f["data"] == {"node": None, "prompt_id": prompt_id})

    def close(self) -> None:
        self.ws.close()


def describe_binary(data: bytes) -> dict:
    event = int.from_bytes(data[:4], "big")
    if event == 4:
        length = int.from_bytes(data[4:8], "big")
        return {"binary": 4, "metadata": json.loads(data[8:8 + length]), "magic": data[8 + length:16 + length].hex()}
    return {"binary": event, "image_type": int.from_bytes(data[4:8], "big"), "magic": data[8:16].hex()}


def recorded_frame(entry: dict) -> dict | None:
    if "text" in entry:
        return entry["text"]
    if entry.get("binary"):
        if entry["event_type"] == 4:
            return {"binary": 4, "metadata": entry["metadata"], "magic": entry["image_magic_hex"]}
        return {"binary": entry["event_type"], "image_type": entry["image_type"], "magic": entry["image_magic_hex"]}
    return None  # the close frame


def normalise(value: Any, ids: dict[str, str]) -> Any:
    """Prompt ids -> P1, P2... in order of appearance; timestamps dropped."""
    if isinstance(value, dict):
        return {normalise(k, ids): normalise(v, ids) for k, v in value.items() if k != "timestamp"}
    if isinstance(value, list):
        return [normalise(v, ids) for v in value]
    if isinstance(value, str) and len(value) == 36 and value.count("-") == 4:
        return ids.setdefault(value, f"P{len(ids) + 1}")
    return value


def frames_of(entries: list[dict]) -> list[Any]:
    return [frame for frame in map(recorded_frame, entries) if frame is not None]


def same_frames(got: list[Any], recorded: list[Any], loose_status: bool = False) -> None:
    """Frame by frame. `loose_status`: broadcast queue counters may interleave differently with one client's
    frames when several requests race (they did in d1); compare them in their own order, apart from the rest."""
    got, recorded = normalise(got, {}), normalise(recorded, {})
    if loose_status:
        def broadcast(frame: Any) -> bool:
            return frame.get("type") == "status" and "sid" not in frame["data"]

        assert [f for f in got if broadcast(f)] == [f for f in recorded if broadcast(f)]
        got, recorded = [f for f in got if not broadcast(f)], [f for f in recorded if not broadcast(f)]
    assert [f.get("type", f.get("binary")) for f in got] == [f.get("type", f.get("binary")) for f in recorded]
    for index, (mine, theirs) in enumerate(zip(got, recorded, strict=True)):
        assert mine == theirs, f"frame {index}"


@pytest.fixture
def fake():
    with FakeComfyUI() as server:
        yield server


def post(fake: FakeComfyUI, path: str, body: Any) -> requests.Response:
    data = body if isinstance(body, str) else json.dumps(body)
    return requests.post(fake.url + path, data=data, headers={"Content-Type": "application/json"}, timeout=10)


def assert_same_response(response: requests.Response, recorded: dict) -> None:
    assert response.status_code == recorded["status"]
    assert response.headers.get("Content-Type") == recorded["headers"].get("Content-Type")
    body = recorded["body"]
    if isinstance(body, dict) and "_binary_len" in body:
        assert len(response.content) == body["_binary_len"] == 0
    elif isinstance(body, str):
        assert response.text == body
    else:
        assert sort_node_errors(response.json()) == sort_node_errors(body)


def sort_node_errors(body: Any) -> Any:
    if isinstance(body, dict) and isinstance(body.get("node_errors"), dict):
        body = json.loads(json.dumps(body))
        for node in body["node_errors"].values():
            node["errors"].sort(key=lambda e: json.dumps(e, sort_keys=True))
    return body


# --- HTTP --------------------------------------------------------------------------
@pytest.mark.parametrize("case", [c["case"] for c in load("b_c_validation_errors")["cases"]])
def test_validation_errors_and_small_gets(fake, case):
    recorded = next(c for c in load("b_c_validation_errors")["cases"] if c["case"] == case)
    request = recorded["request"]
    if request["method"] == "POST":
        response = post(fake, request["path"], request["body"])
    else:
        response = requests.get(fake.url + request["path"], timeout=10)
    if request["path"] == "/system_stats":
        assert response.json().keys() == recorded["response"]["body"].keys()
        return
    assert_same_response(response, recorded["response"])
    if request["path"] == "/prompt" and request["method"] == "POST":
        assert response.headers["Server"].startswith("Python/") and "aiohttp/" in response.headers["Server"]


@pytest.mark.parametrize("name", list(load("g_reference_workflows_validation")["results"]))
def test_reference_workflows_fail_only_for_missing_model_files(fake, name):
    fake.models["checkpoints"] = ["random_sd15_fp16.safetensors"]
    recorded = load("g_reference_workflows_validation")["results"][name]
    response = post(fake, "/prompt", {"prompt": recorded["workflow"], "client_id": "x"})
    assert_same_response(response, recorded["response"])


def test_prompt_history_and_view_shapes(fake):
    recorded = load("a1_emptyimage_saveimage")
    socket = Socket(fake, recorded["client_id"])
    first = post(fake, "/prompt", recorded["http"][0]["request"]["body"])
    assert first.json() == {"prompt_id": first.json()["prompt_id"], "number": 0, "node_errors": {}}
    prompt_id = first.json()["prompt_id"]
    socket.wait_done(prompt_id)
    history = requests.get(f"{fake.url}/history/{prompt_id}", timeout=10)
    expected = recorded["http"][1]["response"]
    assert history.headers["Content-Type"] == expected["headers"]["Content-Type"]
    assert normalise(history.json(), {}) == normalise(expected["body"], {})
    view = requests.get(fake.url + recorded["http"][3]["request"]["path"], timeout=10)
    assert view.status_code == 200 and view.headers["Content-Type"] == "image/png"
    assert view.headers["Content-Disposition"] == 'filename="alphaomega_test_00001_.png"'
    assert view.content.startswith(bytes.fromhex("89504e470d0a1a0a0000000d49484452"))
    assert b"tEXtprompt\x00" in view.content  # SaveImage embeds the graph, as in a1_view_output.png
    for entry in recorded["http"][4:7]:
        assert_same_response(requests.get(fake.url + entry["request"]["path"], timeout=10), entry["response"])
    socket.close()


def test_queue_endpoints_and_misc(fake):
    cases = {(c["request"]["method"], c["request"]["path"]): c for c in load("f_misc_endpoints")["cases"]
             if "body" in c["request"]}
    for path in ("/queue", "/prompt"):
        assert_same_response(requests.get(fake.url + path, timeout=10), cases[("GET", path)]["response"])
    for body in ({"unload_models": True, "free_memory": True},):
        assert post(fake, "/free", body).status_code == 200
    idle = post(fake, "/interrupt", {})
    assert idle.status_code == 200 and idle.content == b"" and "Content-Type" not in idle.headers
    cleared = post(fake, "/queue", {"clear": True})
    assert cleared.status_code == 200 and cleared.content == b""
    fake.models["checkpoints"] = ["random_sd15_fp16.safetensors"]
    assert requests.get(fake.url + "/models/checkpoints", timeout=10).json() == ["random_sd15_fp16.safetensors"]
    assert requests.get(fake.url + "/api/models/checkpoints", timeout=10).json() == ["random_sd15_fp16.safetensors"]


def test_upload_image_names(fake):
    def upload(data: bytes, **fields):
        return requests.post(fake.url + "/upload/image", files={"image": ("ao_upload.png", data, "image/png")},
                             data=fields, timeout=10).json()

    assert upload(b"one", type="input") == {"name": "ao_upload.png", "subfolder": "", "type": "input"}
    assert upload(b"one", type="input") == {"name": "ao_upload.png", "subfolder": "", "type": "input"}
    assert upload(b"two", type="input") == {"name": "ao_upload (1).png", "subfolder": "", "type": "input"}
    assert upload(b"three", type="input", overwrite="true")["name"] == "ao_upload.png"
    assert upload(b"one", type="input", subfolder="alphaomega")["subfolder"] == "alphaomega"
    assert requests.post(fake.url + "/upload/image", data={"type": "input"}, timeout=10).status_code == 400


# --- websocket sequences --------------------------------------------------------------
def test_a1_run_cached_rerun_and_api_prefix(fake):
    recorded = load("a1_emptyimage_saveimage")
    socket = Socket(fake, recorded["client_id"])
    for entry in (recorded["http"][0], recorded["http"][7], recorded["http"][9]):
        request = entry["request"]
        response = post(fake, request["path"], request["body"])
        assert response.json()["node_errors"] == {}
        socket.wait_done(response.json()["prompt_id"])
    same_frames(socket.frames, frames_of(recorded["ws_messages"]))
    socket.close()


def test_a4_websocket_images_and_temp_previews(fake):
    recorded = load("a4_saveimagewebsocket_previewimage")
    socket = Socket(fake, recorded["client_id"])
    graph = recorded["workflow"]
    # ComfyUI orders output nodes by a Python set; the recording ran node 3 before 2.
    response = post(fake, "/prompt", {"prompt": {k: graph[k] for k in ("1", "3", "2")},
                                      "client_id": recorded["client_id"]})
    socket.wait_done(response.json()["prompt_id"])
    got = [f if "binary" not in f else {**f, "magic": f["magic"]} for f in socket.frames]
    expected = frames_of(recorded["ws_messages"])
    for frame in got + expected:  # PreviewImage's random temp prefix differs per server start
        for image in ((frame.get("data") or {}).get("output") or {}).get("images", []):
            image["filename"] = image["filename"][:13] + image["filename"][18:]
    same_frames(got, expected)
    socket.close()


def test_a5_feature_flags_and_a_second_client_sees_only_status(fake):
    recorded = load("a5_feature_flags_and_second_socket")
    submitter = Socket(fake, recorded["client_id"], flags=True)
    submitter.wait_for(lambda f: f.get("type") == "feature_flags")
    other = Socket(fake, recorded["other_client_id"])
    other.wait_for(lambda f: f.get("type") == "status")
    response = post(fake, "/prompt", recorded["post"]["request"]["body"])
    submitter.wait_done(response.json()["prompt_id"])
    other.wait_for(lambda f: f.get("type") == "status" and f["data"]["status"]["exec_info"]["queue_remaining"] == 0
                   and "sid" not in f["data"])
    same_frames(submitter.frames, frames_of(recorded["ws_messages_submitter"]))
    same_frames(other.frames, frames_of(recorded["ws_messages_other_client"]))


def test_d2_execution_error(fake):
    recorded = load("d2_execution_error")
    fake.push(Script(fail_node="1"))
    socket = Socket(fake, recorded["client_id"])
    response = post(fake, "/prompt", recorded["http"][0]["request"]["body"])
    prompt_id = response.json()["prompt_id"]
    socket.wait_done(prompt_id)
    expected = frames_of(recorded["ws_messages"])
    error_got = next(f for f in socket.frames if f.get("type") == "execution_error")["data"]
    error_expected = next(f for f in expected if f.get("type") == "execution_error")["data"]
    assert {k for k in error_got} == {k for k in error_expected}
    for key in ("node_id", "node_type", "executed", "exception_message", "exception_type", "current_inputs",
                "current_outputs"):
        assert error_got[key] == error_expected[key], key
    for frame in socket.frames + expected:  # the traceback text is the fake's own
        if frame.get("type") == "execution_error":
            frame["data"]["traceback"] = []
    same_frames(socket.frames, expected)
    history = requests.get(f"{fake.url}/history/{prompt_id}", timeout=10).json()[prompt_id]
    assert history["status"]["status_str"] == "error" and history["status"]["completed"] is False
    assert history["outputs"] == {} and history["meta"] == {}


def test_e1_e2_e3_txt2img_previews_cache_and_interrupt(fake):
    fake.models["checkpoints"] = ["random_sd15_fp16.safetensors"]
    e1, e2, e3 = (load(n) for n in ("e1_txt2img_random_sd15_preview_metadata", "e2_txt2img_random_sd15_legacy_preview",
                                    "e3_txt2img_interrupt_mid_sampling"))
    first = Socket(fake, e1["client_id"], flags=True)
    first.wait_for(lambda f: f.get("type") == "feature_flags")
    prompt_id = post(fake, "/prompt", e1["http"][0]["request"]["body"]).json()["prompt_id"]
    first.wait_done(prompt_id)
    same_frames(first.frames, frames_of(e1["ws_messages"]))
    first.close()

    second = Socket(fake, e2["client_id"])
    prompt_id = post(fake, "/prompt", e2["http"][0]["request"]["body"]).json()["prompt_id"]
    second.wait_done(prompt_id)
    same_frames(second.frames, frames_of(e2["ws_messages"]))
    second.close()

    fake.step_delay = 0.3
    third = Socket(fake, e3["client_id"])
    prompt_id = post(fake, "/prompt", e3["http"][0]["request"]["body"]).json()["prompt_id"]
    third.wait_for(lambda f: f.get("type") == "progress" and f["data"]["value"] == 2)
    assert post(fake, "/interrupt", {"prompt_id": prompt_id}).status_code == 200
    third.wait_done(prompt_id)
    same_frames(third.frames, frames_of(e3["ws_messages"]))
    got = requests.get(f"{fake.url}/history/{prompt_id}", timeout=10).json()[prompt_id]
    expected = next(iter(e3["http"][2]["response"]["body"].values()))
    assert normalise(got["status"], {}) == normalise(expected["status"], {})
    assert got["outputs"] == expected["outputs"] == {} and got["meta"] == expected["meta"] == {}
    assert got["prompt"][2] == expected["prompt"][2] and got["prompt"][4] == expected["prompt"][4]


def test_d1_queue_delete_reconnect_and_interrupts(fake):
    recorded = load("d1_queue_interrupt_reconnect")
    client_id = recorded["client_id"]
    script = Script(node_delays={"ImageBlur": 0.4})
    for _ in range(3):
        fake.push(script)
    first = Socket(fake, client_id)
    ids = [post(fake, "/prompt", entry["request"]["body"]).json()["prompt_id"] for entry in recorded["http"][:3]]
    queue = requests.get(fake.url + "/queue", timeout=10).json()
    assert [item[1] for item in queue["queue_running"]] == ids[:1]
    assert [item[1] for item in queue["queue_pending"]] == ids[1:]
    assert requests.get(f"{fake.url}/history/{ids[0]}", timeout=10).json() == {}
    assert requests.get(fake.url + "/prompt", timeout=10).json() == {"exec_info": {"queue_remaining": 3}}
    deleted = post(fake, "/queue", {"delete": [ids[2]]})
    assert deleted.status_code == 200 and deleted.content == b""
    first.wait_for(lambda f: f.get("type") == "executing" and f["data"].get("node") == "11")
    first.close()
    same_frames(first.frames, frames_of(recorded["ws_messages_first_socket"]), loose_status=True)

    time.sleep(0.05)
    second = Socket(fake, client_id)
    second.wait_for(lambda f: f.get("type") == "executing")
    assert post(fake, "/interrupt", {"prompt_id": ids[1]}).status_code == 200  # only pending: ignored
    assert post(fake, "/interrupt", {"prompt_id": ids[0]}).status_code == 200
    second.wait_done(ids[0])
    second.wait_for(lambda f: f.get("type") == "executing" and f["data"].get("node") == "10")
    assert requests.post(fake.url + "/interrupt", timeout=10).status_code == 200  # global, empty body
    second.wait_done(ids[1])
    same_frames(second.frames, frames_of(recorded["ws_messages_reconnected_socket"]), loose_status=True)
    assert requests.get(f"{fake.url}/history/{ids[2]}", timeout=10).json() == {}
    for prompt_id, entry in ((ids[0], recorded["http"][10]), (ids[1], recorded["http"][13])):
        got = requests.get(f"{fake.url}/history/{prompt_id}", timeout=10).json()[prompt_id]
        expected = next(iter(entry["response"]["body"].values()))
        assert normalise(got["status"], {}) == normalise(expected["status"], {})
        assert got["outputs"] == expected["outputs"] == {} and got["meta"] == {}
    assert requests.get(fake.url + "/queue", timeout=10).json() == {"queue_running": [], "queue_pending": []}
