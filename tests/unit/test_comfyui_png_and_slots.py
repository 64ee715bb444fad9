"""PNG metadata stripping (on the recorded /view PNG) and the per-server job slots."""
import threading
import time
import zlib

import pytest

from alphaomega.workflows.png_metadata import NotAPng, strip_text_chunks, text_chunks
from alphaomega.workflows.slots import ServerSlots, slots_for
from tests.fakes.comfyui_graph import TRANSCRIPTS, make_png

RECORDED_PNG = (TRANSCRIPTS / "a1_view_output.png").read_bytes()


def test_the_recorded_comfyui_png_loses_its_prompt_and_keeps_its_pixels():
    assert set(text_chunks(RECORDED_PNG)) == {"prompt"}
    assert b"EmptyImage" in text_chunks(RECORDED_PNG)["prompt"]
    stripped = strip_text_chunks(RECORDED_PNG)
    assert text_chunks(stripped) == {}
    assert b"class_type" not in stripped
    idat = lambda data: data[data.index(b"IDAT") - 4:data.index(b"IEND") - 4]  # noqa: E731
    assert idat(stripped) == idat(RECORDED_PNG)
    pillow = pytest.importorskip("PIL.Image")
    import io

    image = pillow.open(io.BytesIO(stripped))
    image.load()
    assert image.size == (64, 64) and image.getpixel((0, 0)) == (255, 128, 0)


def test_workflow_and_compressed_chunks_go_too():
    png = make_png(8, 8, (1, 2, 3), {"prompt": "{}", "workflow": "{\"nodes\": []}"})
    ztxt = b"comment\x00\x00" + zlib.compress(b"secret")
    body = b"zTXt" + ztxt
    chunk = len(ztxt).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
    png = png[:33] + chunk + png[33:]
    assert set(text_chunks(png)) == {"prompt", "workflow", "comment"}
    assert text_chunks(strip_text_chunks(png)) == {}


@pytest.mark.parametrize("data", [b"", b"GIF89a....", RECORDED_PNG[:40], RECORDED_PNG[:-12]])
def test_malformed_pngs_are_refused_not_mangled(data):
    with pytest.raises(NotAPng):
        strip_text_chunks(data)


def test_trailing_bytes_after_iend_are_dropped():
    assert strip_text_chunks(RECORDED_PNG + b"hidden") == strip_text_chunks(RECORDED_PNG)


def test_slots_admit_in_order_and_report_places():
    slots = ServerSlots()
    first, second, third = slots.ticket(1), slots.ticket(1), slots.ticket(1)
    assert (first.position, second.position, third.position) == (0, 1, 2)
    assert first.wait(0) and not second.wait(0.01)
    first.leave()
    assert second.wait(1) and third.position == 1
    third.leave()  # gave up while waiting
    second.leave()
    assert slots.running == 0


def test_slots_limit_is_per_server_and_released_on_exceptions():
    slots = slots_for("http://example.invalid:8188/")
    assert slots is slots_for("http://EXAMPLE.invalid:8188")
    with pytest.raises(RuntimeError):
        with slots.ticket(2) as ticket:
            assert ticket.wait(0)
            raise RuntimeError("boom")
    assert slots.running == 0


def test_waiting_threads_are_woken_in_order():
    slots = ServerSlots()
    holder = slots.ticket(2)
    other = slots.ticket(2)
    order: list[int] = []

    def worker(index: int) -> None:
        with slots.ticket(2) as ticket:
            while not ticket.wait(0.05):
                pass
            order.append(index)
            time.sleep(0.02)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
        time.sleep(0.02)
    holder.leave()
    other.leave()
    for thread in threads:
        thread.join(5)
    assert sorted(order) == [0, 1, 2] and order[0] in (0, 1)
    assert slots.running == 0
