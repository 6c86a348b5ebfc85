"""The music bed: looped without a seam, faded, ducked under speech, stereo output."""

from __future__ import annotations

import array
import itertools
import json
import math
import random
import wave
from pathlib import Path

import pytest

from audiogen.audio.measure import measure_file
from audiogen.audio.music import (
    LOOP_CROSSFADE_MS,
    Envelope,
    MusicBed,
    MusicError,
    bed_chunks,
    crossfade,
    open_music,
)
from audiogen.core.ffmpeg import decode_to_pcm, probe_mp3
from audiogen.pipeline import build_workout, choose_music
from audiogen.workout.durations import parse_db
from audiogen.workout.loader import parse_workout

RATE = 44100
ROOT = Path(__file__).resolve().parents[2]
LOOP = ROOT / "audiogen" / "data" / "music" / "loop.ogg"
WORKOUT = """\
title: Music Check
work: 8s
rest: 5s
cues: {countdown: 3, tips: 1}
exercises:
  - name: Goblet Squat
    tips: [Keep your chest up]
  - Reverse Lunge
"""


def write_wav(path: Path, left: list[int], right: list[int]) -> Path:
    frames = array.array("h", [v for pair in zip(left, right, strict=True) for v in pair])
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames.tobytes())
    return path


def sine(frames: int, freq: float, level: float = 8000) -> list[int]:
    return [round(level * math.sin(2 * math.pi * freq * i / RATE)) for i in range(frames)]


def noise(frames: int, seed: int, level: float = 6000) -> list[int]:
    rng = random.Random(seed)
    return [round(rng.uniform(-level, level)) for _ in range(frames)]


def stereo(data: bytes) -> tuple[array.array[int], array.array[int]]:
    samples = array.array("h", data)
    return samples[0::2], samples[1::2]


def rms_db(samples: array.array[int] | list[int]) -> float:
    return 10 * math.log10(sum(x * x for x in samples) / len(samples) / 32768**2)


# --- settings ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "db"), [("-18dB", -18.0), ("-12 dB", -12.0), ("0", 0.0)])
def test_parse_db(text: str, db: float) -> None:
    assert parse_db(text) == db


def test_parse_db_refuses_other_units() -> None:
    with pytest.raises(ValueError, match="dB"):
        parse_db("-18%")


def test_choose_music() -> None:
    own = MusicBed(Path("a.mp3"), -20.0, -6.0)
    assert choose_music(own) == own
    assert choose_music(own, disabled=True) is None
    assert choose_music(own, Path("b.ogg")) == MusicBed(Path("b.ogg"), -20.0, -6.0)
    assert choose_music(None, Path("b.ogg")) == MusicBed(Path("b.ogg"))


# --- looping ----------------------------------------------------------------------------


def test_a_loop_made_to_wrap_plays_without_a_seam(tmp_path: Path) -> None:
    # Two seconds of 441 Hz (a whole number of periods) plus a copy of its start: the
    # bundled loop's layout. Looped to 14 s, it must be the same sine throughout.
    period = 2 * RATE
    tail = RATE * LOOP_CROSSFADE_MS // 1000
    tone = sine(period + tail, 441)
    source = write_wav(tmp_path / "wrap.wav", tone, tone)
    total = 14 * RATE  # loops at 2 s, 4 s, ...: 4 s and 6 s fall between the fades
    with open_music(MusicBed(source), total) as music:
        assert music.loop_start == tail
        envelope = Envelope.build(total, [], level_db=0.0, duck_db=0.0)
        left, _ = stereo(b"".join(bed_chunks(music, envelope)))
    assert len(left) == total
    middle = range(envelope.fade_in, total - envelope.fade_out)
    assert max(abs(left[i] - tone[i % period]) for i in middle) <= 2


def test_unrelated_loop_ends_crossfade_at_constant_power() -> None:
    a = array.array("h", noise(4 * 4410, seed=1)).tobytes()
    b = array.array("h", noise(4 * 4410, seed=2)).tobytes()
    mixed = array.array("h", crossfade(a, b))
    quarter = len(mixed) // 4
    levels = [rms_db(mixed[i * quarter : (i + 1) * quarter]) for i in range(4)]
    assert max(levels) - min(levels) < 1.0
    assert abs(levels[1] - rms_db(array.array("h", a))) < 1.0


