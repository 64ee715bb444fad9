"""Stop: an answer nobody reads any more runs its cleanups (close the stream, cancel the job, free the slot)."""
import threading
import time

import pytest

from alphaomega.agents.stop_watch import StoppedReading, StopWatch


def slow_items(count: int, pause: float = 0.0):
    for index in range(count):
        time.sleep(pause)
        yield index


def test_a_consumer_that_stops_pulling_triggers_the_cleanups_once():
    watch = StopWatch(grace=0.3)
    called = threading.Event()
    calls: list[str] = []
    watch.on_abandon(lambda: calls.append("cancel"))
    watch.on_abandon(lambda: (calls.append("slot"), called.set()))
    items = watch.guard(slow_items(10))
    assert next(items) == 0
    assert called.wait(3)  # nobody asks for the next item: the watchdog steps in
    time.sleep(0.7)
    assert calls == ["cancel", "slot"]
    with pytest.raises(StoppedReading):
        next(items)  # a consumer that comes back late learns why its answer ended


def test_a_reading_consumer_never_triggers_them():
    watch = StopWatch(grace=0.3)
    calls: list[str] = []
    watch.on_abandon(lambda: calls.append("cancel"))
    assert list(watch.guard(slow_items(8, pause=0.1))) == list(range(8))  # slow producer, attentive consumer
    time.sleep(0.8)
    assert calls == [] and not watch.abandoned


def test_a_failing_cleanup_does_not_stop_the_others():
    watch = StopWatch(grace=0.2)
    done = threading.Event()
    watch.on_abandon(lambda: 1 / 0)
    watch.on_abandon(done.set)
    items = watch.guard(slow_items(3))
    next(items)
    assert done.wait(3)


def test_closing_the_answer_closes_the_inner_generator():
    closed = threading.Event()

    def inner():
        try:
            yield 1
            yield 2
        finally:
            closed.set()

    items = StopWatch(grace=5).guard(inner())
    next(items)
    items.close()
    assert closed.is_set()


def test_a_slow_reader_after_the_work_is_done_gets_the_rest():
    """Results in hand (done()): a reader that takes long to drain them is not told the answer stopped."""
    watch = StopWatch(grace=0.2)
    notes: list[str] = []
    watch.on_abandon(lambda: notes.append("cancel"))
    watch.on_give_up(lambda: notes.append("logged"))
    items = watch.guard(slow_items(3))
    assert next(items) == 0
    watch.done()
    time.sleep(0.9)
    assert list(items) == [1, 2]
    assert notes == ["logged"] and not watch.abandoned


def test_a_reader_that_comes_back_is_watched_again():
    watch = StopWatch(grace=0.2)
    items = watch.guard(slow_items(5))
    next(items)
    time.sleep(0.8)  # given up once, with nothing to cancel
    next(items)
    cancelled = threading.Event()
    watch.on_abandon(cancelled.set)
    assert cancelled.wait(3)  # the second abandonment is noticed too
