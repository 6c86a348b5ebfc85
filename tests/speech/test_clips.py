"""Clip packs: recordings matched to cues by slug, trimmed, level-matched, and heard in
the built MP3 at the cue's time."""

from __future__ import annotations

import array
import json
import math
import subprocess
import wave
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from audiogen.cli.main import cli
from audiogen.core.ffmpeg import decode_to_pcm, ffmpeg_exe
from audiogen.core.pcm import pcm_segment
from audiogen.errors import VoiceError
from audiogen.speech.clips import (
    ClipPack,
    clauses,
    decode_recording,
    match_level,
    needed_phrases,
    phrase_slugs,
    slug,
    speech_level,
    trim_recording,
)
from audiogen.speech.resolver import speak_phrases
from audiogen.speech.tone import ToneSynthesizer

if TYPE_CHECKING:
    from pydub import AudioSegment

RATE = 44_100


def tone_samples(
    hz: float, ms: int, rate: int, amplitude: float, *, lead_ms: int = 0, tail_ms: int = 0
) -> array.array[int]:
    count = rate * ms // 1000
    body = [round(amplitude * 32767 * math.sin(2 * math.pi * hz * i / rate)) for i in range(count)]
    return array.array("h", [0] * (rate * lead_ms // 1000) + body + [0] * (rate * tail_ms // 1000))


def write_wav(path: Path, data: array.array[int], rate: int = 22_050, channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(data.tobytes())
    return path


def recording(path: Path, hz: float = 1500, amplitude: float = 0.05, ms: int = 500) -> Path:
    """A stand-in recording: a tone between 300 ms of silence either side."""
    return write_wav(path, tone_samples(hz, ms, 22_050, amplitude, lead_ms=300, tail_ms=300))


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Halfway", "halfway"),
        ("Switch sides!", "switch-sides"),
        ("Next up: Front Squat", "next-up-front-squat"),
        ("  Single-Leg Deadlift, right side. ", "single-leg-deadlift-right-side"),
        ("Café au lait", "cafe-au-lait"),
        ("3", "3"),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_numbers_may_be_named_either_way() -> None:
    assert phrase_slugs("10 seconds left") == ["10-seconds-left", "ten-seconds-left"]
    assert phrase_slugs("Halfway") == ["halfway"]


def test_clauses_split_at_punctuation_followed_by_a_space() -> None:
    assert clauses("Next up: Front Squat, right side") == ["Next up:", "Front Squat,", "right side"]
    assert clauses("Round 2 of 3.") == ["Round 2 of 3."]
    assert clauses("Sit at 1:30, then 2.5 more") == ["Sit at 1:30,", "then 2.5 more"]


# --- the pack -----------------------------------------------------------------------------


def test_a_pack_indexes_files_by_slug_and_prefers_wav(tmp_path: Path) -> None:
    recording(tmp_path / "halfway.mp3")  # the name says MP3; only the WAV should be used
    recording(tmp_path / "Halfway.wav")
    recording(tmp_path / "Switch Sides.wav")
    (tmp_path / "notes.txt").write_text("not audio")
    pack = ClipPack.load(tmp_path)
    assert pack.files == {
        "halfway": tmp_path / "Halfway.wav",
        "switch-sides": tmp_path / "Switch Sides.wav",
    }
    assert pack.file_for("Switch sides") == tmp_path / "Switch Sides.wav"
    assert pack.file_for("Go") is None


def test_a_cue_is_recorded_whole_or_clause_by_clause_never_half(tmp_path: Path) -> None:
    for name in ("next-up", "front-squat", "ten-seconds-left"):
        recording(tmp_path / f"{name}.wav")
    pack = ClipPack.load(tmp_path)
    assert pack.files_for("10 seconds left") == [tmp_path / "ten-seconds-left.wav"]
    assert pack.files_for("Next up: Front Squat") == [
        tmp_path / "next-up.wav",
        tmp_path / "front-squat.wav",
    ]
    assert pack.files_for("Next up: Plank") is None
    assert pack.files_for("First up: Front Squat") is None


def test_a_missing_clips_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(VoiceError, match="does not exist"):
        ClipPack.load(tmp_path / "nope")


def test_recorded_phrases_replace_speech_and_are_counted(tmp_path: Path) -> None:
    recording(tmp_path / "halfway.wav")
    pack = ClipPack.load(tmp_path)
    speech = speak_phrases(["Front squat", "Halfway"], ToneSynthesizer(), pack=pack)
    assert (speech.synthesized, speech.recorded) == (1, 1)
    assert speech.clips["Halfway"].raw_data != ToneSynthesizer().synthesize("Halfway").raw_data


# --- decoding, trimming, level ------------------------------------------------------------


def test_wav_of_any_rate_and_layout_becomes_mono_44k(tmp_path: Path) -> None:
    stereo = array.array("h")
    for sample in tone_samples(440, 200, 48_000, 0.3):
        stereo.extend((sample, sample))
    clip = decode_recording(write_wav(tmp_path / "s.wav", stereo, 48_000, channels=2))
    assert (clip.frame_rate, clip.channels, clip.sample_width) == (RATE, 1, 2)
    assert abs(len(clip) - 200) <= 2


@pytest.mark.parametrize(
    "codec", [("flac", []), ("mp3", ["-b:a", "64k"]), ("wav", ["-c:a", "pcm_s24le"])]
)
def test_flac_mp3_and_24_bit_wav_decode_through_ffmpeg(
    tmp_path: Path, codec: tuple[str, list[str]]
) -> None:
    suffix, options = codec
    source = recording(tmp_path / "source.wav", amplitude=0.3)
    target = tmp_path / f"go.{suffix}"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-y", "-i", str(source), *options, str(target)], check=True
    )
    clip = decode_recording(target)
    assert (clip.frame_rate, clip.channels) == (RATE, 1)
    assert 1000 <= len(clip) <= 1200  # 300 + 500 + 300 ms, plus an MP3's padding
    assert clip.dBFS > -30


def test_recordings_are_trimmed_even_over_room_noise(tmp_path: Path) -> None:
    data = tone_samples(1000, 400, RATE, 0.3, lead_ms=500, tail_ms=700)
    noise = [round(30 * math.sin(i * 0.37) + 20 * math.sin(i * 1.91)) for i in range(len(data))]
    noisy = array.array("h", (s + n for s, n in zip(data, noise, strict=True)))
    trimmed = trim_recording(decode_recording(write_wav(tmp_path / "n.wav", noisy, RATE)))
    assert 400 <= len(trimmed) <= 400 + 2 * 20 + 10


def test_level_matching_brings_a_quiet_recording_to_the_voice() -> None:
    quiet = decode_like(tone_samples(300, 800, RATE, 0.02))
    matched = match_level(quiet, -20.0)
    assert abs(speech_level(matched) - -20.0) < 0.5


def test_level_matching_never_pushes_peaks_over_the_limit() -> None:
    spiky = array.array("h", tone_samples(300, 800, RATE, 0.01))
    spiky[5000] = 30000  # one click far above the speech
    matched = match_level(decode_like(spiky), -10.0)
    assert matched.max <= 32767 * 10 ** (-1 / 20) + 1


def decode_like(data: array.array[int]) -> AudioSegment:
    return pcm_segment(data.tobytes())


# --- what to record -----------------------------------------------------------------------


def test_needed_phrases_are_the_clauses_in_first_use_order() -> None:
    needed = needed_phrases(["Next up: Squat", "Halfway", "Next up: Lunge", "Halfway"])
    assert [(n.file, n.text, n.uses) for n in needed] == [
        ("next-up.wav", "Next up", 2),
        ("squat.wav", "Squat", 1),
        ("halfway.wav", "Halfway", 1),
        ("lunge.wav", "Lunge", 1),
    ]


# --- the built track ------------------------------------------------------------------------

WORKOUT = """\
title: Clip Test
work: 30s
rest: 0s
cues: {countdown: 2, tips: 0}
voice: {voice: en-us, clips: clips}
exercises: [Squat]
"""
HALFWAY_HZ, TIME_LEFT_HZ = 1500, 2500


def power_at(pcm: array.array[int], hz: float, start_s: float, length_s: float) -> float:
    """Share of the window's power at `hz` (Goertzel): near 1 for a pure tone there."""
    lo, n = round(start_s * RATE), round(length_s * RATE)
    window = pcm[lo : lo + n]
    coeff = 2 * math.cos(2 * math.pi * hz / RATE)
    s1 = s2 = 0.0
    for x in window:
        s1, s2 = x + coeff * s1 - s2, s1
    tone = (s1 * s1 + s2 * s2 - coeff * s1 * s2) * 2 / n
    total = sum(x * x for x in window) or 1
    return tone / total


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, object], Path]:
    folder = tmp_path_factory.mktemp("clip-pack")
    (folder / "clips").mkdir()
    recording(folder / "clips" / "halfway.wav", HALFWAY_HZ)
    recording(folder / "clips" / "10-seconds-left.wav", TIME_LEFT_HZ)
    recording(folder / "clips" / "go.wav", 800)  # for a "go" cue: none says it yet
    source = folder / "clip-test.yaml"
    source.write_text(WORKOUT)
    output = folder / "clip-test.mp3"
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(output)])
    assert result.exit_code == 0, result.output
    return result.output, json.loads(output.with_suffix(".json").read_text()), output


