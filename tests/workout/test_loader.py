"""The loader: good files become the right model; bad files fail with exact positions."""

from pathlib import Path

import pytest

from audiogen.errors import WorkoutError
from audiogen.workout.loader import Overrides, load_workout, parse_workout
from audiogen.workout.model import BlockFormat, CueSettings, Sides

MINIMAL = """\
title: Quick Legs
work: 40s
rest: 20s
exercises:
  - Bodyweight Squat
  - name: Reverse Lunge
    tips: [Step back long, Keep your chest tall]
"""


def parse(text: str, **overrides: object) -> object:
    return parse_workout(text, source="w.yaml", overrides=Overrides(**overrides))  # type: ignore[arg-type]


def error_of(text: str) -> WorkoutError:
    with pytest.raises(WorkoutError) as caught:
        parse_workout(text, source="w.yaml")
    return caught.value


def test_the_spec_minimal_file() -> None:
    workout = parse_workout(MINIMAL, source="w.yaml")
    assert workout.title == "Quick Legs"
    (block,) = workout.blocks
    squat, lunge = block.exercises
    assert (squat.name, squat.work_ms, squat.rest_ms) == ("Bodyweight Squat", 40_000, 20_000)
    assert lunge.tips == ("Step back long", "Keep your chest tall")
    assert block.rounds == 1
    assert block.cues == CueSettings()


def test_settings_cascade_exercise_block_file_default() -> None:
    workout = parse_workout(
        """\
title: T
rest: 15s
cues: {tips: 1, countdown: 5}
blocks:
  - name: A
    work: 30s
    cues: {tips: 0}
    exercises:
      - X
      - {name: Y, work: 1m, rest: 0}
  - name: B
    exercises: [Z]
""",
        source="w.yaml",
    )
    a, b = workout.blocks
    x, y = a.exercises
    assert (x.work_ms, x.rest_ms) == (30_000, 15_000)
    assert (y.work_ms, y.rest_ms) == (60_000, 0)
    assert b.exercises[0].work_ms == 40_000  # built-in default
    assert a.cues.tips == 0 and a.cues.countdown == 5
    assert b.cues.tips == 1 and b.cues.countdown == 5
    assert a.rest_after_ms == 15_000  # defaults to the block's rest
    assert a.round_rest_ms == 15_000


def test_rounds_round_rest_and_rest_after() -> None:
    workout = parse_workout(
        "title: T\nblocks:\n  - {exercises: [A], rounds: 3, round_rest: 1m, rest_after: 90s}\n",
        source="w.yaml",
    )
    (block,) = workout.blocks
    assert (block.rounds, block.round_rest_ms, block.rest_after_ms) == (3, 60_000, 90_000)
    # Unnamed: the plan names it in the workout's language (tests/plan/test_compiler.py).
    assert (block.name, block.number) == (None, 1)


def test_full_exercise_mapping() -> None:
    workout = parse_workout(
        """\
title: T
exercises:
  - name: Heel Drop Calf Raise
    targets: [calves]
    tips: One tip
    modification: From the floor
    reps: 12
    sides: each
    side_rest: 3s
    say: heel drop calf raise
""",
        source="w.yaml",
    )
    ex = workout.blocks[0].exercises[0]
    assert ex.targets == ("calves",)
    assert ex.tips == ("One tip",)
    assert (ex.modification, ex.reps, ex.sides) == ("From the floor", 12, Sides.EACH)
    assert (ex.side_rest_ms, ex.say) == (3_000, "heel drop calf raise")


def test_tabata_defaults() -> None:
    workout = parse_workout(
        "title: T\nblocks:\n  - {format: tabata, exercises: [A, B]}\n", source="w.yaml"
    )
    block = workout.blocks[0]
    assert block.format is BlockFormat.TABATA
    assert block.rounds == 8
    assert (block.exercises[0].work_ms, block.exercises[0].rest_ms) == (20_000, 10_000)


def test_command_line_overrides_win_over_the_file() -> None:
    workout = parse_workout(
        "title: T\nwork: 40s\nexercises:\n  - {name: A, work: 1m}\n",
        source="w.yaml",
        overrides=Overrides(work_ms=25_000, rest_ms=5_000, rounds=4, tips=0),
    )
    block = workout.blocks[0]
    assert (block.exercises[0].work_ms, block.exercises[0].rest_ms) == (25_000, 5_000)
    assert block.rounds == 4 and block.cues.tips == 0


def test_overrides_leave_tabata_blocks_alone() -> None:
    workout = parse_workout(
        "title: T\nblocks:\n  - {format: tabata, exercises: [A]}\n",
        source="w.yaml",
        overrides=Overrides(work_ms=60_000),
    )
    assert workout.blocks[0].exercises[0].work_ms == 20_000


def test_voice_by_engine_id_and_rate_override() -> None:
    workout = parse_workout(
        "title: T\nvoice: en-us+f3\nexercises: [A]\n",
        source="w.yaml",
        overrides=Overrides(rate=220),
    )
    assert workout.voice.voice == "en-us+f3" and workout.voice.rate == 220


