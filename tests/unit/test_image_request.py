"""Reading an image request: subject, size words, seed, negatives, count; sizes snapped in multiples of 64."""
import random

import pytest
from pydantic import ValidationError

from alphaomega.agents.image_plan import clean_enhanced, plan_image
from alphaomega.agents.image_request import (
    MAX_PROMPT_CHARS,
    parse_image_request,
    parse_size_setting,
    snap_size,
    strip_override,
)
from alphaomega.valves import Valves
from alphaomega.workflows.custom import select_workflow
from alphaomega.workflows.templates import load_template


@pytest.mark.parametrize("text, prompt", [
    ("Generate an image of a sunset", "a sunset"),
    ("/image a red fox in the snow", "a red fox in the snow"),
    ("/img a red fox", "a red fox"),
    ("draw a cat", "a cat"),
    ("draw two cats sitting on a wall", "two cats sitting on a wall"),
    ("can you please make me a picture of a dog with a hat", "a dog with a hat"),
    ("Draw me a logo for my bakery", "a logo for my bakery"),
    ("image of a beach", "a beach"),
    ("Generate an image of a sunset over the ocean.", "a sunset over the ocean"),
    ("a sign that says \"no parking\" on a street", "a sign that says \"no parking\" on a street"),
    ("Generate an image of a clock showing 12:30", "a clock showing 12:30"),
])
def test_the_subject_is_kept_and_the_command_dropped(text, prompt):
    assert parse_image_request(text).prompt == prompt


@pytest.mark.parametrize("text, aspect, shape, pixels", [
    ("a lighthouse in portrait mode", 2 / 3, "portrait", None),
    ("a lighthouse, landscape", 3 / 2, "landscape", None),
    ("a knight as a square image", 1.0, "square", None),
    ("a city skyline at night in 16:9", 16 / 9, "16:9", None),
    ("a phone wallpaper of stars, 9:16", 9 / 16, "9:16", None),
    ("a city skyline at night 1920x1080", 16 / 9, "1920×1080", (1920, 1080)),
    ("a cabin in the woods, widescreen, no snow", 16 / 9, "widescreen", None),
    ("a spaceship in landscape orientation at 16:9", 16 / 9, "16:9", None),
])
def test_size_words(text, aspect, shape, pixels):
    request = parse_image_request(text)
    assert request.aspect == pytest.approx(aspect)
    assert (request.shape, request.pixels) == (shape, pixels)
    for word in ("portrait", "landscape", "square", "16:9", "9:16", "1920x1080", "widescreen", "orientation"):
        assert word not in request.prompt


def test_portrait_of_a_person_keeps_its_words_and_takes_the_shape():
    request = parse_image_request("Create a portrait of my grandmother knitting")
    assert request.prompt == "a portrait of my grandmother knitting"
    assert request.aspect == pytest.approx(2 / 3)


def test_seed_negatives_and_count_together():
    request = parse_image_request("Generate three variations of a lighthouse at dusk in 16:9, seed 42, no text")
    assert (request.prompt, request.seed, request.count, request.negative) == (
        "a lighthouse at dusk", 42, 3, ("text",))
    assert request.aspect == pytest.approx(16 / 9)


@pytest.mark.parametrize("text, negative", [
    ("a park without people", ("people",)),
    ("a dragon, no text and no watermark", ("text", "watermark")),
    ("a street, without cars or people", ("cars", "people")),
    ("a bowl of fruit, don't include bananas", ("bananas",)),
    ("a sign that says \"no parking\"", ()),
])
def test_negative_phrases(text, negative):
    request = parse_image_request(text)
    assert request.negative == negative
    for word in negative:
        assert word not in request.prompt


@pytest.mark.parametrize("text, count", [
    ("three variations of a fox", 3), ("generate 4 images of a dragon", 4), ("a couple of pictures of a cat", 2),
    ("two cats", 1), ("a fox", 1), ("generate 10 images of a tree", 4),
])
def test_image_count(text, count):
    assert parse_image_request(text).count == count


def test_too_many_images_is_capped_with_a_note():
    request = parse_image_request("generate 10 images of a tree")
    assert request.count == 4 and "at most 4" in request.notes[0]


@pytest.mark.parametrize("text", ["seed 42", "with seed: 42", "using seed=42", "seed #42"])
def test_seed_forms(text):
    request = parse_image_request(f"a red fox {text}")
    assert request.seed == 42 and request.prompt == "a red fox"


