"""OpenWebUI chunk shapes: events only when streaming, pictures in both modes."""
from alphaomega.agents.base import Image, Status
from alphaomega.pipelines import chunks

ITEMS = ["Hello", Status("Working…"), " world", Image("data:image/png;base64,AAAA", "sunset"),
         Status("Done", done=True)]


def test_stream_shapes():
    out = list(chunks.to_stream(iter(ITEMS), model="alphaomega"))
    assert out[0] == "Hello"
    assert out[1] == {"event": {"type": "status", "data": {"description": "Working…", "done": False}}}
    assert out[3]["object"] == "chat.completion.chunk"
    assert out[3]["choices"][0]["delta"]["images"] == [
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]
    assert out[4]["event"]["data"]["done"] is True


def test_status_can_be_switched_off():
    out = list(chunks.to_stream(iter(ITEMS), model="alphaomega", show_status=False))
    assert not any(isinstance(c, dict) and "event" in c for c in out)


def test_text_mode_drops_events_and_keeps_pictures_as_markdown():
    text = chunks.to_text(iter(ITEMS))
    assert "Working" not in text and "event" not in text
    assert text.startswith("Hello world")
    assert "![sunset](data:image/png;base64,AAAA)" in text
