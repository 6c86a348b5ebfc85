"""MP3 encoding: exact length, CBR at the asked bitrate, and atomic replacement."""

from __future__ import annotations

import array
import math
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from audiogen.core import ffmpeg
from audiogen.core.ffmpeg import decode_to_pcm, mp3_frame_bitrates, probe_mp3
from audiogen.errors import EncoderError, UsageError
from audiogen.output.encoder import (
    MP3_BITRATES_KBPS,
    AudioFormat,
    Chapter,
    OutputSpec,
    Part,
    encode_audio,
    encode_mp3,
    parse_bitrate,
    write_audio,
)
from tests.leftovers import OLD_BYTES, assert_untouched, leftovers

RATE = 44100


def tone(samples: int, freq: float = 440.0, level: float = 8000.0) -> bytes:
    step = 2 * math.pi * freq / RATE
    return array.array("h", (int(level * math.sin(i * step)) for i in range(samples))).tobytes()


def chunked(data: bytes, size: int = 2 * RATE) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


# 3 s: 1 s of tone, 1 s of silence, 1 s of tone.
TRACK = tone(RATE) + bytes(2 * RATE) + tone(RATE, freq=660)


@pytest.fixture(scope="module")
def mp3_96k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("enc") / "track.mp3"
    encode_mp3(chunked(TRACK), path)
    return path


def test_decoded_length_is_exact(mp3_96k: Path) -> None:
    # The LAME header records encoder delay and padding: not a sample is lost or added.
    assert len(decode_to_pcm(mp3_96k)) == len(TRACK)


def test_odd_length_survives_exactly(tmp_path: Path) -> None:
    data = tone(441_044)  # 10_001 ms
    encode_mp3(chunked(data), tmp_path / "odd.mp3")
    assert len(decode_to_pcm(tmp_path / "odd.mp3")) == len(data)
    assert probe_mp3(tmp_path / "odd.mp3").duration_ms == 10_001


def test_96k_is_cbr_mono_44100(mp3_96k: Path) -> None:
    assert probe_mp3(mp3_96k) == (44100, 1, 96, 3000)
    assert mp3_frame_bitrates(mp3_96k) == {96}


def test_128k_is_cbr(tmp_path: Path) -> None:
    encode_mp3(chunked(TRACK), tmp_path / "t.mp3", bitrate="128k")
    info = probe_mp3(tmp_path / "t.mp3")
    assert (info.sample_rate, info.channels, info.bitrate_kbps) == (44100, 1, 128)
    assert mp3_frame_bitrates(tmp_path / "t.mp3") == {128}


def test_decoded_audio_resembles_input(mp3_96k: Path) -> None:
    decoded = array.array("h", decode_to_pcm(mp3_96k))
    silent_second = decoded[RATE + 2000 : 2 * RATE - 2000]
    assert max(abs(s) for s in silent_second) < 50
    assert 7000 < max(decoded[:RATE]) < 9000


def test_no_tags_from_ffmpeg(mp3_96k: Path) -> None:
    data = mp3_96k.read_bytes()
    assert not data.startswith(b"ID3")
    assert data[-128:-125] != b"TAG"


