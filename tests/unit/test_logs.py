"""Logs never hold image data."""
from alphaomega.pipelines.logs import redact_images


def test_data_uris_and_long_base64_are_removed():
    line = "got data:image/png;base64," + "A" * 5000 + " and " + "B" * 600 + " end"
    cleaned = redact_images(line)
    assert "AAAA" not in cleaned and "BBBB" not in cleaned
    assert cleaned.startswith("got <image omitted> and <base64 omitted> end")


def test_ordinary_text_is_untouched():
    assert redact_images("model mistral answered in 12 ms") == "model mistral answered in 12 ms"
