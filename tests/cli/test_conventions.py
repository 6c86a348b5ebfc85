"""What a well-behaved CLI does: -q and -v, JSON for scripts, a --version for bug
reports, shell completion, and documented exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiogen import __version__
from audiogen.cli.main import cli

SHORT = "title: Short\nwork: 4s\nrest: 2s\ncues: {countdown: 1, tips: 0}\nexercises: [Squat]\n"
BIN = Path(sys.executable).parent


@pytest.fixture
def short(tmp_path: Path) -> Path:
    path = tmp_path / "short.yaml"
    path.write_text(SHORT)
    return path


def test_quiet_build_prints_nothing_on_success(short: Path, tmp_path: Path) -> None:
    out = tmp_path / "o" / "short.mp3"
    result = CliRunner().invoke(cli, ["build", str(short), "-o", str(out), "-q"])
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""
    assert out.is_file()


def test_quiet_before_the_command_works_too(short: Path) -> None:
    result = CliRunner().invoke(cli, ["-q", "check", str(short)])
    assert result.exit_code == 0 and result.output == ""


def test_quiet_still_reports_errors_on_stderr(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: T\n")
    result = CliRunner().invoke(cli, ["build", str(bad), "--quiet"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "bad.yaml" in result.stderr and "no 'exercises' or 'blocks'" in result.stderr


def test_verbose_says_more(short: Path, tmp_path: Path) -> None:
    out = tmp_path / "short.mp3"
    plain = CliRunner().invoke(cli, ["build", str(short), "-o", str(out)])
    loud = CliRunner().invoke(cli, ["build", str(short), "-o", str(out), "-v"])
    assert plain.exit_code == loud.exit_code == 0
    assert "beside it: short.json, short.vtt, short.lrc" in loud.stdout
    assert "beside it" not in plain.stdout


def test_a_quiet_config_gives_way_to_verbose_on_the_command_line(
    short: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "audiogen.toml").write_text("quiet = true\n")
    assert CliRunner().invoke(cli, ["check", str(short)]).stdout == ""
    assert "ok, 1 block" in CliRunner().invoke(cli, ["check", str(short), "-v"]).stdout


def test_check_json(short: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: T\nexercises:\n  - name: Squat\n    wrok: 30s\n")
    result = CliRunner().invoke(cli, ["check", "--json", str(short), str(bad)])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["ok"] is False
    good, broken = data["files"]
    track = good.pop("track")
    assert good == {
        "path": str(short),
        "ok": True,
        "title": "Short",
        "blocks": 1,
        "intervals": 1,
        "work_intervals": 1,
        "duration": 4.0,
        "minutes": 1,
        "language": "en",
        "warnings": [],
    }
    assert 4.0 < track < 30.0
    assert broken["ok"] is False
    error = broken["error"]
    assert (error["file"], error["line"], error["column"]) == (str(bad), 4, 5)
    assert error["key_path"] == "exercises.1.wrok" and error["exit_code"] == 2
    assert "did you mean 'work'?" in error["hint"]
    assert "unknown key 'wrok'" in result.stderr  # errors still go to stderr


def test_voices_json(short: Path) -> None:
    result = CliRunner().invoke(cli, ["voices", "--json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"coach", "energetic", "british"} <= {p["name"] for p in data["profiles"]}
    assert set(data["profiles"][0]) == {
        "name", "engine", "voice", "rate", "volume", "description", "clips",
    }  # fmt: skip
    espeak = next(e for e in data["engines"] if e["name"] == "espeak")
    assert espeak["available"] is True and "espeak-ng" in espeak["version"]
    ids = {v["id"] for v in espeak["voices"]}
    assert "gmw/en-us" in ids or "en-us" in ids
    assert all(any(code.startswith("en") for code in v["languages"]) for v in espeak["voices"])
    unavailable = [e for e in data["engines"] if not e["available"]]
    assert all(e["reason"] and e["voices"] == [] for e in unavailable)


def test_version_names_engines_ffmpeg_and_python() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == f"audiogen {__version__}"
    assert any(line.startswith("speech engine espeak: espeak-ng 1.") for line in lines)
    assert any(line.startswith("ffmpeg ") and "not available" not in line for line in lines)
    assert any(line.startswith(f"Python: CPython {sys.version.split()[0]}") for line in lines)


def completion(*words: str) -> list[str]:
    """What bash completion offers after `audiogen WORDS...`, asked of the real command."""
    env = {
        **os.environ,
        "_AUDIOGEN_COMPLETE": "bash_complete",
        "COMP_WORDS": " ".join(["audiogen", *words]),
        "COMP_CWORD": str(len(words)),
    }
    result = subprocess.run(
        [str(BIN / "audiogen")], env=env, capture_output=True, text=True, check=False
    )
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


def test_shell_completion_completes_commands_and_options() -> None:
    assert completion("bu") == ["build"]
    assert "--out-dir" in completion("build", "--o")
    assert completion("new", "--format", "t") == ["tabata"]


def test_exit_codes_and_completion_are_documented() -> None:
    text = Path("docs/cli.md").read_text()
    for needed in ("0    done", "2    a mistake", "1    the machine failed", "130  interrupted"):
        assert needed in text
    assert "_AUDIOGEN_COMPLETE=bash_source audiogen" in text
    assert "## `audiogen check --json`" in text and "## `audiogen voices --json`" in text
