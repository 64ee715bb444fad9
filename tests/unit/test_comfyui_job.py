"""A ComfyUI job against the fake server: progress, results, drops, silence, timeouts, Stop and other users."""
import gc
import json
import re
import threading
import time
import uuid
import warnings

import pytest
import requests

from alphaomega.agents.errors import BackendTimeout, BackendUnavailable
from alphaomega.agents.image_generation import describe
from alphaomega.workflows.comfyui_client import ComfyUIClient
from alphaomega.workflows.comfyui_errors import ComfyUIExecutionFailed, ComfyUIJobStopped
from alphaomega.workflows.comfyui_job import ComfyJob, JobSettings
from alphaomega.workflows.png_metadata import text_chunks
from alphaomega.workflows.templates import load_template
from tests.fakes.comfyui import Script

FAST = JobSettings(timeout=20, heartbeat=0.2, idle_poll=0.5, poll_interval=0.1, ws_retry=0.3)
NO_MODEL = {"1": {"class_type": "EmptyImage", "inputs": {"width": 32, "height": 16, "batch_size": 2, "color": 255}},
            "2": {"class_type": "SaveImage", "inputs": {"images": ["1", 0], "filename_prefix": "nomodel"}}}


@pytest.fixture
def fake(fake_comfyui):
    fake_comfyui.models["checkpoints"] = ["v1-5-pruned-emaonly.safetensors"]
    return fake_comfyui


def sd15(steps: int = 5, seed: int = 1, batch: int = 1) -> dict:
    return load_template("sd15").render({"prompt": "a red fox", "steps": steps, "seed": seed, "width": 64,
                                         "height": 64, "batch_size": batch})


def run(job: ComfyJob) -> list:
    return list(job.run())


def lines(events) -> list[str]:
    return [describe(e) for e in events if describe(e)]


def test_a_job_reports_every_step_and_returns_the_saved_picture(fake):
    job = ComfyJob(ComfyUIClient(fake.url), sd15(steps=5), FAST)
    events = run(job)
    steps = [text for text in lines(events) if text.startswith("Sampling step")]
    assert steps == [f"Sampling step {i}/5" for i in range(1, 6)]
    assert lines(events)[0] == "Sent to ComfyUI" and "Decoding the image…" in lines(events)
    [image] = job.result.images
    assert image.content_type == "image/png" and image.ref.type == "output"
    assert text_chunks(image.data)["prompt"].startswith(b"{")  # as ComfyUI saves it; the agent strips it
    assert job.result.previews == 5  # preview frames were seen and not taken for results
    assert job.result.reconnects == 0


def test_websocket_first_then_own_ids(fake):
    first, second = ComfyJob(ComfyUIClient(fake.url), sd15(), FAST), ComfyJob(ComfyUIClient(fake.url), sd15(), FAST)
    run(first)
    run(second)
    log = [r for r in fake.requests() if r.method == "WS" or r.path.endswith("/prompt")]
    assert [r.method for r in log] == ["WS", "POST", "WS", "POST"]
    for connect, post, job in ((log[0], log[1], first), (log[2], log[3], second)):
        assert connect.client_id == post.body["client_id"] == job.client_id
        assert re.fullmatch(r"[0-9a-f]{32}", job.client_id)
        assert post.body["prompt_id"] == job.prompt_id == str(uuid.UUID(job.prompt_id, version=4))
    assert first.client_id != second.client_id and first.prompt_id != second.prompt_id


def test_feature_flags_make_previews_unmistakable(fake):
    job = ComfyJob(ComfyUIClient(fake.url), sd15(steps=3), FAST)
    run(job)
    connect = fake.requests("WS")[-1]
    assert connect.client_id == job.client_id
    assert job.result.previews == 3 and len(job.result.images) == 1


def test_batch_and_model_free_workflow(fake):
    job = ComfyJob(ComfyUIClient(fake.url), NO_MODEL, FAST)
    run(job)
    assert [image.ref.filename for image in job.result.images] == ["nomodel_00001_.png", "nomodel_00002_.png"]
    assert job.result.images[0].data[16:24] == (32).to_bytes(4, "big") + (16).to_bytes(4, "big")


