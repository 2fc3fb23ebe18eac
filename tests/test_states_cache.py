"""`qa.states_cache.StatesCache`: a pass started ahead is waited for, never run twice, and its
value is the one a direct call gives; a failure reaches the caller that needs the value."""

from __future__ import annotations

import threading

import pytest

from qa.states_cache import StatesCache


def test_a_prefetched_pass_is_waited_for_not_run_again() -> None:
    started, release = threading.Event(), threading.Event()
    calls: list[tuple[str, str]] = []

    def compute(text: str) -> str:
        calls.append((text, threading.current_thread().name))
        started.set()
        release.wait(5)
        return text[::-1]

    cache: StatesCache[str] = StatesCache(compute)
    cache.prefetch("question")
    assert started.wait(5)
    cache.prefetch("question")                       # under way: not queued again
    waiter: list[str] = []
    t = threading.Thread(target=lambda: waiter.append(cache("question")))
    t.start()
    release.set()
    t.join(5)
    assert cache("question") == "noitseuq" and waiter == ["noitseuq"]
    assert len(calls) == 1 and calls[0][1].startswith("qa-encoder")
    cache.clear()
    assert cache("question") == "noitseuq" and len(calls) == 2 and calls[1][1] == threading.current_thread().name
    cache.close()


def test_a_failed_prefetch_raises_in_the_caller_that_needs_it() -> None:
    def compute(text: str) -> str:
        raise ValueError(f"cannot encode {text!r}")

    cache: StatesCache[str] = StatesCache(compute)
    cache.prefetch("x")
    with pytest.raises(ValueError, match="cannot encode 'x'"):
        cache("x")
    cache.close()


def test_a_queued_pass_is_taken_back_and_run_by_the_caller() -> None:
    release = threading.Event()
    calls: list[tuple[str, str]] = []

    def compute(text: str) -> str:
        calls.append((text, threading.current_thread().name))
        if text == "first":
            release.wait(5)
        return text.upper()

    cache: StatesCache[str] = StatesCache(compute)
    cache.prefetch("first")                          # occupies the one background thread
    cache.prefetch("second")                         # queued behind it
    assert cache("second") == "SECOND"               # not left waiting for "first"
    release.set()
    assert cache("first") == "FIRST"
    assert ("second", threading.current_thread().name) in calls and len(calls) == 2
    cache.close()
