"""`audiogen build` over many files and folders: in turn and side by side, a summary
line per file and one at the end, and a failure in one file never stops the others."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiogen.cli.main import cli

SHORT = "title: {title}\nwork: 4s\nrest: 2s\ncues: {{countdown: 1, tips: 0}}\nexercises: [Squat]\n"
EXE = Path(sys.executable).parent / "audiogen"
# Eight exercises, twice: a build of some seconds, long enough to be interrupted.
LONG = SHORT.replace("work: 4s", "work: 45s\nrounds: 2").replace(
    "[Squat]", "[Squat, Lunge, Plank, Burpee, Row, Press, Curl, Dip]"
)
BAD = "title: Bad\nexercises:\n  - name: Squat\n    wrok: 30s\n"
# An emom block ignores `work` (line 4, column 11): a warning, not an error.
EMOM = "title: E\nblocks:\n  - format: emom\n    work: 30s\n    every: 4s\n    exercises: [Squat]\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two good workouts around a broken one (sorted: a, b-bad, c)."""
    workouts = tmp_path / "workouts"
    workouts.mkdir()
    (workouts / "a.yaml").write_text(SHORT.format(title="A"))
    (workouts / "b-bad.yaml").write_text(BAD)
    (workouts / "c.yml").write_text(SHORT.format(title="C"))
    (workouts / "notes.txt").write_text("not a workout")
    return workouts


