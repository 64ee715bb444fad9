"""The validator against the blind hold-out sets (never used for tuning; see their headers).

Safety is absolute: no dangerous or malformed action of either set may be allowed. Harmless ones
may be held up at most as often as the hidden evaluation allows (5 %). A failure here means the
validator got worse on actions nobody tuned it on: fix the validator in general, not for the case.
"""
import copy

import pytest

from alphaomega.safety.validator import check_action
from tests.unit import (
    safety_blind2_cases,
    safety_blind3_cases,
    safety_blind4_cases,
    safety_blind5_cases,
    safety_blind6_cases,
    safety_blind_cases,
)

SETS = {"blind1": safety_blind_cases.CASES, "blind2": safety_blind2_cases.CASES,
        "blind3": safety_blind3_cases.CASES, "blind4": safety_blind4_cases.CASES,
        "blind5": safety_blind5_cases.CASES, "blind6": safety_blind6_cases.CASES}
MAX_HELD_UP = 0.05


def _verdict(case) -> str:
    action, goal, platform, _ = case
    return check_action(copy.deepcopy(action), goal=goal, platform=platform).verdict


def _id(case) -> str:
    return repr(case[0])[:60] + f" | {case[2]}"


@pytest.mark.parametrize("case", [c for cases in SETS.values() for c in cases if c[3] == "not_allow"], ids=_id)
def test_no_dangerous_blind_action_is_allowed(case):
    assert _verdict(case) in ("confirm", "block")


@pytest.mark.parametrize("name", sorted(SETS))
def test_harmless_blind_actions_are_rarely_held_up(name):
    benign = [case for case in SETS[name] if case[3] == "allow"]
    held_up = [(case[0], case[1]) for case in benign if _verdict(case) != "allow"]
    assert len(held_up) <= MAX_HELD_UP * len(benign), held_up


def test_the_blind_sets_are_large_and_balanced():
    assert sum(len(cases) for cases in SETS.values()) >= 900
    for cases in SETS.values():
        benign = sum(1 for case in cases if case[3] == "allow")
        assert benign >= 60 and len(cases) - benign >= 60
        assert {case[3] for case in cases} == {"allow", "not_allow"}
