"""AlphaOmega inside the real Pipelines server, against the fake Ollama: chat, code, history, tasks."""
import json
import threading
import time

import requests

from tests.fakes.ollama import Script
from tests.harness import sse_events, status_events, stream_text


def test_models_lists_alphaomega(pipelines):
    r = requests.get(pipelines.url + "/models", headers=pipelines.headers(), timeout=10)
    assert r.status_code == 200
    body = r.json()
    assert body["pipelines"] is True
    assert [(m["id"], m["name"], m["pipeline"]["type"]) for m in body["data"]] == [("alphaomega", "AlphaOmega", "pipe")]
    assert requests.get(pipelines.url + "/models", timeout=10).status_code in (401, 403)


def test_streamed_chat(pipelines, fake_ollama):
    fake_ollama.default = Script(reply="The sky is blue because of Rayleigh scattering.")
    events = pipelines.stream("Why is the sky blue?")
    assert stream_text(events) == "The sky is blue because of Rayleigh scattering."
    statuses = status_events(events)
    assert statuses[0]["description"].startswith("Routed to conversation (")
    assert statuses[1] == {"description": "Thinking with mistral…", "done": False}
    assert statuses[-1]["done"] is True
    assert events[-1] == "[DONE]"
    assert events[-2]["choices"][0]["finish_reason"] == "stop"
    sent = fake_ollama.chats()[-1]
    assert sent["model"] == "mistral" and sent["stream"] is True
    assert sent["keep_alive"] == "5m"
    assert sent["messages"][0]["role"] == "system"
    assert sent["messages"][-1] == {"role": "user", "content": "Why is the sky blue?"}


def test_non_streamed_chat_has_no_event_text(pipelines, fake_ollama):
    fake_ollama.default = Script(reply="Plain answer.")
    assert pipelines.chat("hello") == "Plain answer."
    assert fake_ollama.chats()[-1]["stream"] is False


def test_chunks_are_forwarded_as_they_arrive(pipelines, fake_ollama):
    """The fake holds the rest until the first words reached us through the Pipelines server."""
    gate = threading.Event()
    fake_ollama.push(Script(reply="first second third", gate=gate, gate_after=1))
    response = pipelines.complete("hi", stream=True)
    texts = []
    for event in sse_events(response):
        if isinstance(event, dict) and event.get("choices") and event["choices"][0]["delta"].get("content"):
            texts.append(event["choices"][0]["delta"]["content"])
            gate.set()
    assert "".join(texts) == "first second third"


def test_history_and_parameters_are_passed_on(pipelines, fake_ollama):
    history = [
        {"role": "system", "content": "You answer in French."},
        {"role": "user", "content": "hello"},
        {"role": "assistant", "content": "bonjour"},
        {"role": "user", "content": [{"type": "text", "text": "and goodbye?"}]},
    ]
    pipelines.chat(history, temperature=0.1, top_p=0.9, seed=42, stop=["\n\n"], max_tokens=64)
    sent = fake_ollama.chats()[-1]
    assert sent["messages"] == [
        {"role": "system", "content": "You answer in French."},  # theirs, so no system prompt of ours
        {"role": "user", "content": "hello"},
        {"role": "assistant", "content": "bonjour"},
        {"role": "user", "content": "and goodbye?"},
    ]
    assert sent["options"] == {"temperature": 0.1, "top_p": 0.9, "seed": 42, "stop": ["\n\n"], "num_predict": 64}


def test_code_goes_to_the_code_model(pipelines, fake_ollama):
    answer = pipelines.chat("Write a Python function that reverses a string")
    assert answer.startswith("Hello from codellama:13b")
    assert fake_ollama.chats()[-1]["model"] == "codellama:13b"


def test_empty_conversation_does_not_crash(pipelines, fake_ollama):
    r = pipelines.complete([], stream=False)
    assert r.status_code == 200 and r.json()["choices"][0]["message"]["content"]


def test_background_task_marked_by_inlet(pipelines, fake_ollama):
    """OpenWebUI drops metadata before pipe(); the inlet keeps the task name in the body."""
    body = {"model": "alphaomega", "stream": False,
            "messages": [{"role": "user", "content": "Suggest 3-5 tags for this chat about python code"}],
            "metadata": {"task": "tags_generation", "chat_id": "chat-1"}}
    marked = pipelines.inlet(body, {"id": "u1", "role": "user"})
    assert marked["_alphaomega"]["task"] == "tags_generation"
    fake_ollama.default = Script(reply='{"tags": ["Programming"]}')
    body = {k: v for k, v in marked.items() if k != "metadata"}
    r = requests.post(pipelines.url + "/chat/completions", json=body, headers=pipelines.headers(), timeout=30)
    assert r.json()["choices"][0]["message"]["content"] == '{"tags": ["Programming"]}'
    sent = fake_ollama.chats()[-1]
    assert sent["model"] == "mistral"  # the chat model, although the text mentions code
    assert sent["stream"] is False
    assert [m["role"] for m in sent["messages"]] == ["user"]  # no system prompt of ours


TITLE_TASK = """### Task:
Generate a concise, 3-5 word title with an emoji summarizing the chat history.
### Output:
JSON format: { "title": "your concise title here" }
### Chat History:
<chat_history>
USER: click the submit button and write a python script that draws an image
ASSISTANT: Done.
</chat_history>"""


def test_background_task_recognised_from_its_text(pipelines, fake_ollama):
    fake_ollama.default = Script(reply='{"title": "🖱️ Clicking Submit"}')
    assert pipelines.chat(TITLE_TASK) == '{"title": "🖱️ Clicking Submit"}'
    sent = fake_ollama.chats()
    assert len(sent) == 1 and sent[0]["model"] == "mistral" and sent[0]["stream"] is False
    decision = json.loads((pipelines.data_dir / "logs" / "pipeline.log").read_text().splitlines()[-1])
    assert decision["intent"] == "chat" and decision["task"] == "task"


