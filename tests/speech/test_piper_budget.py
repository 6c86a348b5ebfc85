"""Which phrases a Piper worker speaks at once (speech/engines/piper_budget.py), with
real threads taking them."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from hypothesis import given, settings
from hypothesis import strategies as st

from audiogen.speech.engines.piper_budget import BudgetQueue


def _speak_all(queue: BudgetQueue, costs: list[float], threads: int) -> tuple[list[int], float]:
    """Every index `threads` threads take, in the order taken, and the most the phrases
    spoken at once cost together, except a phrase over the budget spoken alone."""
    taken: list[int] = []
    speaking: dict[int, float] = {}
    most = 0.0
    lock = threading.Lock()

    def speak() -> None:
        nonlocal most
        while (index := queue.take()) is not None:
            with lock:
                taken.append(index)
                speaking[index] = costs[index]
                if len(speaking) > 1:
                    most = max(most, sum(speaking.values()))
            time.sleep(0.001 * (1 + index % 3))
            with lock:
                del speaking[index]
            queue.done(index)

    with ThreadPoolExecutor(threads) as pool:
        for running in [pool.submit(speak) for _ in range(threads)]:
            running.result()
    return taken, most


@settings(max_examples=40, deadline=None)
@given(
    costs=st.lists(st.floats(1, 150), min_size=1, max_size=25),
    threads=st.integers(1, 4),
)
def test_every_phrase_once_and_never_more_at_once_than_the_budget(
    costs: list[float], threads: int
) -> None:
    taken, most = _speak_all(BudgetQueue(costs, 110), costs, threads)
    assert sorted(taken) == list(range(len(costs)))
    assert most <= 110


def test_phrases_are_taken_in_order_when_they_fit() -> None:
    costs = [10.0] * 8
    taken, _ = _speak_all(BudgetQueue(costs, 110), costs, 1)
    assert taken == list(range(8))


def test_a_long_phrase_goes_beside_short_ones_not_another_long_one() -> None:
    queue = BudgetQueue([80, 70, 20, 20], 110)
    assert queue.take() == 0  # 80 speaking
    assert queue.take() == 2  # 70 would not fit beside it; 20 does
    queue.done(0)
    assert queue.take() == 1  # 20 + 70 fit
    assert queue.take() == 3


def test_a_phrase_over_the_budget_is_spoken_alone() -> None:
    queue = BudgetQueue([20, 500], 110)
    assert queue.take() == 0
    got: list[int | None] = []
    waiting = threading.Thread(target=lambda: got.append(queue.take()))
    waiting.start()
    time.sleep(0.05)
    assert got == []  # it waits for the other to finish...
    queue.done(0)
    waiting.join(2)
    assert got == [1]  # ...then goes alone


def test_dropping_wakes_a_waiting_thread_with_nothing() -> None:
    queue = BudgetQueue([100, 100], 110)
    assert queue.take() == 0
    got: list[int | None] = []
    waiting = threading.Thread(target=lambda: got.append(queue.take()))
    waiting.start()
    time.sleep(0.05)
    queue.drop()
    waiting.join(2)
    assert got == [None]
