"""The user's mistakes exit 2 with a clear message, and `check` finds every one that
needs no synthesis, as `build` does before it speaks (issue 12, items 4, 5 and 7)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from audiogen.cli.main import cli
from audiogen.core import ffmpeg
from audiogen.core.ffmpeg import ffmpeg_exe
from audiogen.core.pcm import SAMPLE_RATE

WORKOUT = "title: T\nwork: 2s\nrest: 0s\ncues: {countdown: 0}\nexercises: [Squat]\n"


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def workout(tmp_path: Path) -> Path:
    path = tmp_path / "w.yaml"
    path.write_text(WORKOUT)
    return path


def _with(workout: Path, extra: str) -> Path:
    workout.write_text(WORKOUT + extra)
    return workout


def _assert_refused(result: Result, message: str, cache: Path) -> None:
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert not any(p.is_file() for p in cache.rglob("*")), "it synthesized first"


def test_bad_bitrate_exits_2(workout: Path, speech_cache_dir: Path) -> None:
    result = _run("build", str(workout), "--bitrate", "7k", "-o", str(workout.with_suffix(".mp3")))
    _assert_refused(result, "invalid MP3 bitrate '7k'", speech_cache_dir)


def test_unknown_voice_option_exits_2(workout: Path, speech_cache_dir: Path) -> None:
    result = _run("build", str(workout), "--voice", "en-uss", "-o", str(workout.parent / "o.mp3"))
    _assert_refused(result, "--voice: error at voice: espeak-ng has no voice", speech_cache_dir)


# (the workout's extra lines, files to make beside it) -> what the message says
MISTAKES = {
    "voice: /etc/passwd": (
        "voice: /etc/passwd\n", {}, "w.yaml:6:8: error at voice: espeak-ng has no voice"),
    "a profile naming a voice the engine lacks": (
        "voice: robot\n", {"voices/robot.yaml": "voice: xx-nope\n"},
        "voice profile 'robot': espeak-ng has no voice 'xx-nope'"),
    "a profile with an engine setting out of range": (
        "voice: robot\n", {"voices/robot.yaml": "voice: en-us\npitch: 500\n"},
        "robot.yaml:2:1: error at pitch"),
    "a profile naming an engine that does not exist": (
        "voice: robot\n", {"voices/robot.yaml": "engine: nope\nvoice: en-us\n"}, "nope"),
    "a corrupt clip WAV": (
        "voice: {voice: en-us, clips: clips}\n", {"clips/squat.wav": "RIFF junk"},
        "cannot read the recording"),
    "music that is text": ("music: {file: notes.txt}\n", {"notes.txt": "hello\n"}, "is not audio"),
    "music that is empty": ("music: {file: empty.mp3}\n", {"empty.mp3": ""}, "is empty"),
    "music that is /etc/passwd": ("music: {file: /etc/passwd}\n", {}, "is not audio"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(MISTAKES))
@pytest.mark.parametrize("command", ["check", "build"])
def test_mistake_found_before_synthesis(
    case: str, command: str, workout: Path, speech_cache_dir: Path
) -> None:
    extra, files, message = MISTAKES[case]
    for name, text in files.items():
        (workout.parent / name).parent.mkdir(parents=True, exist_ok=True)
        (workout.parent / name).write_text(text)
    _with(workout, extra)
    args = ["-o", str(workout.parent / "o.mp3")] if command == "build" else []
    result = _run(command, str(workout), *args)
    _assert_refused(result, message, speech_cache_dir)
    assert not (workout.parent / "o.mp3").exists()


def _mp3_of(seconds: float, path: Path) -> Path:
    subprocess.run(
        [ffmpeg_exe(), "-loglevel", "error", "-f", "lavfi", "-i",
         f"sine=frequency=220:sample_rate={SAMPLE_RATE}:duration={seconds}",
         "-b:a", "96k", "-y", str(path)],
        check=True,
    )  # fmt: skip
    return path


@pytest.mark.parametrize("command", ["check", "build"])
def test_truncated_music_is_called_truncated_not_silent(
    command: str, workout: Path, speech_cache_dir: Path
) -> None:
    whole = _mp3_of(5, workout.parent / "whole.mp3")
    (workout.parent / "cut.mp3").write_bytes(whole.read_bytes()[:3000])
    _with(workout, "music: {file: cut.mp3}\n")
    args = ["-o", str(workout.parent / "o.mp3")] if command == "build" else []
    result = _run(command, str(workout), *args)
    _assert_refused(result, "ms of audio: is it truncated?", speech_cache_dir)


def test_music_option_naming_a_device_says_so(workout: Path, speech_cache_dir: Path) -> None:
    result = _run(
        "build", str(workout), "--music", "/dev/null", "-o", str(workout.parent / "o.mp3")
    )
    _assert_refused(result, "/dev/null is not a regular file", speech_cache_dir)


def test_check_passes_good_music_and_voice(workout: Path) -> None:
    _mp3_of(2, workout.parent / "bed.mp3")
    _with(workout, "music: {file: bed.mp3}\nvoice: en-us+f3\n")
    result = _run("check", str(workout))
    assert result.exit_code == 0, result.output


def test_sigterm_is_handled_like_ctrl_c(tmp_path: Path) -> None:
    """`kill` (SIGTERM) gets the Ctrl-C treatment: a message and exit 130 (item 2)."""
    fifo = tmp_path / "w.yaml"
    os.mkfifo(fifo)  # the read blocks until the signal comes
    process = subprocess.Popen(
        [sys.executable, "-m", "audiogen", "check", str(fifo)],
        stderr=subprocess.PIPE,
        text=True,
    )
    # Wait until it is blocked opening the FIFO, i.e. well past start-up and imports.
    _wait_until_reading(process.pid, fifo)
    process.terminate()
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr


def _wait_until_reading(pid: int, fifo: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        syscall = Path(f"/proc/{pid}/wchan").read_text()
        if "partner" in syscall or "fifo" in syscall:
            return
        time.sleep(0.05)
    raise AssertionError(f"audiogen never opened {fifo}")


def test_a_machine_failure_exits_1_and_keeps_the_old_output(
    workout: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exit 1 is the machine's fault (here: the encoder cannot run)."""
    output = tmp_path / "o.mp3"
    output.write_bytes(b"old")
    monkeypatch.setattr(ffmpeg, "ffmpeg_exe", lambda: str(tmp_path / "no-ffmpeg"))
    result = _run("build", str(workout), "-o", str(output))
    assert result.exit_code == 1, result.output
    assert "cannot run ffmpeg" in result.output
    assert output.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.mp3", "w.yaml"]
