"""The batch library under `audiogen build`: which files, where they go, one exit code."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiogen.batch import Job, exit_code, find_workouts, plan_jobs
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
