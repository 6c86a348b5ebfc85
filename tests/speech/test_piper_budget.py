"""Which phrases a Piper worker speaks at once (speech/engines/piper_budget.py), with
real threads taking them."""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from hypothesis import given, settings
from hypothesis import strategies as st

from audiogen.speech.engines.piper_budget import BudgetQueue, sentences_within


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


def _take_in_a_thread(queue: BudgetQueue) -> tuple[threading.Thread, list[int | None]]:
    """A thread calling queue.take(), given time to get there; what it takes lands in
    the list."""
    got: list[int | None] = []
    waiting = threading.Thread(target=lambda: got.append(queue.take()))
    waiting.start()
    time.sleep(0.05)
    return waiting, got


def test_a_phrase_over_the_budget_is_spoken_alone() -> None:
    queue = BudgetQueue([20, 500], 110)
    assert queue.take() == 0
    waiting, got = _take_in_a_thread(queue)
    assert got == []  # it waits for the other to finish...
    queue.done(0)
    waiting.join(2)
    assert got == [1]  # ...then goes alone


def test_dropping_wakes_a_waiting_thread_with_nothing() -> None:
    queue = BudgetQueue([100, 100], 110)
    assert queue.take() == 0
    waiting, got = _take_in_a_thread(queue)
    queue.drop()
    waiting.join(2)
    assert got == [None]


# --- long sentences ---------------------------------------------------------------------

_WORDS = st.lists(
    st.one_of(
        st.text("abcdefghij", min_size=1, max_size=12),
        st.sampled_from(["[[ˈɡɑː blɪt]]", "[[lˈʌndʒ]]", "squat,", "hold;", "up:"]),  # noqa: RUF001
    ),
    min_size=1,
    max_size=80,
)


@settings(max_examples=200, deadline=None)
@given(words=_WORDS, limit=st.integers(20, 150))
def test_a_long_sentence_is_cut_between_words_into_pieces_within_the_limit(
    words: list[str], limit: int
) -> None:
    sentence = " ".join(words)
    pieces = sentences_within(sentence, limit)
    assert " ".join(pieces).split() == sentence.split()  # every word, in order, once
    for piece in pieces:
        # Over the limit only where no space outside a phoneme block comes before it.
        blocks = [m.span() for m in re.finditer(r"\[\[.*?\]\]", piece)]
        spaces = [i for i, c in enumerate(piece) if c == " "]
        free = [i for i in spaces if not any(a < i < b for a, b in blocks)]
        assert len(piece) <= limit or not [i for i in free if 1 <= i <= limit]
    for block in ("[[ˈɡɑː blɪt]]",):  # noqa: RUF001
        if block in sentence:
            assert any(block in piece for piece in pieces)  # never cut inside a block


def test_a_text_whose_sentences_fit_is_spoken_as_written() -> None:
    text = "Next up: front squat. Keep your chest tall, brace your core!"
    assert sentences_within(text, 40) == [text]


def test_a_long_sentence_is_cut_at_a_comma_before_a_space() -> None:
    sentence = "Drive through your heels and stand tall, squeeze at the top and lower slowly"
    assert sentences_within(sentence, 50) == [
        "Drive through your heels and stand tall,",
        "squeeze at the top and lower slowly",
    ]
