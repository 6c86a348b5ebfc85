"""The compiler: a workout's intervals and cue requests, before any speech exists."""

from __future__ import annotations

import time

import pytest

from audiogen.errors import WorkoutError
from audiogen.plan.compiler import compile_plan
from audiogen.plan.timeline import IntervalKind, Role
from audiogen.workout.loader import parse_workout


def plan_of(text: str):  # type: ignore[no-untyped-def]
    return compile_plan(parse_workout(text, source="w.yaml"))


def test_tracks_over_twelve_hours_are_refused_without_building_them() -> None:
    workout = parse_workout("title: T\nrounds: 100000000\nexercises: [A]\n", source="w.yaml")
    started = time.perf_counter()
    with pytest.raises(WorkoutError) as caught:
        compile_plan(workout)
    assert "12 hours" in caught.value.reason
    assert str(caught.value).startswith("w.yaml: error:")
    assert time.perf_counter() - started < 1


def test_rounds_repeat_the_exercises_with_rests_between_and_none_at_the_end() -> None:
    plan = plan_of("title: T\nwork: 30s\nrest: 10s\nrounds: 2\nexercises: [A, B]\n")
    kinds = [(s.kind, s.length_ms) for s in plan.segments]
    work, rest = (IntervalKind.WORK, 30_000), (IntervalKind.REST, 10_000)
    assert kinds == [work, rest, work, rest, work, rest, work]
    assert plan.workout_ms == 4 * 30_000 + 3 * 10_000


def test_every_work_interval_gets_a_name_request() -> None:
    plan = plan_of("title: T\nexercises: [Squat, Lunge]\n")
    named = [r for r in plan.requests if r.role is Role.NAME]
    assert len(named) == len(plan.work_segment_indexes) == 2


def test_phrases_are_distinct_and_start_with_the_intro() -> None:
    plan = plan_of("title: Legs\nrounds: 3\nexercises: [Squat]\n")
    phrases = plan.phrases()
    intro = plan.intros[0][1].spoken
    assert phrases[0] == intro and "Legs" in intro
    assert len(phrases) == len(set(phrases))
    assert all(outro.spoken in phrases for _, outro in plan.outros)


UNNAMED = """\
title: T
language: {language}
blocks:
  - {{exercises: [A, B], rounds: 2}}
  - {{name: Finisher, exercises: [C], rounds: 2}}
  - {{format: amrap, time: 1m, exercises: [D]}}
"""


@pytest.mark.parametrize(
    ("language", "first", "third", "round_call"),
    [
        ("en", "Block 1", "Block 3", "Block 1. Round 1 of 2."),
        ("de", "Block 1", "Block 3", "Block 1. Runde 1 von 2."),
        ("es", "Bloque 1", "Bloque 3", "Bloque 1. Ronda 1 de 2."),
        ("fr", "Bloc 1", "Bloc 3", "Bloc 1. Tour 1 sur 2."),
    ],
)
def test_unnamed_blocks_are_named_and_called_in_the_workout_language(
    language: str, first: str, third: str, round_call: str
) -> None:
    plan = plan_of(UNNAMED.format(language=language))
    work = [s for s in plan.segments if s.kind is IntervalKind.WORK]
    assert [s.block for s in work] == [first] * 4 + ["Finisher"] * 2 + [third]
    # An AMRAP is named after its block, in its chapter and when it is named aloud.
    assert work[-1].exercise is not None and work[-1].exercise.name == third
    assert next(r.text for r in plan.requests if r.role is Role.ROUND) == round_call


@pytest.mark.parametrize(
    ("language", "name"),
    [("en", "Workout"), ("de", "Training"), ("es", "Entrenamiento"), ("fr", "Séance")],
)
def test_a_file_without_blocks_is_one_block_named_in_its_language(language: str, name: str) -> None:
    plan = plan_of(f"title: T\nlanguage: {language}\nexercises: [A]\n")
    assert {s.block for s in plan.segments} == {name}
