"""Forgiving parsing of what OpenWebUI sends to pipe()."""
from alphaomega.agents.backends import Backends
from alphaomega.pipelines.request import META_KEY, build_context, parse_turn
from alphaomega.valves import defaults_only

VALVES = defaults_only()
BACKENDS = Backends.from_valves(VALVES)


def ctx_for(body, messages=None):
    return build_context(body, messages if messages is not None else body.get("messages", []), VALVES, BACKENDS)


def test_text_and_images_are_separated():
    turn = parse_turn({"role": "user", "content": [
        {"type": "text", "text": "what is this?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
    ]})
    assert turn.text == "what is this?"
    assert [i.url for i in turn.images] == ["data:image/png;base64,AAAA"]


def test_junk_messages_and_parts_are_dropped():
    body = {"messages": [None, {"content": "no role"}, {"role": "user", "content": [1, {"type": "text"}, "x"]},
                         {"role": "user", "content": "last"}]}
    ctx = ctx_for(body)
    assert [t.text for t in ctx.history] == ["", "last"]
    assert ctx.text == "last"


def test_stream_defaults_to_true_like_the_server():
    assert ctx_for({"messages": []}).stream is True
    assert ctx_for({"messages": [], "stream": False}).stream is False


def test_user_role_and_inlet_metadata():
    ctx = ctx_for({"messages": [], "user": {"id": "7", "role": "admin", "name": "A", "email": "a@x"},
                   META_KEY: {"task": "title_generation", "chat_id": "c1"}})
    assert ctx.user.role == "admin"
    assert (ctx.task, ctx.chat_id) == ("title_generation", "c1")


def test_missing_or_broken_user_means_plain_user():
    assert ctx_for({"messages": []}).user.role == "user"
    assert ctx_for({"messages": [], "user": "nonsense"}).user.role == "user"


def test_params_keep_valid_values_and_drop_junk():
    ctx = ctx_for({"messages": [], "temperature": "warm", "top_p": 0.5, "seed": 3, "stop": "END",
                   "max_tokens": 100})
    assert ctx.params.temperature is None
    assert (ctx.params.top_p, ctx.params.seed, ctx.params.stop, ctx.params.max_tokens) == (0.5, 3, ["END"], 100)


def test_last_user_message_is_the_text_even_after_an_assistant_turn():
    ctx = ctx_for({"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]})
    assert ctx.text == "q"