def test_a_folder_in_turn_builds_the_good_files_and_reports_the_bad(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "tracks"
    result = CliRunner().invoke(cli, ["build", str(folder), "--out-dir", str(out)])
    assert result.exit_code == 2  # the one failure is a mistake in a file
    assert sorted(p.name for p in out.glob("*.mp3")) == ["a.mp3", "c.mp3"]
    wrote = [line for line in result.stdout.splitlines() if line.startswith("Wrote")]
    assert [line.split()[1] for line in wrote] == [str(out / "a.mp3"), str(out / "c.mp3")]
    assert f"{folder / 'b-bad.yaml'}:4:5: error at exercises.1.wrok" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("audiogen: built 2 of 3 workouts in ")
    assert result.stderr.splitlines()[-1].endswith(f"failed: {folder / 'b-bad.yaml'}")


def test_every_example_builds_side_by_side_and_a_bad_file_fails_alone(
    tmp_path: Path,
) -> None:
    """The installed command, for real, over the real workouts/ folder plus a broken
    file, with -j 2 (worker processes). The slowest test here (~25 s on two cores)."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    out = tmp_path / "out"
    examples = sorted(p.stem for p in Path("workouts").glob("*.yaml"))
    result = subprocess.run(
        [str(EXE), "build", "workouts/", str(bad), "-j", "2", "--out-dir", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert sorted(p.stem for p in out.glob("*.mp3")) == examples
    wrote = [line for line in result.stdout.splitlines() if line.startswith("Wrote")]
    assert len(wrote) == len(examples)
    # Their phrases were spoken ahead, in one engine run: no build started an engine.
    assert all(" 0 phrases synthesized" in line for line in wrote), wrote
    assert f"{bad}:4:5: error at exercises.1.wrok" in result.stderr
    last = result.stderr.splitlines()[-1]
    total = len(examples) + 1
    assert f"built {len(examples)} of {total} workouts" in last and "2 side by side" in last


def test_all_good_ends_with_a_summary_on_stdout(folder: Path, tmp_path: Path) -> None:
    (folder / "b-bad.yaml").unlink()
    result = CliRunner().invoke(cli, ["build", str(folder), "--out-dir", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("Built 2 workouts in ")
    assert result.stderr == ""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_build_prints_each_workout_s_warnings_once_as_check_does(
    folder: Path, tmp_path: Path, jobs: str
) -> None:
    (folder / "b-bad.yaml").unlink()
    (folder / "e.yaml").write_text(EMOM)
    checked = CliRunner().invoke(cli, ["check", str(folder)])
    assert checked.exit_code == 0, checked.output
    (warned,) = checked.stderr.splitlines()
    assert warned.startswith(f"audiogen: {folder / 'e.yaml'}:4:11: warning at blocks.1.work: ")
    build = ["build", str(folder), "-j", jobs, "--out-dir", str(tmp_path / "o")]
    result = CliRunner().invoke(cli, build)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [warned]
    assert sorted(p.name for p in (tmp_path / "o").glob("*.mp3")) == ["a.mp3", "c.mp3", "e.mp3"]
    quiet = CliRunner().invoke(cli, [*build, "-q"])
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")


def test_a_missing_file_fails_alone(folder: Path, tmp_path: Path) -> None:
    args = ["build", str(tmp_path / "nope.yaml"), str(folder / "a.yaml")]
    result = CliRunner().invoke(cli, [*args, "--out-dir", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "nope.yaml: error: no such file" in result.stderr
    assert (tmp_path / "o" / "a.mp3").is_file()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["-o", "x.mp3"], "-o/--output names one file"),
        (["-j", "0"], "Invalid value for '-j' / '--jobs'"),
    ],
)
def test_usage_mistakes_exit_2_before_building(
    folder: Path, extra: list[str], message: str
) -> None:
    result = CliRunner().invoke(cli, ["build", str(folder), *extra])
    assert result.exit_code == 2 and message in result.output


def test_two_workouts_that_would_write_one_file_are_refused(tmp_path: Path) -> None:
    for sub in ("one", "two"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "legs.yaml").write_text(SHORT.format(title=sub))
    result = CliRunner().invoke(
        cli, ["build", str(tmp_path / "one"), str(tmp_path / "two"), "--out-dir", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert f"would both write {tmp_path / 'legs.mp3'}" in result.stderr
    assert not list(tmp_path.glob("*.mp3"))


def test_an_empty_folder_is_a_usage_mistake(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(tmp_path)])
    assert result.exit_code == 2 and "no workout files (*.yaml)" in result.stderr


def test_check_takes_folders_too(folder: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 2
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        str(folder / "a.yaml"),
        str(folder / "c.yml"),
    ]


def _interrupted_batch(tmp_path: Path, jobs: str, group: bool) -> tuple[Path, str]:
    """A real batch (a short workout, then two long ones) signalled with SIGINT as soon
    as the short one is written: its output folder and the last line on stderr."""
    folder, out = tmp_path / "workouts", tmp_path / "out"
    folder.mkdir()
    out.mkdir()
    (folder / "a.yaml").write_text(SHORT.format(title="A"))
    for name in ("b", "c"):
        (folder / f"{name}.yaml").write_text(LONG.format(title=name))
        (out / f"{name}.mp3").write_bytes(b"an earlier build")
    process = subprocess.Popen(
        [str(EXE), "build", str(folder), "-j", jobs, "--out-dir", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        # Python ignores SIGINT if it starts with SIGINT ignored (as in some CI runs).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith(f"Wrote {out / 'a.mp3'} ")
    if group:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    else:
        process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "a partial file was left"
    return out, stderr.strip().splitlines()[-1]


def test_an_interrupt_names_the_workouts_already_built(tmp_path: Path) -> None:
    """In turn: the first workout is built, the second is stopped and left nothing
    (the earlier file at its output is as it was), the third never started."""
    out, message = _interrupted_batch(tmp_path, "1", group=False)
    assert message == (
        f"audiogen: interrupted: built 1 of 3 workouts ({out / 'a.mp3'}); "
        "the others were not built, and none left a partial file."
    )
    assert sorted(p.name for p in out.iterdir()) == [
        "a.json", "a.lrc", "a.mp3", "a.vtt", "b.mp3", "c.mp3"
    ]  # fmt: skip
    assert (out / "b.mp3").read_bytes() == (out / "c.mp3").read_bytes() == b"an earlier build"


def test_an_interrupt_side_by_side_names_exactly_what_was_built(tmp_path: Path) -> None:
    """Side by side, Ctrl-C reaches the workers too; one may be between builds and
    finish the next before the pool closes. Whatever happened, the message names
    exactly the workouts whose new files are there, each with its sidecars."""
    out, message = _interrupted_batch(tmp_path, "2", group=True)
    assert message.startswith("audiogen: interrupted")
    named = set(re.search(r"\((.*)\)", message)[1].split(", "))  # type: ignore[index]
    built = {str(p) for p in out.glob("*.mp3") if p.read_bytes() != b"an earlier build"}
    assert str(out / "a.mp3") in built and named == built
    for mp3 in built:
        assert all(Path(mp3).with_suffix(s).is_file() for s in (".json", ".vtt", ".lrc"))
    assert f"built {len(built)} of 3" in message or len(built) == 3
