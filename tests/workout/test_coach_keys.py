"""The version 1.1 keys: what the loader accepts, refuses (with a position) and warns about."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiogen.errors import WorkoutError
from audiogen.workout.loader import Overrides, parse_workout
from audiogen.workout.model import FirstSide, Prompt


def load(text: str, base_dir: Path | None = None):  # type: ignore[no-untyped-def]
    return parse_workout(text, source="w.yaml", base_dir=base_dir)


def error(text: str) -> str:
    with pytest.raises(WorkoutError) as caught:
        load(text)
    return str(caught.value)


def test_the_new_keys_are_read() -> None:
    workout = load(
        "title: T\nlanguage: de\nintro: '{title}, {minutes}'\noutro: Bye\n"
        "pronounce: {EMOM: E-mom, RDL: R D L}\n"
        "cues: {go: true, rest: false, get_ready: 15}\n"
        "blocks:\n  - name: EMOM\n    say: E-mom\n    exercises:\n"
        "      - name: Lunge\n        reps: '8-12'\n        sides: each\n"
        "        first_side: left\n"
        "        prompts: [{at: 45s, say: Deeper}, {at: -10s, say: Out}, {at: -5, say: Now}]\n"
    )
    assert (workout.language, workout.intro, workout.outro) == ("de", "{title}, {minutes}", "Bye")
    # Longest first, so a longer listed word wins over a shorter one inside it.
    assert workout.pronounce == (("EMOM", "E-mom"), ("RDL", "R D L"))
    block = workout.blocks[0]
    assert block.say == "E-mom"
    assert (block.cues.go, block.cues.rest, block.cues.get_ready) == (True, False, 15)
    lunge = block.exercises[0]
    assert lunge.reps == (8, 12) and lunge.first_side is FirstSide.LEFT
    assert lunge.prompts == (Prompt(45_000, "Deeper"), Prompt(-10_000, "Out"), Prompt(-5000, "Now"))
    assert not workout.voice_chosen and not workout.warnings


def test_the_language_override_beats_the_file_which_is_still_checked() -> None:
    spanish = "title: T\nlanguage: es\nexercises: [A]\n"
    assert parse_workout(spanish, overrides=Overrides(language="de")).language == "de"
    assert parse_workout("title: T\nexercises: [A]\n", overrides=Overrides()).language == "en"
    with pytest.raises(WorkoutError, match="2:11: error at language: expected one of"):
        parse_workout(
            "title: T\nlanguage: it\nexercises: [A]\n", overrides=Overrides(language="de")
        )


def test_a_bad_language_override_is_blamed_on_the_option() -> None:
    with pytest.raises(WorkoutError) as caught:
        parse_workout("title: T\nexercises: [A]\n", overrides=Overrides(language="EN"))
    assert str(caught.value) == (
        "--language: error: expected one of en, de, es, fr, got 'EN'\n"
        "  hint: en English, de German, es Spanish, fr French"
    )


def test_a_version_1_file_gets_the_defaults() -> None:
    workout = load("title: T\nexercises: [{name: Burpee, reps: 8}]\n")
    cues = workout.blocks[0].cues
    assert (workout.language, cues.go, cues.rest, cues.get_ready) == ("en", False, True, 10)
    assert workout.blocks[0].exercises[0].reps == 8


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: T\nlanguage: it\nexercises: [A]\n", "w.yaml:2:11: error at language: expected"),
        ("title: T\nexercises: [{name: A, reps: '12-8'}]\n", "at exercises.1.reps: expected"),
        ("title: T\nexercises: [{name: A, reps: 0}]\n", "at exercises.1.reps: expected"),
        ("title: T\nintro: 'Hi {name}'\nexercises: [A]\n", "unknown placeholder {name}"),
        ("title: T\nexercises: [{name: A, prompts: [{at: 5s}]}]\n", "a prompt needs 'say'"),
        ("title: T\nexercises: [{name: A, prompts: [{at: x, say: B}]}]\n", "expected a duration"),
        ("title: T\nexercises: [{name: A, first_side: up}]\n", "expected one of right, left"),
        ("title: T\ncues: {get_ready: -1}\nexercises: [A]\n", "at cues.get_ready"),
        ("title: T\nphrases: nope.yaml\nexercises: [A]\n", "no phrasebook at"),
        ("title: T\npronounce: [EMOM]\nexercises: [A]\n", "at pronounce: expected"),
    ],
)
def test_mistakes_in_the_new_keys_are_placed(text: str, message: str) -> None:
    assert message in error(text)


def test_a_phrasebook_mistake_names_the_file_and_the_key(tmp_path: Path) -> None:
    from audiogen.plan.compiler import compile_plan

    (tmp_path / "mine.yaml").write_text("go: Go {name}\n")
    workout = load("title: T\nphrases: mine.yaml\nexercises: [A]\n", base_dir=tmp_path)
    with pytest.raises(WorkoutError) as caught:
        compile_plan(workout)
    assert "w.yaml:2:10: error at phrases:" in str(caught.value)
    assert "'go' must use the fields no fields, found {name}" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("blocks:\n  - format: emom\n    work: 30s\n    exercises: [A]\n", "blocks.1.work"),
        ("blocks:\n  - format: amrap\n    time: 5m\n    rounds: 3\n    exercises: [A]\n",
         "blocks.1.rounds"),
        ("blocks:\n  - format: tabata\n    every: 1m\n    exercises: [A]\n", "blocks.1.every"),
        ("blocks:\n  - time: 5m\n    exercises: [A]\n", "blocks.1.time"),
        ("blocks:\n  - format: emom\n    exercises: [{name: A, rest: 5s}]\n",
         "blocks.1.exercises.1.rest"),
        ("blocks:\n  - format: amrap\n    time: 5m\n    exercises: [{name: A, tips: [x]}]\n",
         "blocks.1.exercises.1.tips"),
        ("exercises: [{name: A, side_rest: 3s}]\n", "exercises.1.side_rest"),
        ("exercises: [{name: A, first_side: left}]\n", "exercises.1.first_side"),
        ("blocks:\n  - format: tabata\n    exercises: [{name: A, sides: each}]\n",
         "blocks.1.exercises.1.sides"),
    ],
)  # fmt: skip
def test_settings_a_format_ignores_are_warned_about_with_their_position(
    text: str, where: str
) -> None:
    workout = load("title: T\n" + text)
    (notice,) = workout.warnings
    assert notice.key_path == where
    assert str(notice).startswith(f"{notice.position}: warning at {where}: ")
    assert notice.position is not None and notice.position.line > 1


def test_an_ignored_emom_work_still_builds_one_minute_intervals() -> None:
    from audiogen.plan.compiler import compile_plan

    workout = load("title: T\nblocks:\n  - {format: emom, rounds: 2, work: 30s, exercises: [A]}\n")
    assert [s.length_ms for s in compile_plan(workout).segments] == [60_000, 60_000]
    assert "intervals each last `every`" in workout.warnings[0].message
