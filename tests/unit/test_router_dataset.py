"""The labelled router set: size, languages, label hygiene, a fixed held-out split, and quality floors."""
import json
from collections import Counter

import pytest

from alphaomega.pipelines.router import ACT, INTENTS, detect_task, route
from alphaomega.pipelines.routing import dataset


@pytest.fixture(scope="module")
def written() -> list[dataset.Example]:
    return dataset.load(with_tasks=False)


def test_size_and_languages(written):
    assert len(written) >= 1500
    per_language = Counter(e.lang for e in written)
    assert set(per_language) == set(dataset.LANGUAGES) and min(per_language.values()) >= 300
    for lang in dataset.LANGUAGES:
        assert {e.intent for e in written if e.lang == lang} == set(INTENTS), lang


def test_images_only_where_an_image_can_be(written):
    assert {e.intent for e in written if e.has_image} == {"vision", "image_generation"}
    assert all(e.has_image for e in written if e.intent == "vision")


def test_no_message_appears_twice(written):
    seen: set[tuple[str, bool]] = set()
    for e in written:
        key = (e.text.strip().lower(), e.has_image)
        assert key not in seen, e.text
        seen.add(key)


def test_the_held_out_split_is_fixed(written):
    held = [e for e in written if e.held_out]
    assert 0.15 < len(held) / len(written) < 0.25
    # The split depends on the text alone, so it cannot move when messages are added or reordered.
    probe = dataset.Example("a watercolor fox on a pier", "image_generation", "en")
    assert probe.held_out == any(e.text == probe.text and e.held_out for e in written)
    assert dataset.Example("x", "chat", "en").held_out == dataset.Example("x", "code_generation", "de").held_out


def test_tasks_are_rendered_from_every_template():
    spec = json.loads((dataset.DATA_DIR / "task_templates.json").read_text(encoding="utf-8"))
    tasks = [e for e in dataset.load() if e.is_task]
    assert {e.source.split(":", 1)[1] for e in tasks} == set(spec["templates"])
    assert all(e.intent == "chat" and detect_task(e.text) for e in tasks)
    assert any("click" in e.text.lower() for e in tasks) and any("draw" in e.text.lower() for e in tasks)


def test_the_adversarial_set_is_separate(written):
    adversarial = dataset.load_adversarial()
    assert len(adversarial) >= 150
    assert not {e.text for e in adversarial} & {e.text for e in written}


def test_the_fresh_set_is_separate_and_covers_every_intent_and_language(written):
    fresh = dataset.load_fresh()
    assert len(fresh) >= 300
    assert not {e.text.strip().lower() for e in fresh} & {e.text.strip().lower() for e in written}
    assert not {e.text for e in fresh} & {e.text for e in dataset.load_adversarial()}
    assert {e.lang for e in fresh} == set(dataset.LANGUAGES)
    assert {e.intent for e in fresh} == set(INTENTS)
    tasks = [e for e in fresh if e.is_task]
    assert tasks and all(e.intent == "chat" for e in tasks)
    assert any(e.text.startswith("### Task:") for e in tasks)  # the `\\#` escape of the format


# Each blind set was written without reading the other files, yet some short everyday messages
# ("make it shorter", "press escape", "quita el fondo") coincide with earlier ones; the benchmark
# also scores the rest alone. No more coincidences than these may appear.
BLIND_SETS = [("blind3", 300, 44), ("blind4", 350, 10), ("blind5", 350, 35)]


@pytest.mark.parametrize("name, at_least, shared_at_most", BLIND_SETS)
def test_each_blind_set_is_separate_and_covers_every_intent_and_language(written, name, at_least, shared_at_most):
    blind = dataset.load_scored(name)
    assert len(blind) >= at_least
    earlier = dataset.SCORED_SETS[:dataset.SCORED_SETS.index(name)]
    others = written + [e for n in earlier for e in dataset.load_scored(n)]
    assert len({e.text.strip().lower() for e in blind} & {e.text.strip().lower() for e in others}) <= shared_at_most
    assert {e.lang for e in blind} == set(dataset.LANGUAGES)
    assert {e.intent for e in blind} == set(INTENTS)
    assert any(e.is_task for e in blind) and all(e.intent == "chat" for e in blind if e.is_task)


def _misrouted(examples: list[dataset.Example]) -> list[tuple[dataset.Example, str]]:
    return [(e, d.intent) for e in examples if (d := route(e.text, e.has_image)).intent != e.intent]


def test_held_out_quality_floor():
    """A regression floor, well under the measured figure (see benchmarks/router.py)."""
    _, held_out = dataset.split(dataset.load())
    wrong = _misrouted(held_out)
    assert 1 - len(wrong) / len(held_out) >= 0.94, [(e.text, got) for e, got in wrong]


@pytest.mark.parametrize("which", ["all labelled messages", "adversarial set", "fresh set", "blind3 set",
                                   "blind4 set", "blind5 set"])
def test_no_message_that_is_not_an_action_is_routed_to_act(which):
    examples = {"all labelled messages": dataset.load, "adversarial set": dataset.load_adversarial,
                "fresh set": dataset.load_fresh, "blind3 set": dataset.load_blind3,
                "blind4 set": dataset.load_blind4, "blind5 set": dataset.load_blind5}[which]()
    false_acts = [e.text for e, got in _misrouted(examples) if got == ACT]
    assert false_acts == []
