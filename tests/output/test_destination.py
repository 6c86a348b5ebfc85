"""Every output-path hazard is refused before any work, exit 2, and leaves what was
there untouched (issue 12, items 1, 6 and 7)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiogen.cli.main import cli

WORKOUT = "title: T\nwork: 2s\nrest: 0s\ncues: {countdown: 0}\nexercises: [Squat]\n"


def _fifo(folder: Path) -> str:
    os.mkfifo(folder / "pipe.mp3")
    return str(folder / "pipe.mp3")


def _device(folder: Path) -> str:
    """A null device node of our own: never /dev/null itself, which old code replaced."""
    try:
        os.mknod(folder / "null.mp3", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return str(folder / "null.mp3")


def _file_in_the_way(folder: Path) -> str:
    (folder / "afile").write_text("mine")
    return str(folder / "afile" / "x.mp3")


def _folder(folder: Path) -> str:
    (folder / "track.mp3").mkdir()
    return str(folder / "track.mp3")


def _sidecar_is_a_folder(folder: Path) -> str:
    (folder / "track.json").mkdir()
    return str(folder / "track.mp3")


# (what -o names, made in the test's folder) -> part of the message
HAZARDS: dict[str, tuple[Callable[[Path], str], str]] = {
    "the input itself": (lambda d: str(d / "w.yaml"), "overwrite its own input"),
    "the input, through a symlink": (
        lambda d: (os.symlink(d / "w.yaml", d / "link.mp3"), str(d / "link.mp3"))[1],
        "overwrite its own input",
    ),
    "a sidecar name (.json)": (lambda d: str(d / "x.json"), "sidecar file of that name"),
    "a sidecar name (.vtt)": (lambda d: str(d / "x.vtt"), "sidecar file of that name"),
    "a FIFO": (_fifo, "it is a FIFO"),
    "a device": (_device, "it is a character device"),
    "a folder": (_folder, "is a directory"),  # click refuses it first
    "a sidecar that is a folder": (_sidecar_is_a_folder, "track.json: it is a folder"),
    "a /proc path": (lambda d: "/proc/x.mp3", "cannot write into /proc: it does not take new"),
    "a path under a file": (_file_in_the_way, "afile is a file, not a folder"),
    "an unknown suffix": (lambda d: str(d / "x.ogg"), "writes .mp3, .m4a, .wav files, not .ogg"),
    "no suffix": (lambda d: str(d / "track"), "not no suffix"),
}


def _snapshot(path: Path) -> object:
    """What is at `path` (without following a last symlink), to prove it untouched."""
    try:
        info = path.lstat()
    except OSError:
        return None
    content = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
    return stat.S_IFMT(info.st_mode), info.st_ino, content


@pytest.mark.parametrize("case", sorted(HAZARDS))
def test_output_hazard_is_refused_before_any_work(
    case: str, tmp_path: Path, speech_cache_dir: Path
) -> None:
    workout = tmp_path / "w.yaml"
    workout.write_text(WORKOUT)
    make, expected = HAZARDS[case]
    output = make(tmp_path)
    existing = sorted(tmp_path.iterdir())
    before = {p: _snapshot(p) for p in [*existing, Path(output)]}
    result = CliRunner().invoke(cli, ["build", str(workout), "-o", output])
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "Traceback" not in result.output
    assert {p: _snapshot(p) for p in before} == before
    assert sorted(tmp_path.iterdir()) == existing
    # Refused before any work: not one phrase was synthesized.
    assert not any(p.is_file() for p in speech_cache_dir.rglob("*"))


def test_split_folder_holding_the_input_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "legs"
    folder.mkdir()
    workout = folder / "w.yaml"
    workout.write_text(WORKOUT)
    result = CliRunner().invoke(
        cli, ["build", str(workout), "-o", str(tmp_path / "legs.mp3"), "--split"]
    )
    assert result.exit_code == 2 and "which holds the input" in result.output
    assert workout.read_text() == WORKOUT


def test_format_disagreeing_with_the_suffix_is_refused(tmp_path: Path) -> None:
    workout = tmp_path / "w.yaml"
    workout.write_text(WORKOUT)
    result = CliRunner().invoke(
        cli, ["build", str(workout), "--format", "wav", "-o", str(tmp_path / "x.mp3")]
    )
    assert result.exit_code == 2
    assert "--format wav would write WAV data under a .mp3 name" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.yaml"]


def test_the_music_file_is_never_an_output(tmp_path: Path) -> None:
    music = tmp_path / "bed.mp3"
    music.write_bytes(b"not really music, but never to be overwritten")
    workout = tmp_path / "w.yaml"
    workout.write_text(WORKOUT + "music: {file: bed.mp3}\n")
    result = CliRunner().invoke(cli, ["build", str(workout), "-o", str(music)])
    assert result.exit_code == 2 and "overwrite its own input" in result.output
    assert music.read_bytes().startswith(b"not really music")