def test_nothing_to_draw():
    assert parse_image_request("/image ").prompt == ""
    assert parse_image_request("no text").prompt == ""
    assert strip_override("/IMAGE   a fox") == "a fox"


@pytest.mark.parametrize("aspect, native, expected", [
    (16 / 9, (1024, 1024), (1344, 768)),
    (9 / 16, (1024, 1024), (768, 1344)),
    (3 / 4, (1024, 1024), (896, 1152)),
    (1.0, (1024, 1024), (1024, 1024)),
    (16 / 9, (512, 512), (704, 384)),
    (1.0, (512, 512), (512, 512)),
])
def test_snap_to_native_resolution_in_multiples_of_64(aspect, native, expected):
    assert snap_size(aspect, native) == expected


@pytest.mark.parametrize("aspect", [0.3, 0.5, 2 / 3, 0.8, 1.25, 1.5, 2.0, 21 / 9, 4.0])
@pytest.mark.parametrize("native", [(1024, 1024), (512, 512), (768, 768)])
def test_snapped_sizes_keep_the_pixel_budget(aspect, native):
    width, height = snap_size(aspect, native)
    assert width % 64 == 0 and height % 64 == 0
    assert width * height <= native[0] * native[1] * 1.05
    assert width * height >= native[0] * native[1] * 0.6
    assert abs(width / height - aspect) / aspect < 0.2


@pytest.mark.parametrize("value, aspect", [("", None), (None, None), ("native", None), ("1216x832", 1216 / 832),
                                           ("16:9", 16 / 9), ("portrait", 2 / 3), ("square", 1.0)])
def test_image_size_valve(value, aspect):
    valves = Valves(IMAGE_SIZE=value)
    parsed, _ = parse_size_setting(valves.IMAGE_SIZE)
    assert parsed == (pytest.approx(aspect) if aspect else None)


@pytest.mark.parametrize("value", ["huge", "16/9", "x1024", "0:0"])
def test_image_size_valve_refuses_nonsense(value):
    with pytest.raises(ValidationError):
        Valves(IMAGE_SIZE=value)


@pytest.mark.parametrize("value", ["00x00", "0x512", "512x00", "10x512", "99999x99999", "512x20000"])
def test_image_size_valve_refuses_zero_and_absurd_sizes(value):
    with pytest.raises(ValidationError) as caught:
        Valves(IMAGE_SIZE=value)
    assert "width and height must each be from 16 to 16384 pixels, e.g. 1216x832" in str(caught.value)
    assert Valves(IMAGE_SIZE="16x16384").IMAGE_SIZE == "16x16384"


def test_a_zero_size_that_skipped_the_validator_names_the_valve():
    from alphaomega.agents.errors import SettingsError

    with pytest.raises(ValueError):
        parse_size_setting("00x00")  # never ZeroDivisionError
    valves = Valves.model_construct(**{**Valves().model_dump(), "IMAGE_SIZE": "00x00"})
    with pytest.raises(SettingsError) as caught:
        plan_image(parse_image_request("a fox"), "a fox", load_template("sdxl"), valves)
    assert caught.value.setting == "IMAGE_SIZE" and "IMAGE_SIZE valve" in caught.value.user_message


def test_unset_text_valves_are_none_so_openwebui_can_save_its_form():
    """OpenWebUI draws text valves as `required` inputs: an empty one blocks Save. "Not set" is None (its toggle)."""
    for name in ("COMFYUI_API_KEY", "COMFYUI_CUSTOM_WORKFLOW", "COMFYUI_CUSTOM_PARAMS", "CHECKPOINT", "IMAGE_SIZE"):
        assert getattr(Valves(), name) is None
        assert getattr(Valves(**{name: "  "}), name) is None
    assert Valves(NEGATIVE_PROMPT="").NEGATIVE_PROMPT is None


