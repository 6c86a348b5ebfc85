"""`language` from audiogen.toml and `--language`: precedence, lowest first, built-in
(en) < the config file < the workout file < the command line, through real runs of
`check --json`, `timeline --json` and `build`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from mutagen.mp3 import MP3

from audiogen.cli.main import cli

# One file leaves `language` out, so the config's shows through; one sets its own.
PLAIN = "title: Short\nwork: 3s\nrest: 2s\nexercises: [Squat, Lunge]\n"
SPANISH = "title: Corto\nlanguage: es\nwork: 3s\nrest: 2s\nexercises: [Squat, Lunge]\n"
# The first speech cue of the workout above, in each language.
WELCOME = {"en": "Welcome to", "de": "Willkommen bei", "fr": "Bienvenue dans"}
MISTAKE = "expected one of en, de, es, fr, got 'it'"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plain.yaml").write_text(PLAIN)
    (tmp_path / "spanish.yaml").write_text(SPANISH)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def checked_languages(*args: str) -> dict[str, str]:
    """Each file's language as `check --json` reports it."""
    result = run("check", "--json", "plain.yaml", "spanish.yaml", *args)
    assert result.exit_code == 0, result.output
    return {f["path"]: f["language"] for f in json.loads(result.stdout)["files"]}


def first_words(*args: str) -> str:
    """The first thing the timeline says (the welcome)."""
    result = run("timeline", "plain.yaml", "--json", *args)
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["cues"][0]["text"])


def test_without_config_or_option_each_file_keeps_its_own(folder: Path) -> None:
    assert checked_languages() == {"plain.yaml": "en", "spanish.yaml": "es"}
    assert first_words().startswith(WELCOME["en"])


def test_the_config_applies_only_where_the_file_says_nothing(folder: Path) -> None:
    (folder / "audiogen.toml").write_text('language = "de"\n')
    assert checked_languages() == {"plain.yaml": "de", "spanish.yaml": "es"}
    assert first_words().startswith(WELCOME["de"])


def test_the_option_overrides_the_file_and_the_config(folder: Path) -> None:
    (folder / "audiogen.toml").write_text('language = "de"\n')
    assert checked_languages("--language", "fr") == {"plain.yaml": "fr", "spanish.yaml": "fr"}
    assert first_words("--language", "fr").startswith(WELCOME["fr"])


@pytest.mark.audio
def test_build_speaks_the_option_s_language(folder: Path) -> None:
    (folder / "audiogen.toml").write_text('language = "fr"\n')
    result = run("build", "plain.yaml", "--language", "de", "-o", "t.mp3")
    assert result.exit_code == 0, result.output
    cues = json.loads((folder / "t.json").read_text())["cues"]
    assert cues[0]["text"].startswith(WELCOME["de"])
    assert MP3(folder / "t.mp3").info.length > 10
    assert "Willkommen" in (folder / "t.vtt").read_text()


@pytest.mark.parametrize("command", ["check", "timeline", "build"])
def test_a_bad_option_is_exit_2_before_any_work(folder: Path, command: str) -> None:
    result = run(command, "plain.yaml", "--language", "it")
    assert result.exit_code == 2
    assert f"Invalid value for '--language': {MISTAKE}" in result.stderr
    assert "fr French" in result.stderr  # what each code means
    assert "Traceback" not in result.output and not (folder / "out").exists()


@pytest.mark.parametrize("command", ["check", "timeline", "build"])
def test_a_bad_config_value_is_exit_2_at_its_line(folder: Path, command: str) -> None:
    # Refused even for a file that sets its own language: the config is wrong either way.
    (folder / "audiogen.toml").write_text('bitrate = "64k"\nlanguage = "it"\n')
    result = run(command, "spanish.yaml")
    assert result.exit_code == 2
    assert f"{folder / 'audiogen.toml'}:2: error at language: {MISTAKE}" in result.stderr
    assert "hint: en English, de German, es Spanish, fr French" in result.stderr
    assert result.stdout == "" and not (folder / "out").exists()


def test_the_option_completes_the_languages(folder: Path) -> None:
    command = cli.commands["check"]
    option = next(p for p in command.params if p.name == "language")
    with cli.make_context("audiogen", ["check", "plain.yaml"]) as ctx:
        completions = option.type.shell_complete(ctx, option, "e")
    assert [item.value for item in completions] == ["en", "es"]
