"""Numbers in cue texts, written out as words for the voice."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audiogen.plan.numbers import number_words, ordinal_words, speak_numbers


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (13, "thirteen"),
        (20, "twenty"),
        (40, "forty"),
        (42, "forty-two"),
        (100, "one hundred"),
        (105, "one hundred five"),
        (1000, "one thousand"),
        (1500, "one thousand five hundred"),
        (2_000_019, "two million nineteen"),
    ],
)
def test_number_words(n: int, words: str) -> None:
    assert number_words(n) == words


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "first"), (2, "second"), (3, "third"), (12, "twelfth"), (20, "twentieth"),
     (21, "twenty-first"), (100, "one hundredth")],
)  # fmt: skip
def test_ordinal_words(n: int, words: str) -> None:
    assert ordinal_words(n) == words


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Round 2 of 3.", "Round two of three."),
        ("10 seconds left", "ten seconds left"),
        ("Welcome to Legs. 40 seconds in total.", "Welcome to Legs. forty seconds in total."),
        ("Next up: 8 Burpees", "Next up: eight Burpees"),
        ("Minute 3 of 10: Squat", "Minute three of ten: Squat"),
        ("1 minute 30 seconds left", "one minute thirty seconds left"),
        ("Hold for 2.5 seconds", "Hold for two point five seconds"),
        ("1,000 steps at 100% effort", "one thousand steps at one hundred percent effort"),
        ("the 1st and the 22nd", "the first and the twenty-second"),
    ],
)
def test_numbers_in_cues_become_words(text: str, spoken: str) -> None:
    assert speak_numbers(text) == spoken


@pytest.mark.parametrize("text", ["3x10 reps", "B52 bomber", "at 1:30", "v1.2.3", "Halfway"])
def test_numbers_inside_words_and_times_stay_as_written(text: str) -> None:
    assert speak_numbers(text) == text


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_every_number_is_spoken_without_digits(n: int) -> None:
    words = speak_numbers(f"{n} seconds")
    assert not any(c.isdigit() for c in words)
    assert words.endswith(" seconds")
