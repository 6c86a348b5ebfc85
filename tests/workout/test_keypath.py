"""`--set KEY=VALUE`: applied to the file before validation, checked like the file."""

from __future__ import annotations

import pytest

from audiogen.errors import UsageError, WorkoutError
from audiogen.workout.keypath import parse_assignment
from audiogen.workout.loader import Overrides, parse_workout

FILE = """\
title: T
blocks:
  - name: A
    exercises: [Squat, {name: Lunge, work: 30s}]
  - name: B
    rounds: 2
    exercises: [Plank]
"""


def load(*sets: str) -> object:
    pairs = tuple(parse_assignment(s) for s in sets)
    return parse_workout(FILE, source="w.yaml", overrides=Overrides(sets=pairs))


def test_set_a_nested_key_that_the_file_does_not_have() -> None:
    workout = load("cues.tips=0", "cues.countdown=5")
    assert all(b.cues.tips == 0 and b.cues.countdown == 5 for b in workout.blocks)  # type: ignore[attr-defined]


def test_set_by_list_position_counting_from_one() -> None:
    workout = load("blocks.2.rounds=3", "blocks.1.exercises.2.work=45s")
    a, b = workout.blocks  # type: ignore[attr-defined]
    assert b.rounds == 3
    assert a.exercises[1].work_ms == 45_000


def test_set_a_key_on_an_exercise_written_as_a_bare_name() -> None:
    workout = load("blocks.1.exercises.1.work=20s")
    squat = workout.blocks[0].exercises[0]  # type: ignore[attr-defined]
    assert (squat.name, squat.work_ms) == ("Squat", 20_000)


def test_values_are_validated_like_the_file() -> None:
    with pytest.raises(WorkoutError) as caught:
        load("blocks.2.rounds=many")
    assert str(caught.value).startswith(
        "--set blocks.2.rounds=many: error at blocks.2.rounds: expected a whole number"
    )


def test_unknown_keys_are_suggested() -> None:
    with pytest.raises(WorkoutError) as caught:
        load("cues.tipz=1")
    assert caught.value.hint and "did you mean 'tips'?" in caught.value.hint


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("blocks.3.rounds=2", "expected a position from 1 to 2"),
        ("exercises.1.work=2", "no 'exercises' list here"),
        ("title.x=1", "no mapping here"),
        ("cues.tips=", "give a value after '='"),
    ],
)
def test_paths_that_do_not_exist(assignment: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        load(assignment)


@pytest.mark.parametrize("text", ["cues.tips", "=3", ""])
def test_not_an_assignment(text: str) -> None:
    with pytest.raises(UsageError, match="expected KEY=VALUE"):
        parse_assignment(text)
