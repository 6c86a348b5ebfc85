"""The field readers: each takes a YAML node with its key path and either returns the
checked value or fails naming file:line:column, the key and what was expected."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audiogen.errors import WorkoutError
from audiogen.workout.fields import (
    Field,
    boolean,
    choice,
    compose,
    duration,
    integer,
    mapping,
    seconds_list,
    suggest,
    work_duration,
)
from audiogen.workout.model import Sides


def field(text: str, key: str = "k") -> Field:
    """The value of `key` in a one-key YAML document, as the loader would see it."""
    root = Field(compose(f"{key}: {text}\n", "f.yaml"), "", "f.yaml")
    return mapping(root, (key,), what="a test")[key]


def failure(read: object, text: str) -> WorkoutError:
    with pytest.raises(WorkoutError) as info:
        read(field(text))  # type: ignore[operator]
    return info.value


def test_a_duration_reads_every_spelling() -> None:
    assert [duration(field(t)) for t in ("40", "40s", "2m", "1m30s", "'1:30'", "2.5s")] == [
        40_000,
        40_000,
        120_000,
        90_000,
        90_000,
        2_500,
    ]


def test_errors_name_the_position_the_key_and_what_was_expected() -> None:
    err = failure(duration, "soon")
    assert str(err).startswith("f.yaml:1:4: error at k: expected a duration")
    assert err.hint is not None and "1m30s" in err.hint


def test_work_lasts_at_least_a_second() -> None:
    assert "at least 1 s" in failure(work_duration, "500ms").reason
    assert work_duration(field("1s")) == 1000


@pytest.mark.parametrize("text", ["true", "3.5", "-1", "'3'", "[3]"])
def test_integers_refuse_everything_else(text: str) -> None:
    assert "expected" in failure(lambda f: integer(f, 0, 10), text).reason


@given(st.integers(min_value=0, max_value=10))
def test_integers_in_range_read_back(n: int) -> None:
    assert integer(field(str(n)), 0, 10) == n


def test_booleans_are_yaml_booleans_only() -> None:
    assert boolean(field("false")) is False
    assert "true or false" in failure(boolean, "'yes please'").reason


def test_a_choice_suggests_the_nearest_one() -> None:
    assert choice(field("each"), Sides) is Sides.EACH
    err = failure(lambda f: choice(f, Sides), "swich")
    assert err.hint is not None and "did you mean 'switch'?" in err.hint


def test_time_left_calls_are_sorted_distinct_seconds() -> None:
    assert seconds_list(field("[10, 30, 10]")) == (30, 10)
    assert seconds_list(field("5")) == (5,)


def test_unknown_and_repeated_keys_are_errors() -> None:
    root = Field(compose("reset: 1\n", "f.yaml"), "", "f.yaml")
    with pytest.raises(WorkoutError, match="did you mean 'rest'"):
        mapping(root, ("rest", "work"), what="a test")
    twice = Field(compose("rest: 1\nrest: 2\n", "f.yaml"), "", "f.yaml")
    with pytest.raises(WorkoutError, match="appears twice"):
        mapping(twice, ("rest",), what="a test")


def test_suggest_lists_the_known_keys_when_nothing_is_close() -> None:
    assert suggest("zzz", ("rest", "work")) == "known keys: rest, work"
