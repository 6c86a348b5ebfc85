"""The batch library under `audiogen build`: which files, where they go, one exit code."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiogen.batch import (
    BatchInterrupted,
    Job,
    exit_code,
    find_workouts,
    interrupted_message,
    plan_jobs,
)
from audiogen.errors import UsageError


@pytest.mark.parametrize(
    ("codes", "expected"),
    [([0, 0], 0), ([0, 2, 2], 2), ([2, 1, 0], 1), ([1], 1), ([], 0)],
)
def test_one_exit_code_for_many_files(codes: list[int], expected: int) -> None:
    assert exit_code(codes) == expected


def test_folders_give_their_workout_files_sorted_once(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yml", "c.txt"):
        (tmp_path / name).write_text("")
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "coach.yaml").write_text("")
    found = find_workouts([tmp_path, tmp_path / "b.yaml", Path("missing.yaml")])
    assert found == [tmp_path / "a.yml", tmp_path / "b.yaml", Path("missing.yaml")]


def test_outputs_follow_the_format_and_the_folder() -> None:
    jobs = plan_jobs([Path("w/legs.yaml"), Path("arms.yml")], out_dir=Path("t"), audio_format="m4a")
    assert jobs == [
        Job(Path("w/legs.yaml"), Path("t/legs.m4a")),
        Job(Path("arms.yml"), Path("t/arms.m4a")),
    ]


def test_an_output_file_goes_with_one_workout_only() -> None:
    assert plan_jobs([Path("a.yaml")], output=Path("x.mp3")) == [Job(Path("a.yaml"), Path("x.mp3"))]
    with pytest.raises(UsageError, match="one file"):
        plan_jobs([Path("a.yaml"), Path("b.yaml")], output=Path("x.mp3"))


@pytest.mark.parametrize(
    ("built", "total", "expected"),
    [
        ([], 1, "interrupted; no partial file was left."),
        ([], 3, "interrupted before any of the 3 workouts was built; no partial file was left."),
        (
            ["o/a.mp3"],
            3,
            "interrupted: built 1 of 3 workouts (o/a.mp3); "
            "the others were not built, and none left a partial file.",
        ),
        (
            ["o/a.mp3", "o/b.mp3"],
            2,
            "interrupted, but all 2 workouts were built (o/a.mp3, o/b.mp3).",
        ),
    ],
)
def test_the_interrupt_says_what_was_built(built: list[str], total: int, expected: str) -> None:
    assert interrupted_message([Path(p) for p in built], total) == expected


def test_a_long_list_of_built_workouts_is_cut_short() -> None:
    built = [Path(f"o/{n}.mp3") for n in range(8)]
    message = str(BatchInterrupted(built, 10))
    assert message.startswith("interrupted: built 8 of 10 workouts (o/0.mp3, o/1.mp3, ")
    assert "o/4.mp3 and 3 more);" in message and "o/5.mp3" not in message