def test_voice_profile_from_the_voices_folder(tmp_path: Path) -> None:
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "calm.yaml").write_text("voice: en-gb-x-rp\nrate: 150\n")
    (tmp_path / "w.yaml").write_text("title: T\nvoice: calm\nexercises: [A]\n")
    workout = load_workout(tmp_path / "w.yaml")
    assert (workout.voice.name, workout.voice.voice, workout.voice.rate) == (
        "calm",
        "en-gb-x-rp",
        150,
    )


def test_the_shipped_workouts_load() -> None:
    for path in sorted(Path("workouts").glob("*.yaml")):
        assert load_workout(path).blocks, path


# ---- errors: position, key path, expectation, suggestion ---------------------------


def test_unknown_key_suggests_the_nearest() -> None:
    err = error_of("title: T\nreset: 20s\nexercises: [A]\n")
    assert str(err).startswith("w.yaml:2:1: error at reset: unknown key 'reset'")
    assert err.hint and "did you mean 'rest'?" in err.hint


def test_bad_duration_deep_in_a_block() -> None:
    text = "title: T\nblocks:\n  - name: A\n    exercises:\n      - name: X\n        work: fourty\n"
    err = error_of(text)
    assert err.position is not None
    assert (err.position.line, err.position.column) == (6, 15)
    assert err.key_path == "blocks.1.exercises.1.work"
    assert "expected a duration" in err.reason


@pytest.mark.parametrize(
    ("text", "line", "column", "path", "expected"),
    [
        ("title: T\n", 1, 1, "", "no 'exercises' or 'blocks'"),
        ("exercises: [A]\n", 1, 1, "", "'title' is missing"),
        ("title: T\nexercises: []\n", 2, 12, "exercises", "at least one"),
        ("title: T\nexercises: [A]\nblocks: [{exercises: [B]}]\n", 3, 9, "blocks", "not both"),
        ("title: T\nwork: 0\nexercises: [A]\n", 2, 7, "work", "at least 1 s"),
        ("title: T\nrounds: 0\nexercises: [A]\n", 2, 9, "rounds", "whole number"),
        ("title: T\nrounds: two\nexercises: [A]\n", 2, 9, "rounds", "whole number"),
        (
            "title: T\ncues: {halfway: maybe}\nexercises: [A]\n",
            2,
            17,
            "cues.halfway",
            "true or false",
        ),
        ("title: T\nexercises:\n  - {tips: [x]}\n", 3, 5, "exercises.1", "needs a 'name'"),
        (
            "title: T\nexercises:\n  - {name: A, sides: both}\n",
            3,
            22,
            "exercises.1.sides",
            "one of",
        ),
        ("title: T\ntitle: U\nexercises: [A]\n", 2, 1, "title", "appears twice"),
        ("title: [a, b]\nexercises: [A]\n", 1, 8, "title", "expected a single value"),
        (
            "title: T\nblocks:\n  - {format: amrap, exercises: [A]}\n",
            3,
            32,
            "blocks.1.exercises",
            "needs 'time'",
        ),
    ],
)
def test_error_positions(text: str, line: int, column: int, path: str, expected: str) -> None:
    err = error_of(text)
    assert err.position is not None
    assert (err.position.line, err.position.column, err.key_path) == (line, column, path)
    assert expected in err.reason


def test_yaml_syntax_error_has_a_position() -> None:
    err = error_of("title: T\nexercises:\n  - name: A\n   work: 4\n")
    assert err.position is not None and err.position.line == 4
    assert "not valid YAML" in err.reason


def test_empty_file() -> None:
    assert "empty" in error_of("").reason


def test_yaml_tags_beyond_safe_load_are_refused() -> None:
    err = error_of("title: !!python/object:os.system x\nexercises: [A]\n")
    assert err.position is not None and err.position.line == 1


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(WorkoutError) as caught:
        load_workout(tmp_path / "nope.yaml")
    assert str(caught.value).startswith(f"{tmp_path / 'nope.yaml'}: error: no such file")


def test_music_bed_with_levels_relative_to_the_workout(tmp_path: Path) -> None:
    (tmp_path / "bed.ogg").write_bytes(b"not read by the loader")
    text = "title: T\nmusic: {file: bed.ogg, volume: -20dB, duck: -9 dB}\nexercises: [A]\n"
    (tmp_path / "w.yaml").write_text(text)
    music = load_workout(tmp_path / "w.yaml").music
    assert music is not None
    assert (music.file, music.volume_db, music.duck_db) == (tmp_path / "bed.ogg", -20.0, -9.0)


@pytest.mark.parametrize(
    ("music", "path", "expected"),
    [
        ("{fiel: bed.mp3}", "music.fiel", "unknown key"),
        ("{volume: -3dB}", "music", "needs a 'file'"),
        ("{file: nope.mp3}", "music.file", "no music file"),
        ("{file: w.yaml, duck: loud}", "music.duck", "level in dB"),
    ],
)
def test_music_errors(tmp_path: Path, music: str, path: str, expected: str) -> None:
    (tmp_path / "w.yaml").write_text(f"title: T\nmusic: {music}\nexercises: [A]\n")
    with pytest.raises(WorkoutError) as caught:
        load_workout(tmp_path / "w.yaml")
    assert caught.value.key_path == path and expected in caught.value.reason