def test_music_longer_than_the_track_is_not_looped(tmp_path: Path) -> None:
    source = write_wav(tmp_path / "long.wav", noise(3 * RATE, 3), noise(3 * RATE, 4))
    with open_music(MusicBed(source), 2 * RATE) as music:
        assert music.loop_start == 0
        assert music.frames >= 2 * RATE


def test_missing_or_unreadable_music_is_a_clear_error(tmp_path: Path) -> None:
    with (
        pytest.raises(MusicError, match="does not exist"),
        open_music(MusicBed(tmp_path / "nope.mp3"), RATE),
    ):
        pass
    bad = tmp_path / "bad.mp3"
    bad.write_text("not audio")
    with pytest.raises(MusicError, match="cannot read"), open_music(MusicBed(bad), RATE):
        pass


# --- the envelope and the duck -----------------------------------------------------------

SPEECH_MS = [(5000, 7000), (7300, 8000), (15000, 17000)]


def test_envelope_ducks_smoothly_and_merges_close_cues() -> None:
    total = 25 * RATE
    envelope = Envelope.build(total, SPEECH_MS, level_db=-20.0, duck_db=-12.0)
    assert len(envelope.ducks) == 2  # the first two cues are too close to come back up
    spans = envelope.spans()
    assert spans[0].start == 0 and spans[-1].end == total
    assert all(a.end == b.start for a, b in itertools.pairwise(spans))
    gains = [20 * math.log10(envelope.gain(n)) for n in range(RATE * 4, RATE * 20, 64)]
    assert max(abs(a - b) for a, b in itertools.pairwise(gains)) < 0.3
    assert envelope.gain(6 * RATE) == pytest.approx(10 ** (-32 / 20))
    assert envelope.gain(11 * RATE) == pytest.approx(10 ** (-20 / 20))
    assert envelope.gain(0) == 0.0 and envelope.gain(total - 1) < 0.01  # faded in and out


def test_music_under_speech_is_at_least_10_db_down(tmp_path: Path) -> None:
    """Measured on the rendered music stem: under each cue against between cues."""
    source = write_wav(tmp_path / "bed.wav", noise(2 * RATE, 5), noise(2 * RATE, 6))
    total = 25 * RATE
    envelope = Envelope.build(total, SPEECH_MS, level_db=-6.0, duck_db=-12.0)
    with open_music(MusicBed(source), total) as music:
        left, right = stereo(b"".join(bed_chunks(music, envelope)))
    under = [x for start, end in SPEECH_MS for x in left[start * RATE // 1000 : end * RATE // 1000]]
    between = left[round(9.5 * RATE) : 14 * RATE]  # clear of the ramps and the fades
    assert rms_db(between) - rms_db(under) >= 10
    assert left != right  # the music keeps its stereo


# --- a real build -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def with_music(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("music") / "bed.mp3"
    workout = parse_workout(WORKOUT, source="music.yaml")
    build_workout(workout, output, music=MusicBed(LOOP))
    return output


def test_music_makes_the_output_stereo_at_the_right_loudness(with_music: Path) -> None:
    info = probe_mp3(with_music)
    assert (info.channels, info.bitrate_kbps) == (2, 96)
    measured = measure_file(with_music)
    assert measured.true_peak is not None
    assert abs(measured.integrated - -16.0) <= 0.5, measured
    assert measured.true_peak <= -1.0, measured


def test_music_plays_between_cues(with_music: Path) -> None:
    left, right = stereo(decode_to_pcm(with_music, channels=2))
    cues = json.loads(with_music.with_suffix(".json").read_text())["cues"]
    gaps = [(b["start"] - a["end"], a["end"]) for a, b in itertools.pairwise(cues)]
    length, start = max(gaps)
    assert length > 3
    middle = round((start + length / 2) * RATE)
    assert rms_db(left[middle - RATE // 4 : middle + RATE // 4]) > -50  # no cue: music alone
    assert left[: 20 * RATE] != right[: 20 * RATE]


def test_without_music_the_output_stays_mono(tmp_path: Path) -> None:
    output = tmp_path / "mono.mp3"
    build_workout(parse_workout(WORKOUT, source="w.yaml"), output, music=None)
    assert probe_mp3(output).channels == 1
