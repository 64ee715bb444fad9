"""The schema layer: jsonschema is the authority, the translated fast check must agree with it."""
import copy
import random

import pytest

from alphaomega.safety import schema
from tests.unit.safety_cases import BENIGN, BLOCK_ONLY, CONFIRM_OR_BLOCK, MALFORMED

TABLE = [case[0] for case in BENIGN + BLOCK_ONLY + CONFIRM_OR_BLOCK] + MALFORMED
JUNK = [None, True, False, 0, 1, -1, 3.0, 2.5, 4096, 10 ** 20, float("nan"), float("inf"), "", "a", "ctrl", "x" * 600,
        "\n", [], ["ctrl"], ["ctrl", "ctrl"], {}, {"x": 1}, {"x": 1, "y": 2}, {"x": 1, "y": 2, "z": 3}]


def _agree(action) -> None:
    kind = action.get("type") if isinstance(action, dict) else None
    if not isinstance(kind, str) or kind not in schema.action_validators():
        return
    fast = schema.fast_checks()[kind](action)
    slow = schema.action_validators()[kind].is_valid(action)
    assert fast == slow, action


def test_every_action_type_is_translated():
    assert set(schema.fast_checks()) == set(schema.action_types())


@pytest.mark.parametrize("action", TABLE, ids=lambda a: repr(a)[:60])
def test_fast_check_agrees_with_jsonschema_on_the_table(action):
    _agree(action)


def test_fast_check_agrees_with_jsonschema_on_mutations():
    rng = random.Random(7)
    valid = [case[0] for case in BENIGN if schema.check(case[0]).verdict == "allow"]
    for _ in range(6000):
        action = copy.deepcopy(rng.choice(valid))
        for _ in range(rng.randint(1, 3)):
            keys = list(action) + ["extra", "target", "button", "clicks", "modifiers", "repeat"]
            name = rng.choice(keys)
            roll = rng.random()
            if roll < 0.15 and name in action and name != "type":
                del action[name]
            elif roll < 0.3 and isinstance(action.get(name), dict):
                action[name][rng.choice(["x", "y", "z"])] = rng.choice(JUNK)
            elif roll < 0.4 and isinstance(action.get(name), list):
                action[name].append(rng.choice(JUNK + ["ctrl", "shift", "a"]))
            else:
                action[name] = rng.choice(JUNK)
        _agree(action)


def test_untranslatable_schema_falls_back_to_jsonschema():
    with pytest.raises(schema.Untranslatable):
        schema.translate({"type": "object", "anyOf": [{"required": ["x"]}]})