def cue_start(timeline: dict[str, object], role: str) -> float:
    cues = timeline["cues"]
    assert isinstance(cues, list)
    return float(next(c["start"] for c in cues if c["role"] == role))


def test_the_recordings_play_at_their_cues(built: tuple[str, dict[str, object], Path]) -> None:
    output, timeline, mp3 = built
    assert ", 2 recorded;" in output
    pcm = array.array("h", decode_to_pcm(mp3, sample_rate=RATE, channels=1))
    halfway, time_left = cue_start(timeline, "halfway"), cue_start(timeline, "time-left")
    assert power_at(pcm, HALFWAY_HZ, halfway + 0.05, 0.4) > 0.8
    assert power_at(pcm, TIME_LEFT_HZ, time_left + 0.05, 0.4) > 0.8
    # ...and only there: the name cue is the synthesized voice, not a tone.
    name = cue_start(timeline, "name")
    assert power_at(pcm, HALFWAY_HZ, name, 0.4) < 0.05


def test_record_list_names_the_files_and_marks_the_recorded(
    built: tuple[str, dict[str, object], Path],
) -> None:
    _, _, mp3 = built
    result = CliRunner().invoke(cli, ["voices", "record-list", str(mp3.with_suffix(".yaml"))])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.split()[:3] == ["[x]", "halfway.wav", "Halfway"] for line in lines)
    assert any(line.startswith("  [ ] squat.wav") for line in lines)
    assert any("[x] 10-seconds-left.wav" in line for line in lines)
    assert "2 of " in lines[-1]