def test_creates_parent_directory(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "x.mp3"
    encode_mp3(chunked(TRACK[: 2 * RATE]), out)
    assert out.stat().st_size > 0


def test_new_file_mode_follows_umask(mp3_96k: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(mp3_96k.stat().st_mode) == 0o666 & ~umask


def test_writes_beside_the_output_while_encoding(previous: Path) -> None:
    seen: list[str] = []

    def chunks() -> Iterator[bytes]:
        yield TRACK[:1000]
        seen.extend(leftovers(previous.parent))
        yield TRACK[1000:]

    encode_mp3(chunks(), previous)
    assert len(seen) == 1
    assert seen[0].startswith(".out.mp3.")
    assert previous.read_bytes() != OLD_BYTES
    assert leftovers(previous.parent) == []


@pytest.mark.parametrize("bitrate", ["100k", "96", "96K", "1000k", "k", "", "fast"])
def test_bad_bitrate_is_refused_before_anything(previous: Path, bitrate: str) -> None:
    with pytest.raises(UsageError) as info:
        encode_mp3(chunked(TRACK), previous, bitrate=bitrate)
    assert "32k, 40k" in str(info.value) and "320k" in str(info.value)
    assert_untouched(previous)


def test_parse_bitrate() -> None:
    assert [parse_bitrate(f"{k}k") for k in MP3_BITRATES_KBPS] == list(MP3_BITRATES_KBPS)


def test_non_mpeg1_rate_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="MPEG-1"):
        write_audio(chunked(TRACK), tmp_path / "x.mp3", OutputSpec(AudioFormat.MP3, "96k", 22050))


def failing_chunks(error: BaseException) -> Iterator[bytes]:
    yield TRACK[: 4 * RATE]
    yield TRACK[4 * RATE :]
    raise error


def test_error_mid_stream_keeps_previous_file(previous: Path) -> None:
    with pytest.raises(RuntimeError, match="scheduler"):
        encode_mp3(failing_chunks(RuntimeError("scheduler bug")), previous)
    assert_untouched(previous)


def test_interrupt_mid_stream_keeps_previous_file(previous: Path) -> None:
    with pytest.raises(KeyboardInterrupt):
        encode_mp3(failing_chunks(KeyboardInterrupt()), previous)
    assert_untouched(previous)


def test_error_mid_stream_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        encode_mp3(failing_chunks(RuntimeError()), tmp_path / "new.mp3")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def fake_ffmpeg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An 'ffmpeg' on PATH (preferred over imageio's) that fails without reading stdin."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "ffmpeg"
    script.write_text("#!/bin/sh\necho 'noise' >&2\necho 'Error: out of cheese' >&2\nexit 3\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    ffmpeg.ffmpeg_exe.cache_clear()
    yield
    ffmpeg.ffmpeg_exe.cache_clear()


@pytest.mark.usefixtures("fake_ffmpeg")
def test_ffmpeg_failure_reports_its_log(previous: Path) -> None:
    # 2 MB of input: ffmpeg is gone long before, so this also covers the broken pipe.
    with pytest.raises(EncoderError) as info:
        encode_mp3(chunked(bytes(2_000_000)), previous)
    message = str(info.value)
    assert "exit code 3" in message
    assert "out of cheese" in message
    assert "hint:" in message
    assert_untouched(previous)


def test_parent_that_is_a_file_is_an_encoder_error(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    with pytest.raises(EncoderError, match="cannot write"):
        encode_mp3(chunked(TRACK), tmp_path / "afile" / "x.mp3")


def test_output_that_is_a_directory_is_an_encoder_error(tmp_path: Path) -> None:
    with pytest.raises(EncoderError, match="directory"):
        encode_mp3(chunked(TRACK), tmp_path)


# --- other formats, chapters, parts -------------------------------------------------------


@pytest.mark.parametrize("fmt", [AudioFormat.M4A, AudioFormat.WAV])
def test_m4a_and_wav_decode_to_the_right_length(tmp_path: Path, fmt: AudioFormat) -> None:
    path = tmp_path / f"t.{fmt}"
    encode_audio(chunked(TRACK), path, OutputSpec(fmt))
    decoded = decode_to_pcm(path)
    # WAV is exact; AAC's priming is undone by the MP4 edit list, to a millisecond.
    assert abs(len(decoded) - len(TRACK)) <= (0 if fmt is AudioFormat.WAV else 2 * 44)
    assert 7000 < max(array.array("h", decoded)[:RATE]) < 9000


def test_m4a_carries_its_chapters_and_tags(tmp_path: Path) -> None:
    from mutagen.mp4 import MP4

    path = tmp_path / "t.m4a"
    chapters = [Chapter(0, 1000, "Get ready"), Chapter(1000, 2500, "Round 2: Squat; deep = good")]
    spec = OutputSpec(AudioFormat.M4A, "64k")
    encode_audio(chunked(TRACK), path, spec, tags={"title": "Legs"}, chapters=chapters)
    m4a = MP4(path)
    assert [(c.start, c.title) for c in m4a.chapters] == [(0.0, c.title) for c in chapters[:1]] + [
        (1.0, chapters[1].title)
    ]
    assert m4a.tags is not None and m4a.tags["\xa9nam"] == ["Legs"]


@pytest.mark.parametrize("bitrate", ["32k", "48k", "96"])
def test_aac_below_64k_is_refused(tmp_path: Path, bitrate: str) -> None:
    with pytest.raises(UsageError, match="64k to 320k"):
        encode_audio(chunked(TRACK), tmp_path / "x.m4a", OutputSpec(AudioFormat.M4A, bitrate))
    assert list(tmp_path.iterdir()) == []


def test_parts_are_cut_at_their_exact_samples(tmp_path: Path) -> None:
    cuts = [(0, 44_100), (44_100, 100_001), (100_001, 3 * RATE)]
    parts = [
        Part(tmp_path / f"p{i}.mp3", a, b, {"title": f"P{i}"}) for i, (a, b) in enumerate(cuts)
    ]
    write_audio(chunked(TRACK), tmp_path / "whole.mp3", OutputSpec(), parts=parts)
    assert len(decode_to_pcm(tmp_path / "whole.mp3")) == len(TRACK)
    for part, (start, end) in zip(parts, cuts, strict=True):
        # Cut exactly; but for some lengths LAME's padding note is a few samples short.
        assert 0 <= len(decode_to_pcm(part.path)) // 2 - (end - start) <= 8
        assert part.path.read_bytes().startswith(b"ID3")  # parts get their own tags


# --- a split build, and a build interrupted mid-encode -------------------------------------


LONG = """\
title: Long Haul
work: 50s
rest: 10s
rounds: 15
cues: {tips: 0}
exercises: [Squat, Lunge]
"""


def test_interrupt_mid_encode_keeps_the_previous_file(tmp_path: Path) -> None:
    """A real `audiogen build` of a 30-minute track, sent SIGINT while ffmpeg encodes."""
    import signal
    import subprocess
    import sys
    import time

    source = tmp_path / "long.yaml"
    source.write_text(LONG)
    output = tmp_path / "long.mp3"
    output.write_bytes(OLD_BYTES)
    command = [sys.executable, "-m", "audiogen", "build", str(source), "-o", str(output)]
    build = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(p.stat().st_size > 0 for p in tmp_path.glob(".long.mp3.*.part")):
        assert build.poll() is None, build.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    build.send_signal(signal.SIGINT)
    _, err = build.communicate(timeout=30)
    assert build.returncode == 130, err
    assert output.read_bytes() == OLD_BYTES
    assert leftovers(tmp_path) == []
