"""The command line: exit codes, messages, and every command documented."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiogen import __version__
from audiogen.cli.main import cli

SHORT = "title: Short\nwork: 5s\nrest: 3s\ncues: {countdown: 2}\nexercises: [Squat, Lunge]\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def short(tmp_path: Path) -> Path:
    path = tmp_path / "short.yaml"
    path.write_text(SHORT)
    return path


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help(runner: CliRunner, command: str) -> None:
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert cli.commands[command].help, f"{command} has no help text"
    assert "Usage: " in result.output


def test_check_summarises_each_file(runner: CliRunner, short: Path) -> None:
    result = runner.invoke(cli, ["check", str(short), "workouts/strength-for-runners.yaml"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    head = f"{short}: ok, 1 block, 3 intervals (2 work), 0:13 of work and rest, track "
    assert lines[0].startswith(head) and lines[0].endswith("(about 1 minute)")
    assert lines[1].startswith("workouts/strength-for-runners.yaml: ok, 4 blocks")


def test_check_and_the_intro_agree_on_the_track_length(runner: CliRunner) -> None:
    path = "workouts/strength-for-runners.yaml"
    summary = runner.invoke(cli, ["check", path]).output
    minutes = re.search(r"track (\d+):(\d\d)\S* \(about (\d+) minutes\)", summary)
    assert minutes, summary
    timeline = json.loads(runner.invoke(cli, ["timeline", path, "--json"]).output)
    (intro,) = [c["text"] for c in timeline["cues"] if c["role"] == "intro"]
    assert f"{minutes[3]} minutes in total" in intro
    assert round(timeline["duration"] / 60) == int(minutes[3])
    assert f"{minutes[1]}:{minutes[2]}" in summary


def test_check_warns_about_settings_a_format_ignores(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "emom.yaml"
    path.write_text("title: T\nblocks:\n  - format: emom\n    work: 30s\n    exercises: [A]\n")
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 0
    assert f"{path}:4:11: warning at blocks.1.work: 'work' is ignored here" in result.output


def test_check_bad_file_exits_2_with_a_positioned_message(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: T\nexercises:\n  - name: Squat\n    wrok: 30s\n")
    result = runner.invoke(cli, ["check", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:4:5: error at exercises.1.wrok: unknown key 'wrok'" in result.output
    assert "did you mean 'work'?" in result.output
    assert "Traceback" not in result.output


def test_check_reports_every_bad_file_and_still_checks_good_ones(
    runner: CliRunner, short: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: T\n")
    result = runner.invoke(cli, ["check", str(bad), str(short)])
    assert result.exit_code == 2
    assert "no 'exercises' or 'blocks'" in result.output and f"{short}: ok" in result.output


def test_missing_file_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "nope.yaml"])
    assert result.exit_code == 2 and "nope.yaml: error: no such file" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--work", "fourty"], "'fourty' is not a duration"),
        (["--rounds", "0"], "--rounds"),
        (["--rate", "5"], "--rate"),
    ],
)
def test_bad_options_exit_2(runner: CliRunner, short: Path, args: list[str], message: str) -> None:
    result = runner.invoke(cli, ["timeline", str(short), *args])
    assert result.exit_code == 2 and message in result.output


def test_timeline_json_follows_the_spec(runner: CliRunner, short: Path) -> None:
    result = runner.invoke(cli, ["timeline", str(short), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"title", "duration", "intervals", "cues", "dropped"}
    kinds = [i["kind"] for i in data["intervals"]]
    assert kinds == ["lead-in", "work", "rest", "work", "outro"]
    work = data["intervals"][1]
    assert set(work) == {"start", "end", "kind", "exercise", "block", "round", "rounds", "side"}
    assert round(work["end"] - work["start"], 3) == 5.0
    assert {c["kind"] for c in data["cues"]} == {"speech", "beep"}
    assert data["duration"] == data["intervals"][-1]["end"]


def test_timeline_options_override_the_file(runner: CliRunner, short: Path) -> None:
    result = runner.invoke(cli, ["timeline", str(short), "--json", "--work", "1m", "--rest", "0"])
    data = json.loads(result.output)
    assert [round(i["end"] - i["start"], 3) for i in data["intervals"][1:-1]] == [60.0, 60.0]


def test_timeline_table(runner: CliRunner, short: Path) -> None:
    result = runner.invoke(cli, ["timeline", str(short)])
    assert result.exit_code == 0
    assert "say name: First up: Squat" in result.output
    assert "beep start" in result.output


def test_unknown_engine_voice_is_an_error_with_suggestions(runner: CliRunner, short: Path) -> None:
    result = runner.invoke(cli, ["timeline", str(short), "--voice", "en-uss"])
    assert result.exit_code == 2
    assert "en-us" in result.output and "Traceback" not in result.output


def test_voices_lists_profiles_and_engine_voices(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["voices", "--lang", "en"])
    assert result.exit_code == 0
    assert "coach" in result.output
    assert "en-us" in result.output


def test_build_writes_mp3_and_json_and_summarises(
    runner: CliRunner, short: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "short.mp3"
    result = runner.invoke(cli, ["build", str(short), "-o", str(out), "--bitrate", "64k"])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    data = json.loads(out.with_suffix(".json").read_text())
    assert data["title"] == "Short"
    assert f"Wrote {out}" in result.output and "phrases synthesized" in result.output


def test_failed_build_keeps_the_earlier_file(
    runner: CliRunner, short: Path, tmp_path: Path
) -> None:
    out = tmp_path / "short.mp3"
    out.write_bytes(b"earlier good file")
    result = runner.invoke(cli, ["build", str(short), "-o", str(out), "--bitrate", "97k"])
    assert result.exit_code in (1, 2) and "Traceback" not in result.output
    assert out.read_bytes() == b"earlier good file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["short.mp3", "short.yaml"]


def test_set_overrides_any_setting_by_key_path(runner: CliRunner, short: Path) -> None:
    result = runner.invoke(
        cli,
        ["timeline", str(short), "--json", "--set", "exercises.2.work=12s", "--set", "rounds=2"],
    )
    assert result.exit_code == 0, result.output
    works = [i for i in json.loads(result.output)["intervals"] if i["kind"] == "work"]
    assert [round(w["end"] - w["start"], 3) for w in works] == [5.0, 12.0, 5.0, 12.0]


def test_set_with_a_bad_value_exits_2_naming_the_option(runner: CliRunner, short: Path) -> None:
    result = runner.invoke(cli, ["check", str(short)])
    assert result.exit_code == 0
    result = runner.invoke(cli, ["timeline", str(short), "--set", "cues.countdown=lots"])
    assert result.exit_code == 2
    assert (
        "--set cues.countdown=lots: error at cues.countdown: expected a whole number"
        in result.output
    )


def test_build_says_which_cues_it_left_out_and_why(runner: CliRunner, tmp_path: Path) -> None:
    workout = tmp_path / "w.yaml"
    workout.write_text(
        "title: Odd\nwork: 30s\nrest: 15s\ncues: {tips: 1}\n"
        "exercises:\n  - {name: Squat, tips: ['---']}\n"
    )
    result = runner.invoke(cli, ["build", str(workout), "-o", str(tmp_path / "w.mp3")])
    assert result.exit_code == 0, result.output
    assert "  left out 1 cue the voice says nothing for: '---'" in result.stdout
    assert "for lack of time" not in result.stdout