def test_websocket_images_are_results_and_temp_previews_a_fallback(fake):
    graph = {"1": NO_MODEL["1"], "2": {"class_type": "SaveImageWebsocket", "inputs": {"images": ["1", 0]}}}
    job = ComfyJob(ComfyUIClient(fake.url), graph, FAST)
    run(job)
    assert [image.ref.type for image in job.result.images] == ["websocket", "websocket"]
    assert all(image.data.startswith(b"\x89PNG") for image in job.result.images)
    graph = {"1": NO_MODEL["1"], "3": {"class_type": "PreviewImage", "inputs": {"images": ["1", 0]}}}
    job = ComfyJob(ComfyUIClient(fake.url), graph, FAST)
    run(job)
    assert [image.ref.type for image in job.result.images] == ["temp", "temp"]


def test_execution_error_names_the_node_and_is_not_cancelled(fake):
    fake.push(Script(fail_node="KSampler", exception_type="RuntimeError", exception_message="CUDA out of memory"))
    job = ComfyJob(ComfyUIClient(fake.url), sd15(), FAST)
    with pytest.raises(ComfyUIExecutionFailed) as caught:
        run(job)
    assert caught.value.user_message.startswith(
        "ComfyUI failed while running node 3 (KSampler): RuntimeError: CUDA out of memory.")
    assert caught.value.node_id == "3"
    assert not fake.requests("POST", "interrupt") and not fake.requests("POST", "/queue")


def test_dropped_websocket_reconnects_with_the_same_client_id(fake):
    fake.push(Script(drop_ws_after_step=2, step_delay=0.05))
    job = ComfyJob(ComfyUIClient(fake.url), sd15(steps=8), FAST)
    events = run(job)
    assert "Lost the live connection to ComfyUI; checking on the job…" in lines(events)
    assert "Sampling step 8/8" in lines(events)  # progress continues on the new socket
    connects = fake.requests("WS")
    assert len(connects) == 2 and {c.client_id for c in connects} == {job.client_id}
    assert fake.requests("GET", "/queue")
    assert len(job.result.images) == 1 and job.result.reconnects == 1


def test_when_the_socket_stays_down_history_and_queue_finish_the_job(fake):
    fake.push(Script(drop_ws_after_step=1, ws_outage=5.0, step_delay=0.05))
    job = ComfyJob(ComfyUIClient(fake.url), sd15(steps=10), FAST)
    events = run(job)
    assert any(text.startswith("Following the job without live progress") for text in lines(events))
    assert len(fake.requests("GET", "/api/queue")) >= 3  # still running: ask again
    assert fake.requests("GET", f"/history/{job.prompt_id}")  # gone from the queue: read the result
    assert len(job.result.images) == 1


def test_done_frame_lost_in_the_gap_is_found_in_history(fake):
    fake.push(Script(drop_ws_after_step=3, ws_outage=0.3, step_delay=0.01))
    job = ComfyJob(ComfyUIClient(fake.url), sd15(steps=3), FAST)
    run(job)
    assert len(job.result.images) == 1


def test_a_silent_socket_is_not_trusted(fake):
    fake.push(Script(stall_ws_after_step=1, step_delay=0.02))
    job = ComfyJob(ComfyUIClient(fake.url), sd15(steps=5), FAST)
    started = time.monotonic()
    run(job)
    assert len(job.result.images) == 1
    assert time.monotonic() - started < 5
    assert fake.requests("GET", f"/history/{job.prompt_id}")


def test_no_websocket_at_all_means_polling(fake):
    client = ComfyUIClient(fake.url)
    client.websocket = lambda *a, **k: (_ for _ in ()).throw(OSError("proxy refuses upgrades"))
    job = ComfyJob(client, sd15(steps=3), FAST)
    run(job)
    assert len(job.result.images) == 1 and not fake.requests("WS")


def test_timeout_cancels_our_job_only(fake):
    other = requests.post(fake.url + "/prompt", json={"prompt": sd15(seed=99), "client_id": "someone-else"},
                          timeout=10).json()["prompt_id"]
    fake.push(Script(step_delay=0.2))  # the other user's job
    fake.push(Script(step_delay=0.2))
    job = ComfyJob(ComfyUIClient(fake.url), sd15(steps=50), JobSettings(timeout=0.6, heartbeat=0.1))
    with pytest.raises(BackendTimeout) as caught:
        run(job)
    assert "IMAGE_TIMEOUT" in caught.value.user_message or "queue" in caught.value.user_message
    posts = [(r.path, r.body) for r in fake.requests("POST") if not r.path.endswith("/prompt")]
    assert posts == [("/api/queue", {"delete": [job.prompt_id]}), ("/api/interrupt", {"prompt_id": job.prompt_id})]
    fake.wait_for(lambda: fake.history_entry(other), timeout=30)
    assert fake.history_entry(other)["status"]["status_str"] == "success"


