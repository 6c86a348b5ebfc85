"""audiogen.toml: found in the working folder (else the user's config folder), its
keys the long option names; precedence built-in < config < workout file < command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.mp3 import MP3

from audiogen.cli.main import cli

# A file that sets rest but not work, so the config's work shows through and its rest
# does not.
WORKOUT = "title: Short\nrest: 3s\ncues: {countdown: 2}\nexercises: [Squat, Lunge]\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with a workout in it, as the current directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "short.yaml").write_text(WORKOUT)
    return tmp_path


def lengths(*args: str) -> list[float]:
    """Each work and rest interval's length in `audiogen timeline --json`."""
    result = CliRunner().invoke(cli, ["timeline", "short.yaml", "--json", *args])
    assert result.exit_code == 0, result.output
    intervals = json.loads(result.stdout)["intervals"][1:-1]
    return [round(i["end"] - i["start"], 3) for i in intervals]


def test_without_a_config_the_built_in_work_applies(folder: Path) -> None:
    assert lengths() == [40.0, 3.0, 40.0]


def test_the_config_sets_what_the_file_leaves_out_and_the_file_wins(folder: Path) -> None:
    (folder / "audiogen.toml").write_text('work = "6s"\nrest = "9s"\n')
    # work from the config (the file has none); rest from the file, over the config's.
    assert lengths() == [6.0, 3.0, 6.0]


def test_the_command_line_overrides_config_and_file(folder: Path) -> None:
    (folder / "audiogen.toml").write_text('work = "6s"\nrest = "9s"\n')
    assert lengths("--work", "7s", "--rest", "1s") == [7.0, 1.0, 7.0]


def test_build_takes_out_dir_and_bitrate_from_the_config_and_the_line_wins(
    folder: Path,
) -> None:
    (folder / "audiogen.toml").write_text(
        'out_dir = "tracks"\nbitrate = "64k"\nwork = "3s"\ntips = 0\n'
    )
    result = CliRunner().invoke(cli, ["build", "short.yaml"])
    assert result.exit_code == 0, result.output
    assert "Wrote tracks/short.mp3" in result.stdout
    assert MP3(folder / "tracks" / "short.mp3").info.bitrate == 64_000
    result = CliRunner().invoke(cli, ["build", "short.yaml", "--bitrate", "96k"])
    assert result.exit_code == 0, result.output
    assert MP3(folder / "tracks" / "short.mp3").info.bitrate == 96_000


def test_the_user_config_folder_is_read_when_the_working_folder_has_none(
    folder: Path, user_config_dir: Path
) -> None:
    user_config_dir.mkdir(parents=True)
    (user_config_dir / "audiogen.toml").write_text('work = "4s"\n')
    assert lengths() == [4.0, 3.0, 4.0]
    (folder / "audiogen.toml").write_text('work = "5s"\n')  # the working folder's first
    assert lengths() == [5.0, 3.0, 5.0]


def test_an_unknown_key_is_exit_2_with_its_line_and_a_suggestion(folder: Path) -> None:
    (folder / "audiogen.toml").write_text('bitrate = "64k"\n\nout_dri = "x"\n')
    result = CliRunner().invoke(cli, ["check", "short.yaml"])
    assert result.exit_code == 2
    assert f"{folder / 'audiogen.toml'}:3: error at out_dri: unknown key 'out_dri'" in (
        result.stderr
    )
    assert "did you mean 'out_dir'?" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("rate = 5\n", ":1: error at rate: 5 is not in the range 80<=x<=450"),
        ('\nwork = "forty"\n', ":2:1: error at work: expected a duration"),
        ("[build]\nbitrate = '64k'\n", ":1: error at build: expected a value, got a table"),
        ("bitrate = \n", "this is not valid TOML"),
    ],
)
def test_a_bad_value_is_exit_2_naming_the_config_file(
    folder: Path, toml: str, message: str
) -> None:
    (folder / "audiogen.toml").write_text(toml)
    result = CliRunner().invoke(cli, ["timeline", "short.yaml"])
    assert result.exit_code == 2, result.output
    assert "audiogen.toml" in result.stderr and message in result.stderr
    assert "Traceback" not in result.output


def test_music_in_the_config_is_relative_to_the_config_file(
    folder: Path, user_config_dir: Path
) -> None:
    user_config_dir.mkdir(parents=True)
    (user_config_dir / "audiogen.toml").write_text('music = "bed.ogg"\n')
    result = CliRunner().invoke(cli, ["check", "short.yaml"])
    assert result.exit_code == 2
    assert f"no music file at {user_config_dir / 'bed.ogg'}" in result.stderr
