"""Every backend fault becomes a clear sentence in the chat, streamed or not, and nothing escapes pipe()."""
import pytest

from tests.fakes.ollama import QUEUE_FULL, RUNNER_CRASH, Script
from tests.harness import free_port, status_events, stream_text


def ask(pipelines, stream: bool, text: str = "hello") -> str:
    if stream:
        return stream_text(pipelines.stream(text))
    return pipelines.chat(text)


@pytest.mark.parametrize("stream", [True, False])
def test_reasoning_server_down(pipelines, stream):
    url = f"http://127.0.0.1:{free_port()}"
    pipelines.update_valves(OLLAMA_REASONING_URL=url)
    answer = ask(pipelines, stream)
    assert answer.startswith(f"⚠️ The reasoning server at {url} is not reachable")
    assert "OLLAMA_REASONING_URL" in answer


@pytest.mark.parametrize("stream", [True, False])
def test_model_not_pulled(pipelines, fake_ollama, stream):
    pipelines.update_valves(CHAT_MODEL="llama3")
    answer = ask(pipelines, stream)
    assert f"Model llama3 is not pulled on {fake_ollama.url}. Run: ollama pull llama3" in answer


def test_error_line_mid_stream_is_shown_after_the_text(pipelines, fake_ollama):
    fake_ollama.push(Script(reply="partial words of an answer", error_after=3))
    events = pipelines.stream("hello")
    text = stream_text(events)
    assert text.startswith("partial words of\n\n⚠️ The reasoning server at")
    assert RUNNER_CRASH in text
    assert status_events(events)[-1]["done"] is True
    assert events[-1] == "[DONE]"  # the stream still ends properly


def test_runner_crash_without_streaming(pipelines, fake_ollama):
    fake_ollama.push(Script(status=500, error_body=RUNNER_CRASH))
    assert RUNNER_CRASH in pipelines.chat("hello")


def test_busy_server(pipelines, fake_ollama):
    fake_ollama.push(Script(status=503, error_body=QUEUE_FULL))
    assert "busy" in ask(pipelines, True)


def test_slow_first_answer(pipelines, fake_ollama):
    pipelines.update_valves(REQUEST_TIMEOUT=0.5)
    fake_ollama.push(Script(first_byte_delay=2))
    answer = ask(pipelines, True)
    assert "did not answer within 0.5 s" in answer and "REQUEST_TIMEOUT" in answer


def test_stalled_stream(pipelines, fake_ollama):
    pipelines.update_valves(STREAM_CHUNK_TIMEOUT=0.5)
    fake_ollama.push(Script(reply="one two three", chunk_delay=2))
    answer = ask(pipelines, True)
    assert answer.startswith("one\n\n⚠️") and "STREAM_CHUNK_TIMEOUT" in answer


def test_dropped_connection(pipelines, fake_ollama):
    fake_ollama.push(Script(reply="one two three four", drop_after=2))
    assert "dropped the connection" in ask(pipelines, True)


def test_url_that_is_not_ollama(pipelines, fake_ollama):
    pipelines.update_valves(OLLAMA_REASONING_URL=fake_ollama.url + "/ollama")
    answer = ask(pipelines, False)
    assert "does not look like Ollama" in answer and "404 page not found" in answer


def test_malformed_stream_line(pipelines, fake_ollama):
    fake_ollama.push(Script(reply="one two three", garbage=b"<html>oops</html>\n"))
    answer = ask(pipelines, True)
    assert answer.startswith("one\n\n⚠️") and "not JSON" in answer


def test_malformed_whole_reply(pipelines, fake_ollama):
    fake_ollama.push(Script(garbage=b'["not", "an", "object"]'))
    assert "not valid Ollama JSON" in ask(pipelines, False)


def test_server_that_is_not_ollama_at_all(pipelines):
    pipelines.update_valves(OLLAMA_REASONING_URL=pipelines.url)  # answers HTTP, but not like Ollama
    answer = ask(pipelines, True)
    assert answer.startswith("⚠️") and "does not look like Ollama" in answer