def test_running_past_the_timeout_interrupts_it(fake):
    fake.push(Script(step_delay=0.1))
    job = ComfyJob(ComfyUIClient(fake.url), sd15(steps=100), JobSettings(timeout=0.5, heartbeat=0.1))
    with pytest.raises(BackendTimeout) as caught:
        run(job)
    assert "took longer than 0.5 s" in caught.value.user_message
    entry = fake.wait_for(lambda: fake.history_entry(job.prompt_id))
    assert entry["status"]["messages"][-1][0] == "execution_interrupted"


def test_closing_the_generator_is_stop(fake):
    fake.push(Script(step_delay=0.05))
    job = ComfyJob(ComfyUIClient(fake.url), sd15(steps=200), FAST)
    events = job.run()
    for event in events:
        if event.kind == "progress" and event.value >= 2:
            break
    events.close()
    assert [r.body for r in fake.requests("POST", "/interrupt")] == [{"prompt_id": job.prompt_id}]
    entry = fake.wait_for(lambda: fake.history_entry(job.prompt_id))
    assert entry["status"]["status_str"] == "error"
    assert not fake.connected_clients()


def test_stop_while_queued_takes_it_out_of_the_queue(fake):
    hold = threading.Event()
    fake.push(Script(hold=hold))
    job = ComfyJob(ComfyUIClient(fake.url), sd15(), FAST)
    events = job.run()
    for event in events:
        if event.kind == "queued":
            assert describe(event) == "Queued on ComfyUI: next in line"
            break
    events.close()
    assert fake.queue_state() == {"queue_running": [], "queue_pending": []}
    hold.set()


def test_queue_position_behind_other_users(fake):
    hold = threading.Event()
    fake.push(Script(hold=hold))
    others = [requests.post(fake.url + "/prompt", json={"prompt": sd15(seed=s), "client_id": f"user{s}"},
                            timeout=10).json()["prompt_id"] for s in (10, 11)]
    job = ComfyJob(ComfyUIClient(fake.url), sd15(), FAST)
    seen: list[str] = []
    for event in job.run():
        seen.append(describe(event))
        if event.kind == "queued" and not hold.is_set():
            hold.set()
    assert "Queued on ComfyUI: 2 jobs ahead of yours" in seen
    assert len(job.result.images) == 1
    assert all(fake.history_entry(p)["status"]["status_str"] == "success" for p in others)


def test_someone_else_interrupting_our_job(fake):
    fake.push(Script(interrupt_after_step=2, step_delay=0.02))
    with pytest.raises(ComfyUIJobStopped) as caught:
        run(ComfyJob(ComfyUIClient(fake.url), sd15(steps=6), FAST))
    assert "stopped on the ComfyUI server at node 3 (KSampler)" in caught.value.user_message


def test_a_job_lost_in_a_restart(fake):
    fake.push(Script(lose_after_step=1, step_delay=0.02))
    with pytest.raises(ComfyUIJobStopped) as caught:
        run(ComfyJob(ComfyUIClient(fake.url), sd15(steps=6), FAST))
    assert "lost the image job" in caught.value.user_message


def test_comfyui_going_away_mid_job(fake_comfyui):
    from tests.fakes.comfyui import FakeComfyUI

    server = FakeComfyUI(models={"checkpoints": ["v1-5-pruned-emaonly.safetensors"]}, step_delay=0.05).start()
    settings = JobSettings(timeout=20, heartbeat=0.1, idle_poll=0.2, poll_interval=0.1, unreachable_grace=0.5)
    job = ComfyJob(ComfyUIClient(server.url), sd15(steps=100), settings)
    events = job.run()
    for event in events:
        if event.kind == "progress":
            break
    server.stop()
    with pytest.raises(BackendUnavailable) as caught:
        list(events)
    assert "is not reachable" in caught.value.user_message


def test_history_is_read_even_if_only_execution_success_arrived(fake):
    """The classic `executing null` frame is lost (socket stalls right after the last step)."""
    fake.push(Script(stall_ws_after_step=3, step_delay=0.01))
    job = ComfyJob(ComfyUIClient(fake.url), sd15(steps=3), FAST)
    run(job)
    assert len(job.result.images) == 1
    assert json.dumps(fake.history_entry(job.prompt_id)["outputs"]).count("filename") == 1


