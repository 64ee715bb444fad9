"""The fake Ollama must not drift from the recorded real-server transcripts.

Each case replays a recorded request against the fake and compares status, content type,
framing headers, key order of every JSON object, and the exact error strings.
"""
import json
from pathlib import Path

import pytest
import requests

from tests.fakes.ollama import FakeModel, FakeOllama, Script

TRANSCRIPTS = Path(__file__).resolve().parent.parent / "data" / "ollama_transcripts"
FRAMING_HEADERS = ("Content-Type", "Transfer-Encoding", "Allow")


def load(name: str) -> dict:
    return json.loads((TRANSCRIPTS / f"{name}.json").read_text())


def key_shape(value):
    """Keys in order, recursively; values reduced to their JSON type."""
    if isinstance(value, dict):
        return [(k, key_shape(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [key_shape(v) for v in value[:1]]
    return type(value).__name__


@pytest.fixture(scope="module")
def fake():
    with FakeOllama(models=(FakeModel("tiny:latest", parameter_size="151K"),)) as server:
        yield server


def replay(fake, name: str, script: Script | None = None, body: bytes | None = None) -> requests.Response:
    recorded = load(name)["request"]
    if script:
        fake.push(script)
    path = recorded["url"].split("11434", 1)[1]
    data = body
    if data is None and recorded["json"] is not None:
        data = json.dumps(recorded["json"]).encode()
    return requests.request(recorded["method"], fake.url + path, data=data, timeout=10,
                            headers={"Content-Type": "application/json"} if data else {})


def assert_framing(response: requests.Response, recorded: dict) -> None:
    assert response.status_code == recorded["status"]
    for header in FRAMING_HEADERS:
        assert response.headers.get(header) == recorded["headers"].get(header), header
    assert "Server" not in response.headers
    assert ("Content-Length" in response.headers) == ("Content-Length" in recorded["headers"])


@pytest.mark.parametrize("name", [
    "16_show_missing", "25_chat_missing_model_stream", "25b_chat_missing_model_nonstream",
    "46_chat_keepalive_bad", "47_chat_keepalive_string_no_unit", "62_chat_no_body", "63_chat_no_model",
    "64_chat_bad_role_type", "65_chat_options_bad_type", "24d_chat_image_with_datauri_prefix",
    "12_version", "14_ps_empty",
])
def test_exact_json_bodies(fake, name):
    recorded = load(name)["response"]
    body = b"" if name == "62_chat_no_body" else None
    response = replay(fake, name, body=body)
    assert_framing(response, recorded)
    assert response.json() == recorded["body_json"]


def test_truncated_json_is_unexpected_eof(fake):
    response = replay(fake, "61_chat_invalid_json", body=b'{"model": "tiny", "messages": [')
    assert_framing(response, load("61_chat_invalid_json")["response"])
    assert response.json() == {"error": "unexpected EOF"}


@pytest.mark.parametrize("name", ["67_get_on_post_route", "68_unknown_route", "10_get_root", "11_head_root"])
def test_plain_text_routes(fake, name):
    recorded = load(name)["response"]
    response = replay(fake, name)
    assert_framing(response, recorded)
    assert response.text == (recorded["body_text"] or "")


def test_tags_shape(fake):
    recorded = load("13_tags")["response"]
    response = replay(fake, "13_tags")
    assert_framing(response, recorded)
    assert key_shape(response.json()) == key_shape(recorded["body_json"])


@pytest.mark.parametrize("name", [
    "22_chat_nonstream", "23_chat_system_history_nonstream", "36_chat_empty_messages_load"])
def test_non_stream_shape(fake, name):
    recorded = load(name)["response"]
    response = replay(fake, name, Script(done_reason=recorded["body_json"].get("done_reason", "stop")))
    assert_framing(response, recorded)
    ours, theirs = response.json(), recorded["body_json"]
    assert key_shape(ours) == key_shape(theirs)
    assert ours["model"] == theirs["model"]  # echoes the request's spelling
    assert ours["created_at"].endswith("Z") and "." in ours["created_at"]


def ndjson(response: requests.Response) -> list[dict]:
    return [json.loads(line) for line in response.content.split(b"\n") if line]


def test_stream_framing_and_chunk_shapes(fake):
    recorded_lines = [json.loads(line) for line in
                      (TRANSCRIPTS / "20_chat_stream_coldload.ndjson").read_text().splitlines()]
    response = replay(fake, "20_chat_stream_coldload", Script(reply="a b c d", done_reason="length"))
    assert_framing(response, load("20_chat_stream_coldload")["response"])
    assert response.content.endswith(b"}\n")
    ours = ndjson(response)
    assert key_shape(ours[0]) == key_shape(recorded_lines[0])
    assert key_shape(ours[-1]) == key_shape(recorded_lines[-1])
    assert ours[-1]["message"]["content"] == "" and ours[-1]["done"] is True
    assert all(not line["done"] for line in ours[:-1])


def test_error_line_mid_stream(fake):
    recorded = (TRANSCRIPTS / "72_chat_stream_runner_killed_midstream.ndjson").read_text().splitlines()
    response = replay(fake, "72_chat_stream_runner_killed_midstream", Script(reply="a b c d e f g h", error_after=5))
    assert response.status_code == 200
    ours = ndjson(response)
    assert len(ours) == len(recorded)
    assert ours[-1] == json.loads(recorded[-1])
    assert not any(line.get("done") for line in ours)


def test_runner_crash_non_stream(fake):
    recorded = load("73_chat_nonstream_runner_killed")["response"]
    response = replay(fake, "73_chat_nonstream_runner_killed", Script(status=500))
    assert_framing(response, recorded)
    assert response.json() == recorded["body_json"]


def test_zero_metrics_are_omitted(fake):
    """[27] has eval_count 1 and no eval_duration: a double must not send zeros."""
    fake.push(Script(reply="x"))
    response = requests.post(fake.url + "/api/chat", json={"model": "tiny", "stream": False,
                                                           "messages": [{"role": "user", "content": "hi"}]})
    assert all(value != 0 for value in response.json().values() if isinstance(value, int))
