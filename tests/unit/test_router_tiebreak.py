"""The optional LLM tie-break, against the fake Ollama server: schema, timeout, bad answers, never act."""
import pytest

from alphaomega.agents.ollama import OllamaClient, ServerInfo, Timeouts
from alphaomega.pipelines import router
from alphaomega.pipelines.router import ACT, route
from alphaomega.pipelines.routing.tiebreak import OTHER, make_tiebreak, parse_route
from tests.fakes.ollama import Script
from tests.harness import free_port


@pytest.fixture
def always_unsure(monkeypatch):
    """Make every decision "unsure" so that the tie-break is asked (the default threshold, not the client)."""
    monkeypatch.setattr(router, "UNSURE_PROBABILITY", 1.01)


@pytest.fixture
def tiebreak(fake_ollama):
    client = OllamaClient(ServerInfo(fake_ollama.url), Timeouts())
    made = make_tiebreak(client, "mistral", timeout=2.0)
    yield made
    made.close()
    client.close()


def test_the_model_is_asked_with_a_json_schema_at_temperature_zero(fake_ollama, tiebreak, always_unsure):
    fake_ollama.push(Script(reply='{"route": "chat"}'))
    decision = route("write a python function that adds two numbers", tiebreak=tiebreak)
    assert decision.intent == "chat" and "tie-break chose chat" in decision.reason
    [body] = fake_ollama.chats()
    assert body["model"] == "mistral" and body["stream"] is False
    assert body["options"]["temperature"] == 0
    schema = body["format"]
    assert schema["required"] == ["route"]
    enum = schema["properties"]["route"]["enum"]
    assert OTHER in enum and "vision" not in enum and "code_generation" in enum
    assert body["messages"][-1] == {"role": "user", "content": "write a python function that adds two numbers"}


def test_the_model_is_not_asked_when_the_classifier_is_sure(fake_ollama, tiebreak):
    assert route("hit the Save button for me", tiebreak=tiebreak).intent == ACT
    assert fake_ollama.chats() == []


def test_an_llm_action_for_a_how_to_question_is_refused(fake_ollama, tiebreak, always_unsure):
    fake_ollama.push(Script(reply='{"route": "computer_use_act"}'))
    decision = route("how do I click the Save button in Word?", tiebreak=tiebreak)
    assert decision.intent != ACT
    enum = fake_ollama.chats()[0]["format"]["properties"]["route"]["enum"]
    assert ACT not in enum  # not even offered when the guards found no clean imperative


def test_an_llm_action_passes_only_through_the_act_gate(fake_ollama, tiebreak, always_unsure):
    fake_ollama.push(Script(reply='{"route": "computer_use_act"}'))
    assert route("click the blue Submit button", tiebreak=tiebreak).intent == ACT
    fake_ollama.push(Script(reply='{"route": "computer_use_act"}'))
    assert route("what's on my screen right now?", tiebreak=tiebreak).intent != ACT


@pytest.mark.parametrize("reply", ["I think this is chat.", '{"route": "banana"}', '{"route": 3}', "",
                                   '{"route": "vision"}', '{"route": "other"}', "{not json"])
def test_an_unusable_answer_keeps_the_classifier_choice(fake_ollama, tiebreak, always_unsure, reply):
    expected = route("write a python function that adds two numbers").intent
    fake_ollama.push(Script(reply=reply))
    decision = route("write a python function that adds two numbers", tiebreak=tiebreak)
    assert decision.intent == expected
    assert "tie-break" in decision.reason


def test_single_quoted_json_is_understood(fake_ollama, tiebreak, always_unsure):
    fake_ollama.push(Script(reply="{'route': 'chat'}"))
    assert route("write a python function that adds two numbers", tiebreak=tiebreak).intent == "chat"


def test_a_slow_model_times_out_and_the_classifier_choice_stands(fake_ollama, always_unsure):
    client = OllamaClient(ServerInfo(fake_ollama.url), Timeouts())
    slow = make_tiebreak(client, "mistral", timeout=0.3)
    try:
        expected = route("write a python function that adds two numbers").intent
        fake_ollama.push(Script(reply='{"route": "chat"}', first_byte_delay=1.5))
        decision = route("write a python function that adds two numbers", tiebreak=slow)
        assert decision.intent == expected and "no usable answer" in decision.reason
        assert len(fake_ollama.chats()) == 1  # it was asked; its late answer was not used
    finally:
        slow.close()
        client.close()


@pytest.mark.parametrize("status", [500, 503])
def test_a_failing_server_keeps_the_classifier_choice(fake_ollama, tiebreak, always_unsure, status):
    expected = route("write a python function that adds two numbers").intent
    fake_ollama.push(Script(status=status))
    assert route("write a python function that adds two numbers", tiebreak=tiebreak).intent == expected


def test_an_unreachable_server_keeps_the_classifier_choice(always_unsure):
    client = OllamaClient(ServerInfo(f"http://127.0.0.1:{free_port()}"), Timeouts())
    unreachable = make_tiebreak(client, "mistral", timeout=1.0)
    try:
        expected = route("write a python function that adds two numbers").intent
        assert route("write a python function that adds two numbers", tiebreak=unreachable).intent == expected
    finally:
        unreachable.close()
        client.close()


def test_a_missing_model_keeps_the_classifier_choice(fake_ollama, always_unsure):
    client = OllamaClient(ServerInfo(fake_ollama.url), Timeouts())
    missing = make_tiebreak(client, "no-such-model", timeout=2.0)
    try:
        expected = route("write a python function that adds two numbers").intent
        assert route("write a python function that adds two numbers", tiebreak=missing).intent == expected
    finally:
        missing.close()
        client.close()


def test_unsure_below_chooses_how_often_the_model_is_asked(fake_ollama, tiebreak):
    fake_ollama.default = Script(reply='{"route": "chat"}')
    text = "write a python function that adds two numbers"
    assert route(text, tiebreak=tiebreak, unsure_below=0.0).intent == "code_generation"
    assert fake_ollama.chats() == []
    assert route(text, tiebreak=tiebreak, unsure_below=1.0).intent == "chat"
    assert len(fake_ollama.chats()) == 1


@pytest.mark.parametrize("content, route_name", [
    ('{"route": "chat"}', "chat"), ("{'route': 'tools'}", "tools"), ('route: code_generation', "code_generation"),
    ('```json\n{"route": "chat"}\n```', "chat"), ('{"route": "CHAT"}', "chat"), ('{"route": "act"}', None),
])
def test_parse_route(content, route_name):
    assert parse_route(content, ["chat", "tools", "code_generation"]) == route_name
