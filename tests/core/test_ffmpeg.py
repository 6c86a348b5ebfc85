"""Finding ffmpeg, configuring pydub, decoding, and reading MP3 headers."""

from __future__ import annotations

import array
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from audiogen.core.ffmpeg import (
    configure_pydub,
    decode_to_pcm,
    ffmpeg_exe,
    mp3_frame_bitrates,
    probe_mp3,
    tail_lines,
)
from audiogen.errors import EncoderError
from audiogen.output.encoder import encode_mp3

RATE = 44100


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    ffmpeg_exe.cache_clear()
    yield
    ffmpeg_exe.cache_clear()


@pytest.fixture(scope="module")
def mp3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("probe") / "two.mp3"
    samples = array.array("h", [3000, -3000] * RATE)  # 2 s of a loud 22 kHz square
    encode_mp3([samples.tobytes()], path, bitrate="64k")
    return path


def test_ffmpeg_exe_runs_and_is_cached() -> None:
    exe = ffmpeg_exe()
    assert ffmpeg_exe() is exe
    out = subprocess.run([exe, "-version"], capture_output=True, check=True).stdout
    assert out.startswith(b"ffmpeg version")


@pytest.mark.usefixtures("fresh_cache")
def test_system_ffmpeg_is_preferred(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: f"/opt/bin/{name}")
    assert ffmpeg_exe() == "/opt/bin/ffmpeg"


@pytest.mark.usefixtures("fresh_cache")
def test_missing_ffmpeg_is_an_encoder_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import imageio_ffmpeg

    def no_binary() -> str:
        raise RuntimeError("No ffmpeg exe could be found")

    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", no_binary)
    with pytest.raises(EncoderError, match="ffmpeg was not found") as info:
        ffmpeg_exe()
    assert "imageio-ffmpeg" in str(info.value)


def test_configure_pydub_sets_converter_without_warning(tmp_path: Path) -> None:
    # A fresh interpreter, PATH without ffmpeg, warnings as errors: pydub must stay quiet.
    code = (
        "from audiogen.core.ffmpeg import configure_pydub, ffmpeg_exe\n"
        "configure_pydub(); configure_pydub()\n"
        "from pydub import AudioSegment\n"
        "assert AudioSegment.converter == ffmpeg_exe(), AudioSegment.converter\n"
    )
    env = {
        **os.environ,
        "PATH": str(tmp_path),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    proc = subprocess.run(
        [sys.executable, "-W", "error::RuntimeWarning", "-c", code],
        capture_output=True,
        env=env,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def test_decode_wav_round_trips(tmp_path: Path) -> None:
    configure_pydub()
    from pydub import AudioSegment

    data = array.array("h", range(-5000, 5000)).tobytes()
    segment = AudioSegment(data=data, sample_width=2, frame_rate=RATE, channels=1)
    segment.export(tmp_path / "x.wav", format="wav").close()  # export returns the open file
    assert decode_to_pcm(tmp_path / "x.wav") == data
    assert len(decode_to_pcm(tmp_path / "x.wav", sample_rate=22050, channels=2)) == 2 * 2 * 5000


def test_decode_missing_file_is_an_encoder_error(tmp_path: Path) -> None:
    with pytest.raises(EncoderError, match="could not decode"):
        decode_to_pcm(tmp_path / "nope.mp3")


def test_decode_odd_file_names(tmp_path: Path, mp3: Path) -> None:
    # ffmpeg would read "a:b" as a protocol and "-x" as an option without the file: prefix.
    odd = tmp_path / "-a:b c.mp3"
    odd.write_bytes(mp3.read_bytes())
    assert decode_to_pcm(odd) == decode_to_pcm(mp3)


def test_probe(mp3: Path) -> None:
    assert probe_mp3(mp3) == (44100, 1, 64, 2000)
    assert mp3_frame_bitrates(mp3) == {64}


def id3v2(size: int) -> bytes:
    syncsafe = bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))
    return b"ID3\x03\x00\x00" + syncsafe + b"\x00" * size


def test_probe_skips_id3v2_and_id3v1(tmp_path: Path, mp3: Path) -> None:
    # An ID3 body full of sync-like bytes must not be taken for audio.
    tagged = tmp_path / "tagged.mp3"
    tag = id3v2(300)[:10] + b"\xff\xfb\x90\x00" * 75
    tagged.write_bytes(tag + mp3.read_bytes() + b"TAG" + bytes(125))
    assert probe_mp3(tagged) == probe_mp3(mp3)
    assert decode_to_pcm(tagged) == decode_to_pcm(mp3)


def test_probe_without_xing_header_counts_frames(tmp_path: Path, mp3: Path) -> None:
    data = mp3.read_bytes()
    first_len = 144 * 64_000 // 44100 + ((data[2] >> 1) & 1)  # the Info frame
    bare = tmp_path / "bare.mp3"
    bare.write_bytes(data[first_len:])
    info = probe_mp3(bare)
    # Without delay and padding the length is whole frames: up to ~2 frames too long.
    assert 2000 <= info.duration_ms <= 2000 + 2 * 1152 * 1000 // 44100 + 1
    assert info.bitrate_kbps == 64


def test_probe_after_junk_finds_the_stream(tmp_path: Path, mp3: Path) -> None:
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"\x00\xff\xfb\x90junk" + mp3.read_bytes())
    assert probe_mp3(junk).sample_rate == 44100


def test_probe_rejects_non_mp3(tmp_path: Path) -> None:
    path = tmp_path / "x.mp3"
    path.write_bytes(b"RIFF" + bytes(1000))
    with pytest.raises(EncoderError, match="not an MP3"):
        probe_mp3(path)
    with pytest.raises(EncoderError, match="cannot read"):
        probe_mp3(tmp_path / "missing.mp3")


def test_tail_lines() -> None:
    assert tail_lines("a\n\n b \nc\n", count=2) == "b\nc"