def test_plan_uses_words_then_valves_then_template():
    valves = Valves(STEPS=30, CFG=5.5, CHECKPOINT="mine.safetensors", NEGATIVE_PROMPT="blurry", IMAGE_SIZE="portrait")
    request = parse_image_request("two images of a fox in 16:9, seed 7, without trees")
    plan = plan_image(request, request.prompt, load_template("sdxl"), valves)
    assert plan.values == {"prompt": "a fox", "width": 1344, "height": 768, "seed": 7,
                           "negative_prompt": "blurry, trees", "steps": 30, "cfg": 5.5,
                           "checkpoint": "mine.safetensors", "batch_size": 2}
    plain = plan_image(parse_image_request("a fox"), "a fox", load_template("sdxl"), Valves(IMAGE_SIZE="portrait"),
                       rng=random.Random(1))
    assert (plain.values["width"], plain.values["height"]) == (832, 1280)
    assert "steps" not in plain.values and "checkpoint" not in plain.values
    assert 0 <= plain.seed < 2**48
    assert plain.values["negative_prompt"] == "blurry, low quality"  # the valve's default
    for standing, expected in (("None", "trees"), ("watermark", "watermark, trees")):
        valves = Valves(NEGATIVE_PROMPT=standing)
        request = parse_image_request("a fox without trees")
        assert plan_image(request, request.prompt, load_template("sdxl"), valves).values["negative_prompt"] == expected


def test_plan_explains_what_a_workflow_cannot_do():
    request = parse_image_request("a fox 1920x1080 without snow")
    plan = plan_image(request, request.prompt, load_template("flux_dev"), Valves())
    assert "negative_prompt" not in plan.values
    assert any("no negative prompt" in note for note in plan.notes)
    assert any("1920×1080 became 1344×768" in note for note in plan.notes)
    custom = select_workflow("custom", '{"1": {"class_type": "EmptyImage", "inputs": {"width": 8, "height": 8, '
                                       '"batch_size": 1, "color": 0}}, "2": {"class_type": "SaveImage", "inputs": '
                                       '{"images": ["1", 0], "filename_prefix": "x"}}}', "")
    plan = plan_image(parse_image_request("three images of a fox, seed 3"), "a fox", custom, Valves())
    assert plan.count == 1 and plan.seed is None
    assert any("no prompt input" in note for note in plan.notes)


def test_enhanced_prompt_cleanup():
    assert clean_enhanced('Here is the prompt: "A fox in deep snow."') == "A fox in deep snow."
    assert clean_enhanced("<think>hmm</think>\nA fox,\n  detailed") == "A fox, detailed"
    assert clean_enhanced("   ") == ""


ADVERSARIAL = {  # about 100 KB each; every one took minutes (quadratic regexes holding the GIL) before the fix
    "spaces": "please draw a cat" + " " * 100_000 + "x",
    "newlines": "please draw a cat" + "\n" * 100_000 + " a dog",
    "comma pairs": "please draw a cat" + ", " * 50_000 + "x",
    "repeated size words": "a cat " + "in " * 33_000 + "x",
    "repeated filler": "a cat " + "at\t " * 25_000 + "x",
    "unclosed quotes": "a cat " + "“a " * 33_000,
    "negatives": "a cat " + "no " * 33_000,
}
LINEARITY_CHECK = """
import re, sys
from alphaomega.agents import image_request
from tests.unit.test_image_request import ADVERSARIAL
patterns = [value for value in vars(image_request).values() if isinstance(value, re.Pattern)]
for text in ADVERSARIAL.values():
    image_request.parse_image_request(text)
    for pattern in patterns:  # the patterns themselves too, on text that was not collapsed first
        list(pattern.finditer(text))
        pattern.match(text[::-1])
print("parsed", len(ADVERSARIAL))
"""


def test_long_adversarial_messages_parse_in_linear_time():
    """Run in a subprocess with a generous limit: a quadratic pattern takes minutes here, a linear one milliseconds."""
    import subprocess
    import sys
    from pathlib import Path

    done = subprocess.run([sys.executable, "-c", LINEARITY_CHECK], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == f"parsed {len(ADVERSARIAL)}"


def test_whitespace_is_collapsed_and_a_long_message_is_cut_with_a_note():
    assert parse_image_request("draw   a cat\n\n\ton   a\u00a0wall,\n  seed 4").prompt == "a cat on a wall"
    request = parse_image_request("draw a cat " + "with a very long tail " * 500 + ", seed 9")
    assert len(request.prompt) <= MAX_PROMPT_CHARS and request.prompt.startswith("a cat with a very long tail")
    assert request.seed is None  # it came after the cut
    assert request.notes == (f"only the first {MAX_PROMPT_CHARS} characters of your message were read",)
    assert parse_image_request("a cat " + " " * 5000 + "seed 3").notes == ()  # whitespace does not count


def test_nul_characters_in_a_message_are_harmless():
    """NUL marks quoted passages while parsing; a user's own must not be taken for one (it raised IndexError)."""
    request = parse_image_request('a sign saying "open" \x0099\x00 and \x000\x00')
    assert request.prompt == 'a sign saying "open" 99 and 0'
