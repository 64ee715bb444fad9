"""A 20 MB attachment is read without a memory blow-up: peak RSS measured in a fresh process.

The child resets the kernel's peak-RSS mark (`/proc/self/clear_refs`, value 5) once the
data: URI is in memory, so the peak it reports belongs to the preparation alone. Pillow
allocates pixels with malloc, invisible to tracemalloc, hence RSS. The naive full decode
of the same file is measured too, so the test shows what it guards against.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

MB = 1_000_000  # file sizes in decimal megabytes; memory figures are MiB

CHILD = r"""
import base64, io, json, sys
from PIL import Image
from alphaomega.agents import imaging

def kb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])

data = open(sys.argv[1], "rb").read()
uri = "data:image/" + sys.argv[2] + ";base64," + base64.b64encode(data).decode("ascii")
del data
with open("/proc/self/clear_refs", "w") as marks:
    marks.write("5")  # peak RSS := current RSS
before = kb("VmRSS")
if sys.argv[3] == "alphaomega":
    size = list(imaging.prepare_data_uri(uri, 1280).size)
else:  # what a plain Pillow user would write
    size = list(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB").size)
print(json.dumps({"size": size, "peak_mb": (kb("VmHWM") - before) / 1024}))
"""


def peak(path: Path, mime: str, how: str) -> dict:
    """Each measurement in a fresh process: freed memory kept by malloc would hide the next peak."""
    if not os.access("/proc/self/clear_refs", os.W_OK):
        pytest.skip("needs Linux /proc/self/clear_refs to reset the peak-RSS mark")
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), mime, how], capture_output=True, text=True,
                         timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def peaks(path: Path, mime: str) -> dict:
    ours, naive = peak(path, mime, "alphaomega"), peak(path, mime, "naive")
    return {"size": ours["size"], "alphaomega": ours["peak_mb"], "naive": naive["peak_mb"]}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big-images")
    made = {}
    img = Image.frombytes("RGB", (6000, 4000), os.urandom(6000 * 4000 * 3))  # noise: compresses badly
    img.save(folder / "photo.jpg", "JPEG", quality=90)
    made["jpeg"] = folder / "photo.jpg"
    img = img.crop((0, 0, 2700, 2700))
    img.save(folder / "screenshot.png", "PNG", compress_level=1)
    made["png"] = folder / "screenshot.png"
    return made


def test_20mb_jpeg_is_decoded_small(files):
    assert files["jpeg"].stat().st_size > 20 * MB
    result = peaks(files["jpeg"], "jpeg")
    print(f"20 MB JPEG 6000x4000: peak +{result['alphaomega']:.0f} MB (full decode: +{result['naive']:.0f} MB)")
    assert result["size"] == [1280, 853]
    # data URI slice (~29 MB) + file bytes (~21 MB) + a 1500x1000 draft decode; the full decode is ~96 MB more
    assert result["alphaomega"] < 75
    assert result["naive"] > result["alphaomega"] + 40


def test_20mb_png_stays_bounded(files):
    assert files["png"].stat().st_size > 20 * MB
    result = peaks(files["png"], "png")
    print(f"20 MB PNG 2700x2700: peak +{result['alphaomega']:.0f} MB (full decode: +{result['naive']:.0f} MB)")
    assert result["size"] == [1280, 1280]
    assert result["alphaomega"] < 120  # PNG cannot be drafted: the 2700x2700 decode (~28 MB) is the floor
