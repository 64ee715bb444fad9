"""What we read from an Ollama-compatible server is tolerant of what such servers actually send."""
from alphaomega.agents.ollama_types import ChatChunk


def test_a_genuine_ollama_line():
    chunk = ChatChunk.model_validate({"model": "llava:34b", "created_at": "2026-12-04T19:31:33Z",
                                      "message": {"role": "assistant", "content": "A red"}, "done": False})
    assert (chunk.message.content, chunk.done) == ("A red", False)


def test_nulls_fractions_and_missing_fields_from_other_servers():
    chunk = ChatChunk.model_validate({"message": {"role": None, "content": None, "tool_calls": []}, "done": True,
                                      "total_duration": 1.5e9, "eval_count": 12.0})
    assert (chunk.message.role, chunk.message.content, chunk.done) == ("assistant", "", True)
    assert ChatChunk.model_validate({"done": True}).message.content == ""
