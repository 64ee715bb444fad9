"""The image agent under the pipeline's Stop watch, against the fake ComfyUI: slow readers, Stop, and what is left."""
import threading
import time

import pytest

from alphaomega.agents.backends import Backends
from alphaomega.agents.base import Image, Status
from alphaomega.agents.context import ChatParams, RequestContext, Turn, UserInfo
from alphaomega.agents.image_generation import ImageGenerationAgent
from alphaomega.agents.stop_watch import StoppedReading, StopWatch
from alphaomega.valves import Valves
from tests.fakes.comfyui import FakeComfyUI, Script

GRACE = 0.3  # seconds at a yield before the watch gives up on the reader (the watchdog looks twice a second)


@pytest.fixture
def fake(fake_comfyui):
    fake_comfyui.models["checkpoints"] = ["v1-5-pruned-emaonly.safetensors"]
    return fake_comfyui


def context(text: str, url: str, **valves) -> RequestContext:
    settings = Valves(COMFYUI_URL=url, COMFYUI_WORKFLOW="sd15", STEPS=5, **valves)
    return RequestContext(text=text, history=(Turn("user", text),), stream=True, user=UserInfo(),
                          params=ChatParams(), valves=settings, backends=Backends.from_valves(settings),
                          watch=StopWatch(grace=GRACE))


def cancels(fake) -> list:
    return [r.path for r in fake.requests("POST") if not r.path.endswith("/prompt")]


def test_a_slow_reader_of_finished_pictures_gets_them_all(fake):
    """Once the pictures are in hand (watch.done()), a reader slower than the grace only delays them."""
    ctx = context("/image three pictures of a fox", fake.url)
    items = []
    for item in ctx.watch.guard(ImageGenerationAgent().run(ctx)):
        items.append(item)
        if isinstance(item, (Image, Status)) and (isinstance(item, Image) or item.done):
            time.sleep(GRACE + 1.0)  # the watchdog looks at us while we dawdle
    assert len([item for item in items if isinstance(item, Image)]) == 3
    assert isinstance(items[-1], str) and items[-1].startswith("Here are 3 images of “a fox”")
    assert not ctx.watch.abandoned and not cancels(fake)
    assert fake.history_entry(fake.prompts()[-1]["prompt_id"])["status"]["status_str"] == "success"


def test_a_reader_gone_while_the_job_runs_cancels_it(fake):
    """The same dawdling before the pictures are in hand is Stop: the job is cancelled, the answer ends."""
    fake.push(Script(step_delay=0.3))
    ctx = context("/image a fox", fake.url, IMAGE_TIMEOUT=60)
    items = ctx.watch.guard(ImageGenerationAgent().run(ctx))
    with pytest.raises(StoppedReading):
        for item in items:
            if isinstance(item, Status) and item.description.startswith("Sampling step"):
                time.sleep(GRACE + 1.0)
    prompt_id = fake.prompts()[-1]["prompt_id"]
    assert [r.body for r in fake.requests("POST", "/interrupt")][:1] == [{"prompt_id": prompt_id}]
    assert ctx.watch.abandoned


def test_stop_leaves_no_socket_or_thread_behind():
    """The Pipelines server never closes an abandoned answer: the watch's cleanups must release everything."""
    with FakeComfyUI(models={"checkpoints": ["v1-5-pruned-emaonly.safetensors"]}, step_delay=0.2) as server:
        ctx = context("/image a fox", server.url, IMAGE_TIMEOUT=60)  # a server of its own: connections counted
        items = ctx.watch.guard(ImageGenerationAgent().run(ctx))
        for item in items:
            if isinstance(item, Status) and item.description.startswith("Sampling step"):
                break  # the reader walks away; `items` stays suspended and referenced, as in the server
        client_id = server.requests("WS")[-1].client_id
        readers = lambda: [t for t in threading.enumerate() if t.name == f"comfyui-ws-{client_id[:12]}"]  # noqa: E731
        assert readers() and server.open_connections() >= 2  # the websocket and the HTTP session
        server.wait_for(lambda: ctx.watch.abandoned and not readers(), timeout=10)
        server.wait_for(lambda: server.open_connections() == 0)
        prompt_id = server.prompts()[-1]["prompt_id"]
        assert [r.body for r in server.requests("POST", "/interrupt")] == [{"prompt_id": prompt_id}]
        items.close()
