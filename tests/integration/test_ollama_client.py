"""The Ollama client against the fake Ollama: wire format, streaming, and every fault."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from alphaomega.agents.errors import (
    BackendError,
    BackendStreamError,
    BackendTimeout,
    BackendUnavailable,
    ModelNotFound,
)
from alphaomega.agents.ollama import OllamaClient, ServerInfo, Timeouts, canonical_model_name
from alphaomega.agents.ollama_types import ChatMessage, ChatOptions, ChatRequest
from tests.fakes.ollama import QUEUE_FULL, RUNNER_CRASH, Script
from tests.harness import free_port


def request(model="mistral", **extra) -> ChatRequest:
    return ChatRequest(model=model, messages=[ChatMessage(role="user", content="hi")], stream=True, **extra)


@pytest.fixture
def client(fake_ollama):
    c = OllamaClient(ServerInfo(fake_ollama.url), Timeouts(connect=2, first_byte=5, between_chunks=5))
    yield c
    c.close()


def streamed(client, req):
    return "".join(chunk.message.content for chunk in client.stream_chat(req))


def test_stream_and_final_chunk(client, fake_ollama):
    fake_ollama.default = Script(reply="one two three")
    chunks = list(client.stream_chat(request()))
    assert "".join(c.message.content for c in chunks) == "one two three"
    assert chunks[-1].done and chunks[-1].done_reason == "stop" and chunks[-1].eval_count == 3
    sent = fake_ollama.chats()[-1]
    assert sent["stream"] is True and sent["model"] == "mistral"


def test_non_stream(client, fake_ollama):
    fake_ollama.default = Script(reply="whole answer")
    assert client.chat(request()).message.content == "whole answer"
    assert fake_ollama.chats()[-1]["stream"] is False


def test_options_and_keep_alive_on_the_wire(client, fake_ollama):
    client.chat(request(options=ChatOptions(temperature=0.2, num_predict=10, stop=["END"]), keep_alive=300))
    sent = fake_ollama.chats()[-1]
    assert sent["options"] == {"temperature": 0.2, "num_predict": 10, "stop": ["END"]}
    assert sent["keep_alive"] == 300


def test_chunks_are_handed_on_as_they_arrive(client, fake_ollama):
    """The fake holds the rest of the answer until the client has the first chunk: no buffering."""
    gate = threading.Event()
    fake_ollama.push(Script(reply="first second third", gate=gate, gate_after=1))
    stream = client.stream_chat(request())
    first = next(stream)
    assert first.message.content == "first"
    gate.set()
    assert "".join(c.message.content for c in stream) == " second third"


def test_connection_refused(fake_ollama):
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(BackendUnavailable) as err:
        OllamaClient(ServerInfo(url)).chat(request())
    assert err.value.user_message.startswith(f"The reasoning server at {url} is not reachable")
    assert "OLLAMA_REASONING_URL" in err.value.user_message


def test_model_not_pulled_names_the_command(client, fake_ollama):
    with pytest.raises(ModelNotFound) as err:
        streamed(client, request("llama3"))
    message = err.value.user_message
    assert message.startswith(f"Model llama3 is not pulled on {fake_ollama.url}. Run: ollama pull llama3")
    assert "mistral:latest" in message  # what is installed there


def test_error_line_mid_stream_keeps_the_text_so_far(client, fake_ollama):
    fake_ollama.push(Script(reply="a b c d e f", error_after=3))
    received = []
    with pytest.raises(BackendStreamError) as err:
        for chunk in client.stream_chat(request()):
            received.append(chunk.message.content)
    assert "".join(received) == "a b c"
    assert RUNNER_CRASH in err.value.user_message


def test_dropped_connection(client, fake_ollama):
    fake_ollama.push(Script(reply="a b c d", drop_after=2))
    with pytest.raises(BackendStreamError) as err:
        streamed(client, request())
    assert "incomplete" in err.value.user_message


def test_slow_first_byte(fake_ollama):
    client = OllamaClient(ServerInfo(fake_ollama.url), Timeouts(connect=2, first_byte=0.5, between_chunks=5))
    fake_ollama.push(Script(first_byte_delay=2))
    with pytest.raises(BackendTimeout) as err:
        client.chat(request())
    assert "REQUEST_TIMEOUT" in err.value.user_message


def test_stall_between_chunks_has_its_own_limit(fake_ollama):
    client = OllamaClient(ServerInfo(fake_ollama.url), Timeouts(connect=2, first_byte=5, between_chunks=0.3))
    fake_ollama.push(Script(reply="a b c", chunk_delay=1.5))
    received = []
    with pytest.raises(BackendTimeout) as err:
        for chunk in client.stream_chat(request()):
            received.append(chunk.message.content)
    assert received == ["a"]
    assert "STREAM_CHUNK_TIMEOUT" in err.value.user_message


def test_wrong_base_url_gets_plain_text_404(fake_ollama):
    client = OllamaClient(ServerInfo(fake_ollama.url + "/v1"))
    with pytest.raises(BackendError) as err:
        client.chat(request())
    assert "does not look like Ollama" in err.value.user_message
    assert "404 page not found" in err.value.user_message


def test_server_error_and_busy(client, fake_ollama):
    fake_ollama.push(Script(status=500, error_body=RUNNER_CRASH))
    with pytest.raises(BackendError) as err:
        client.chat(request())
    assert RUNNER_CRASH in err.value.user_message and err.value.status == 500
    fake_ollama.push(Script(status=503, error_body=QUEUE_FULL))
    with pytest.raises(BackendError) as err:
        streamed(client, request())
    assert "busy" in err.value.user_message


def test_model_list_is_cached(client, fake_ollama):
    assert client.has_model("mistral") and client.has_model("codellama:13b")
    assert not client.has_model("llava:7b")
    tags_calls = [r for r in fake_ollama.received if r.path == "/api/tags"]
    assert len(tags_calls) == 1


def test_show_capabilities(client):
    assert "vision" in client.show("llava:34b").capabilities
    assert "vision" not in client.show("mistral").capabilities


def test_canonical_names():
    assert canonical_model_name("mistral") == "mistral:latest"
    assert canonical_model_name("codellama:13b") == "codellama:13b"
    assert canonical_model_name("registry.local:5000/team/model") == "registry.local:5000/team/model:latest"


class _Http10Ollama(BaseHTTPRequestHandler):
    """An Ollama-compatible server that differs from Ollama's framing: HTTP/1.0, no chunked encoding,
    the body ends when the connection closes, and `stream: false` is ignored."""

    protocol_version = "HTTP/1.0"
    released = threading.Event()

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.end_headers()
        for index, word in enumerate(["alpha", " beta", " gamma"]):
            if index == 1:
                self.released.wait(10)
            line = {"model": "m", "created_at": "2026-12-04T00:00:00Z",
                    "message": {"role": "assistant", "content": word}, "done": False}
            self.wfile.write(json.dumps(line).encode() + b"\n")
            self.wfile.flush()
        final = {"model": "m", "created_at": "2026-12-04T00:00:00Z", "message": {"role": "assistant", "content": ""},
                 "done": True}
        self.wfile.write(json.dumps(final).encode() + b"\n")


@pytest.fixture
def http10_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Http10Ollama)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Http10Ollama.released.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    _Http10Ollama.released.set()
    server.shutdown()
    server.server_close()


def test_unchunked_stream_is_still_read_as_it_arrives(http10_server):
    client = OllamaClient(ServerInfo(http10_server), Timeouts(connect=2, first_byte=5, between_chunks=5))
    stream = client.stream_chat(request("m"))
    assert next(stream).message.content == "alpha"  # before the server sends the rest
    _Http10Ollama.released.set()
    assert "".join(c.message.content for c in stream) == " beta gamma"


def test_non_stream_request_answered_with_a_stream(http10_server):
    _Http10Ollama.released.set()
    client = OllamaClient(ServerInfo(http10_server), Timeouts(connect=2, first_byte=5, between_chunks=5))
    assert client.chat(request("m")).message.content == "alpha beta gamma"