def test_frames_from_custom_nodes_do_not_hide_a_lost_done_frame(fake):
    """Issue #15240: the socket keeps delivering other frames but nothing more about our prompt."""
    fake.push(Script(mute_after_step=2, step_delay=0.02))
    stop = threading.Event()

    def monitor():
        while not stop.is_set():
            fake.broadcast("crystools.monitor", {"cpu_utilization": 12.5})
            time.sleep(0.05)

    thread = threading.Thread(target=monitor, daemon=True)
    thread.start()
    try:
        job = ComfyJob(ComfyUIClient(fake.url), sd15(steps=6), FAST)
        events = run(job)
    finally:
        stop.set()
        thread.join(2)
    assert len(job.result.images) == 1
    assert any(event.kind == "waiting" for event in events)  # heartbeats kept coming for the chat
    assert "Sampling step 6/6" not in lines(events)


def test_malformed_frames_are_ignored(fake):
    """Custom nodes (and broken proxies) send frames of any shape; none of them may end the job."""
    fake.push(Script(step_delay=0.05))
    job = ComfyJob(ComfyUIClient(fake.url), sd15(steps=6), FAST)
    ours = {"prompt_id": job.prompt_id}
    frames = [
        {"type": "x", "data": [1, 2]}, {"type": "progress", "data": "50%"}, {"type": ["executing"], "data": {}},
        [1, 2], "not json", '"a string"', "null", {"type": "executing", "data": None},
        {"type": "executed", "data": {"node": "9", "output": [1], **ours}},
        {"type": "executed", "data": {"node": "9", "output": {"images": 5}, **ours}},
        {"type": "executed", "data": {"node": "9", "output": {"images": [{"filename": 5}]}, **ours}},
        {"type": "progress", "data": {"value": float("inf"), "max": 6, **ours}},
        {"type": "execution_error", "data": "boom"}, {"type": "execution_interrupted", "data": [ours]},
    ]
    events = []
    for event in job.run():
        events.append(event)
        if event.kind == "progress" and event.value == 1:
            for frame in frames:
                fake.send_frame(frame)  # to every socket, ours included
                fake.send_frame(frame, client_id=job.client_id)
    assert "Sampling step 6/6" in lines(events)
    assert len(job.result.images) == 1 and job.result.images[0].ref.filename.endswith(".png")
    assert not fake.requests("POST", "/interrupt")


def reader_threads(client_id: str) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == f"comfyui-ws-{client_id[:12]}"]


@pytest.mark.parametrize("close_frame", [False, True], ids=["cut", "close frame"])
def test_no_socket_or_thread_outlives_a_job_whose_websocket_dropped(fake, close_frame):
    """Each socket is closed by the job, not left to the garbage collector (Python reports that as ResourceWarning)."""
    fake.push(Script(drop_ws_after_step=2, ws_close_frame=close_frame, step_delay=0.05))
    client = ComfyUIClient(fake.url)
    job = ComfyJob(client, sd15(steps=8), FAST)
    gc.collect()  # earlier tests' garbage must not speak up during this one
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        run(job)
        gc.collect()
    client.close()
    assert job.result.reconnects == 1 and len(fake.requests("WS")) == 2
    assert [str(w.message) for w in caught if str(w.message).startswith("unclosed <socket")] == []
    assert not reader_threads(job.client_id)
    fake.wait_for(lambda: job.client_id not in fake.connected_clients())


def test_cancel_from_another_thread_closes_the_socket_and_ends_its_reader(fake):
    """What the pipeline's Stop watch does while the job waits, suspended, for a reader who left."""
    fake.push(Script(step_delay=0.1))
    job = ComfyJob(ComfyUIClient(fake.url), sd15(steps=200), FAST)
    events = job.run()
    for event in events:
        if event.kind == "progress":
            break  # suspended at a yield, never closed (the Pipelines server does not close it either)
    assert reader_threads(job.client_id)
    watchdog = threading.Thread(target=job.cancel)
    watchdog.start()
    watchdog.join(10)
    assert not reader_threads(job.client_id)
    fake.wait_for(lambda: job.client_id not in fake.connected_clients())
    assert [r.body for r in fake.requests("POST", "/interrupt")] == [{"prompt_id": job.prompt_id}]
    events.close()  # later, when the generator is collected: nothing is cancelled twice
    assert len(fake.requests("POST", "/interrupt")) == 1
    entry = fake.wait_for(lambda: fake.history_entry(job.prompt_id))
    assert entry["status"]["status_str"] == "error"
