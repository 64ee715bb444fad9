"""Valves: admin-form metadata, environment presets, validation."""
import pytest
from pydantic import ValidationError

from alphaomega.valves import Valves, defaults_only, env_var

REQUIRED = {
    "OLLAMA_REASONING_URL": "http://localhost:11435",
    "OLLAMA_VISION_URL": "http://localhost:11434",
    "COMFYUI_URL": "http://localhost:8188",
    "CHAT_MODEL": "mistral",
    "CODE_MODEL": "codellama:13b",
    "VISION_MODEL": "llava:34b",
}


def test_required_valves_and_defaults(monkeypatch):
    for name in list(Valves.model_fields):
        monkeypatch.delenv(env_var(name), raising=False)
    valves = Valves()
    for name, default in REQUIRED.items():
        assert getattr(valves, name) == default
    for name in ("KEEP_ALIVE", "REQUEST_TIMEOUT", "TEMPERATURE", "SYSTEM_PROMPT"):
        assert name in Valves.model_fields


def test_every_field_has_title_and_description():
    schema = Valves.model_json_schema()
    for name, spec in schema["properties"].items():
        assert spec.get("title"), name
        assert len(spec.get("description", "")) > 20, name


def test_environment_presets_each_valve(monkeypatch):
    monkeypatch.setenv("ALPHAOMEGA_CHAT_MODEL", "llama3.1:8b")
    monkeypatch.setenv("ALPHAOMEGA_TEMPERATURE", "0.2")
    monkeypatch.setenv("ALPHAOMEGA_STATUS_EVENTS", "false")
    valves = Valves()
    assert valves.CHAT_MODEL == "llama3.1:8b"
    assert valves.TEMPERATURE == 0.2
    assert valves.STATUS_EVENTS is False


def test_left_out_keys_fall_back_to_environment_not_class_default(monkeypatch):
    """The Pipelines server rebuilds valves from the keys it is sent."""
    monkeypatch.setenv("ALPHAOMEGA_CHAT_MODEL", "llama3.1:8b")
    assert Valves(TEMPERATURE=0.1).CHAT_MODEL == "llama3.1:8b"
    assert Valves(CHAT_MODEL="phi3").CHAT_MODEL == "phi3"


def test_defaults_only_ignores_a_broken_environment(monkeypatch):
    monkeypatch.setenv("ALPHAOMEGA_TEMPERATURE", "very hot")
    with pytest.raises(ValidationError):
        Valves()
    assert defaults_only().TEMPERATURE == Valves.model_fields["TEMPERATURE"].default


def test_form_strings_are_converted():
    """OpenWebUI's admin form sends numbers and booleans back as strings."""
    valves = Valves(TEMPERATURE="0.25", STATUS_EVENTS="true", NUM_CTX="8192")
    assert (valves.TEMPERATURE, valves.STATUS_EVENTS, valves.NUM_CTX) == (0.25, True, 8192)


@pytest.mark.parametrize("value", ["localhost:11434", "ftp://x", ""])
def test_urls_must_be_http(value):
    with pytest.raises(ValidationError):
        Valves(OLLAMA_REASONING_URL=value)


def test_url_trailing_slash_is_dropped():
    assert Valves(OLLAMA_REASONING_URL="http://gpu1:11435/").OLLAMA_REASONING_URL == "http://gpu1:11435"


@pytest.mark.parametrize("value,sent", [("5m", "5m"), ("1h30m", "1h30m"), ("300", 300), ("-1", -1), ("10s", "10s")])
def test_keep_alive_goes_out_in_a_form_ollama_accepts(value, sent):
    assert Valves(KEEP_ALIVE=value).keep_alive_for_ollama() == sent


@pytest.mark.parametrize("value", ["5 minutes", "forever", "m5"])
def test_keep_alive_rejects_what_ollama_would(value):
    with pytest.raises(ValidationError):
        Valves(KEEP_ALIVE=value)


def test_unknown_keys_are_ignored():
    assert not hasattr(Valves(NOT_A_VALVE=1), "NOT_A_VALVE")


def test_admin_default_toggle_sends_null_and_gets_the_default(monkeypatch):
    """OpenWebUI's per-valve "Default" toggle sends null for the value."""
    monkeypatch.delenv("ALPHAOMEGA_CHAT_MODEL", raising=False)
    valves = Valves(TEMPERATURE=None, CHAT_MODEL=None, STATUS_EVENTS=None)
    assert valves.TEMPERATURE == Valves.model_fields["TEMPERATURE"].default
    assert valves.CHAT_MODEL == "mistral" and valves.STATUS_EVENTS is True


def test_default_toggle_keeps_the_environment(monkeypatch):
    monkeypatch.setenv("ALPHAOMEGA_OLLAMA_REASONING_URL", "http://gpu-box:11435")
    assert Valves(OLLAMA_REASONING_URL=None).OLLAMA_REASONING_URL == "http://gpu-box:11435"


def test_no_valve_shows_an_empty_box_in_the_admin_form():
    """The admin form refuses to save while any text box is empty, so a valve that can be empty must be
    optional and hold null (drawn as "Default") instead of "" or []."""
    for name, value in defaults_only().model_dump().items():
        assert value not in ("", []), f"{name} would block saving the admin form"
