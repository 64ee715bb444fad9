"""Valves through the Pipelines server's own endpoints: read, spec, update, persistence, restart."""
import requests

from tests.fakes.ollama import FakeOllama, Script
from tests.harness import PipelinesServer


def test_valves_start_from_the_environment(pipelines, fake_ollama):
    valves = pipelines.valves()
    assert valves["OLLAMA_REASONING_URL"] == fake_ollama.url  # from ALPHAOMEGA_OLLAMA_REASONING_URL
    assert valves["CHAT_MODEL"] == "mistral"


def test_spec_drives_the_admin_form(pipelines):
    spec = requests.get(pipelines.url + "/alphaomega/valves/spec", timeout=10).json()
    props = spec["properties"]
    assert props["TEMPERATURE"]["title"] == "Temperature"
    assert props["STATUS_EVENTS"]["type"] == "boolean"
    assert props["LOG_LEVEL"]["enum"] == ["DEBUG", "INFO", "WARNING", "ERROR"]
    assert all(p.get("description") for p in props.values())


def test_update_is_persisted_and_used_by_the_next_answer(pipelines, fake_ollama):
    updated = pipelines.update_valves(TEMPERATURE="0.3", SYSTEM_PROMPT="Answer like a pirate.",
                                      STATUS_EVENTS=False)
    assert (updated["TEMPERATURE"], updated["STATUS_EVENTS"]) == (0.3, False)
    saved = pipelines.valves_file()
    assert saved["TEMPERATURE"] == 0.3 and saved["SYSTEM_PROMPT"] == "Answer like a pirate."
    events = pipelines.stream("hello")
    assert not any(isinstance(e, dict) and "event" in e for e in events)
    sent = fake_ollama.chats()[-1]
    assert sent["options"]["temperature"] == 0.3
    assert sent["messages"][0] == {"role": "system", "content": "Answer like a pirate."}


def test_invalid_update_is_refused_and_changes_nothing(pipelines):
    before = pipelines.valves()
    r = requests.post(pipelines.url + "/alphaomega/valves/update", json={**before, "TEMPERATURE": "hot"}, timeout=10)
    assert r.status_code == 500 and "TEMPERATURE" in r.json()["detail"]
    assert pipelines.valves() == before


def test_new_backend_url_takes_effect_without_restart(pipelines, fake_ollama):
    with FakeOllama() as other:
        other.default = Script(reply="from the other server")
        pipelines.update_valves(OLLAMA_REASONING_URL=other.url)
        assert pipelines.chat("hi") == "from the other server"
        assert other.chats() and not fake_ollama.chats()


def test_valves_survive_a_restart(fake_ollama, tmp_path):
    server = PipelinesServer.start(tmp_path, env={"ALPHAOMEGA_OLLAMA_REASONING_URL": fake_ollama.url})
    try:
        server.update_valves(CHAT_MODEL="codellama:13b", TEMPERATURE=0.05)
        server.restart()
        assert server.valves()["CHAT_MODEL"] == "codellama:13b"
        assert server.chat("hello").startswith("Hello from codellama:13b")
        assert fake_ollama.chats()[-1]["options"]["temperature"] == 0.05
    finally:
        server.stop()