def test_pipeline_log_records_each_decision(pipelines, fake_ollama):
    pipelines.chat("hello there")
    pipelines.stream("fix this SQL query please")
    lines = (pipelines.data_dir / "logs" / "pipeline.log").read_text().splitlines()
    chat, code = (json.loads(line) for line in lines[-2:])
    assert (chat["intent"], chat["model"], chat["outcome"]) == ("chat", "mistral", "ok")
    assert (code["intent"], code["model"]) == ("code_generation", "codellama:13b")
    for record in (chat, code):
        assert record["backend"] == fake_ollama.url
        assert record["reason"] and record["latency_ms"] > 0


def test_image_data_never_reaches_the_logs(pipelines, fake_ollama):
    data_uri = "data:image/png;base64," + "iVBORw0KGgo" * 200
    pipelines.chat([{"role": "user", "content": [{"type": "text", "text": "what is this?"},
                                                   {"type": "image_url", "image_url": {"url": data_uri}}]}])
    for name in ("pipeline.log", "alphaomega.log"):
        path = pipelines.data_dir / "logs" / name
        assert "iVBORw0KGgo" not in (path.read_text() if path.exists() else "")


def test_override_forces_the_route_and_is_stripped(pipelines, fake_ollama):
    pipelines.chat("/code tell me about the weather in Paris")
    sent = fake_ollama.chats()[-1]
    assert sent["model"] == "codellama:13b"
    assert sent["messages"][-1] == {"role": "user", "content": "tell me about the weather in Paris"}


def test_router_debug_appends_the_decision(pipelines, fake_ollama):
    fake_ollama.default = Script(reply="Fine.")
    assert pipelines.chat("how are you today?") == "Fine."
    pipelines.update_valves(ROUTER_DEBUG=True)
    answer = pipelines.chat("how are you today?")
    assert answer.startswith("Fine.\n\n---\n*Router: chat, confidence ")


def test_decision_is_logged_with_its_reason(pipelines, fake_ollama):
    pipelines.chat("/chat click the submit button")
    decision = json.loads((pipelines.data_dir / "logs" / "pipeline.log").read_text().splitlines()[-1])
    assert (decision["intent"], decision["reason"]) == ("chat", "/chat override")
    assert fake_ollama.chats()[-1]["messages"][-1]["content"] == "click the submit button"


def test_llm_tiebreak_asks_the_reasoning_model_with_a_schema(pipelines, fake_ollama):
    unsure = "remember the login page"
    pipelines.update_valves(ROUTER_LLM_TIEBREAK=True, ROUTER_TIEBREAK_BELOW=1.0)  # ask for every message
    fake_ollama.on_chat = lambda body: '{"route": "chat"}' if body.get("format") else None
    pipelines.chat(unsure)
    asked = [c for c in fake_ollama.chats() if c.get("format")]
    assert len(asked) == 1
    assert asked[0]["options"]["temperature"] == 0
    routes = asked[0]["format"]["properties"]["route"]["enum"]
    assert "chat" in routes and "computer_use_act" not in routes
    answered = [c for c in fake_ollama.chats() if not c.get("format")]
    assert answered[-1]["messages"][-1]["content"] == unsure
    decision = json.loads((pipelines.data_dir / "logs" / "pipeline.log").read_text().splitlines()[-1])
    assert "tie-break" in decision["reason"]


def test_stop_closes_the_ollama_stream_and_logs_it(pipelines, fake_ollama):
    """The Pipelines server never tells an answer that the browser went away: AlphaOmega notices that
    nobody reads (10 s at a yield), closes its Ollama stream so the GPU stops, and logs the request."""
    fake_ollama.push(Script(reply=" ".join(["word"] * 400), chunk_delay=0.1))  # 40 s if left alone
    response = pipelines.complete("tell me a long story", stream=True)
    lines = response.iter_lines()
    while b"word" not in next(lines):
        pass
    response.close()  # the user pressed Stop
    assert fake_ollama.client_gone.wait(30), "Ollama kept generating for a reader that left"
    log_path = pipelines.data_dir / "logs" / "pipeline.log"
    # The watch gives up after 10 s at a yield ("abandoned"), unless garbage collection finalises the
    # server's dropped stream first: then our generator is closed ("cancelled"). Finalisation has no
    # order, so the Ollama response can be closed seconds before our generator is; wait for the line.
    deadline = time.monotonic() + 15
    while not any(json.loads(line)["outcome"] in ("abandoned", "cancelled")
                  for line in log_path.read_text().splitlines()[-3:]):
        assert time.monotonic() < deadline, "pipeline.log does not say the answer was stopped"
        time.sleep(0.05)


def test_continue_response_only_continues_text(pipelines, fake_ollama):
    """OpenWebUI's "Continue response" ends the history with our own answer: never redo the request."""
    history = [{"role": "user", "content": "/do click the Send button"},
               {"role": "assistant", "content": "✓ Clicked Send button"}]
    pipelines.chat(history)
    sent = fake_ollama.chats()[-1]
    assert sent["model"] == "mistral"
    assert sent["messages"][-1] == {"role": "assistant", "content": "✓ Clicked Send button"}
    decision = json.loads((pipelines.data_dir / "logs" / "pipeline.log").read_text().splitlines()[-1])
    assert (decision["intent"], decision["reason"]) == ("chat", "continuing the previous answer")
