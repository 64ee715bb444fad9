"""The desktop lease: one run at a time, given back exactly once, and no action after it ended."""
import threading
import time

import pytest

from alphaomega.agents.desktop_lease import Desk, LeaseEnded


def test_one_run_at_a_time_and_the_lease_is_given_back_once():
    desk = Desk()
    first = desk.take("run-1")
    assert first is not None and desk.take("run-2") is None
    assert first.end("stop message") is True
    assert first.end("run over") is False and first.end("nobody reads") is False  # whichever came first
    second = desk.take("run-2")
    assert second is not None and desk.holder is second
    assert first.end("late cleanup") is False and desk.holder is second  # an old lease never frees a new one


def test_an_ended_lease_cannot_act_any_more():
    desk = Desk()
    lease = desk.take("run-1")
    with lease.acting():
        pass
    lease.end("nobody reads the answer any more")
    assert lease.cancelled
    with pytest.raises(LeaseEnded, match="no further actions"):
        with lease.acting():
            raise AssertionError("an action of a stopped run ran")


def test_a_new_run_waits_for_the_last_action_of_a_stopped_one():
    desk = Desk()
    old = desk.take("run-1")
    in_action, finish_action = threading.Event(), threading.Event()
    order: list[str] = []

    def old_action() -> None:
        with old.acting():
            in_action.set()
            finish_action.wait(5)
            order.append("old action finished")

    worker = threading.Thread(target=old_action)
    worker.start()
    assert in_action.wait(5)
    old.end("stop message")  # `stop` while a long text is being typed
    new = desk.take("run-2")
    assert new is not None  # the desktop is free at once...

    def new_action() -> None:
        with new.acting():
            order.append("new action")

    second = threading.Thread(target=new_action)
    second.start()
    time.sleep(0.3)
    assert order == []  # ...but the hands are still busy with the old action
    finish_action.set()
    worker.join(5)
    second.join(5)
    assert order == ["old action finished", "new action"]
