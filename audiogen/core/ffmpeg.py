"""Finding ffmpeg, pointing pydub at it, decoding audio and reading MP3 headers.

There is often no system ffmpeg (and never an ffprobe): imageio-ffmpeg ships a static
binary, so everything here runs that binary directly and parses MP3 headers in Python.
"""

from __future__ import annotations

import contextlib
import functools
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, NamedTuple

from audiogen.core.pcm import SAMPLE_RATE, load_pydub
from audiogen.errors import EncoderError

_INSTALL_HINT = (
    "install the Python package imageio-ffmpeg (pip install imageio-ffmpeg), "
    "or install ffmpeg and put it on PATH"
)


@functools.cache
def ffmpeg_exe() -> str:
    """The ffmpeg to run: a system one on PATH first, else imageio-ffmpeg's own."""
    system = shutil.which("ffmpeg")
    if system:
        return system
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as exc:
        raise EncoderError("ffmpeg was not found", hint=_INSTALL_HINT) from exc


def ffmpeg_version() -> str:
    """ffmpeg's version (`7.0.2-static`), for bug reports; EncoderError if it will not run."""
    try:
        result = subprocess.run(
            [ffmpeg_exe(), "-version"], capture_output=True, text=True, check=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise EncoderError(f"cannot run ffmpeg: {exc}", hint=_INSTALL_HINT) from exc
    words = result.stdout.split()
    # The first line reads "ffmpeg version 7.0.2-static https://...".
    return words[2] if len(words) > 2 and words[1] == "version" else "unknown"


@functools.cache
def configure_pydub() -> None:
    """Point pydub at our ffmpeg. Safe to call many times; call before using pydub."""
    load_pydub().converter = ffmpeg_exe()


def tail_lines(text: str, count: int = 5) -> str:
    """The last non-empty lines of an ffmpeg log: where its real error is."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(lines[-count:])


def ffmpeg_path_arg(path: Path) -> str:
    # The file: protocol stops ffmpeg reading "a:b.mp3" as protocol "a" or "-x" as an option.
    return f"file:{Path(path).absolute()}"


def base_command() -> list[str]:
    """ffmpeg with the options every run here shares: quiet, never reading the terminal."""
    return [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats"]


def run_fed(
    command: list[str],
    chunks: Iterable[bytes],
    *,
    what: str,
    hint_for: Callable[[str], str | None] = lambda log: None,
) -> str:
    """Run ffmpeg with `chunks` written to its stdin; return its log (stderr).

    Raises EncoderError, saying it failed to `what`, if ffmpeg fails or stops reading.
    On any exception (KeyboardInterrupt included) ffmpeg is killed before this returns,
    so the caller can safely remove the files it was writing.
    """
    # The log goes to a file, not a pipe nobody reads while we write stdin: a full
    # stderr pipe would block ffmpeg and, with it, us.
    with tempfile.TemporaryFile() as log:
        process = _spawn(command, log)
        try:
            broken_pipe = _feed(process, chunks)
            returncode = process.wait()
        finally:
            _stop(process)
        log.seek(0)
        text = log.read().decode(errors="replace")
    if returncode != 0 or broken_pipe:
        detail = tail_lines(text) or "(no output)"
        message = f"ffmpeg failed to {what} (exit code {returncode}):\n{detail}"
        raise EncoderError(message, hint=hint_for(text))
    return text


def _spawn(command: list[str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=log,
            # Its own session: Ctrl-C reaches only us, and we stop ffmpeg and clean up,
            # instead of ffmpeg dying first and the interrupt looking like an encoder error.
            start_new_session=True,
        )
    except OSError as exc:
        raise EncoderError(
            f"cannot run ffmpeg ({command[0]}): {exc.strerror or exc}",
            hint="reinstall imageio-ffmpeg, or put a working ffmpeg on PATH",
        ) from exc


def _feed(process: subprocess.Popen[bytes], chunks: Iterable[bytes]) -> bool:
    """Write every chunk to ffmpeg; True if ffmpeg stopped reading (it exited early)."""
    assert process.stdin is not None
    try:
        for chunk in chunks:
            process.stdin.write(chunk)
        process.stdin.close()
    except BrokenPipeError:
        return True
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Make sure ffmpeg is gone (killed if still running) before its output is removed."""
    if process.poll() is None:
        process.kill()
    if process.stdin is not None:
        with contextlib.suppress(OSError):
            process.stdin.close()
    process.wait()


def decode_to_pcm(
    path: Path | str,
    *,
    sample_rate: int = SAMPLE_RATE,
    channels: int = 1,
    seconds: float | None = None,
) -> bytes:
    """Decode any audio file ffmpeg reads (its first `seconds`, if given) into raw
    signed 16-bit little-endian PCM."""
    limit = ["-t", f"{seconds:.3f}"] if seconds is not None else []
    cmd = [
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error",
        "-i", ffmpeg_path_arg(Path(path)), *limit, "-vn",
        "-f", "s16le", "-acodec", "pcm_s16le",
        "-ar", str(sample_rate), "-ac", str(channels), "pipe:1",
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, check=False)
    if proc.returncode != 0:
        log = tail_lines(proc.stderr.decode(errors="replace"))
        raise EncoderError(f"ffmpeg could not decode {path}:\n{log}")
    return proc.stdout


# --- MP3 frame headers -------------------------------------------------------------------
# Read directly because there is no ffprobe, and ffmpeg's own report rounds the duration
# to 10 ms while the LAME header gives the exact sample count.


class Mp3Info(NamedTuple):
    sample_rate: int
    channels: int
    # The audio frames' bitrate; the rounded mean when it varies (see mp3_frame_bitrates).
    bitrate_kbps: int
    duration_ms: int


class _Frame(NamedTuple):
    offset: int
    length: int
    mpeg1: bool
    bitrate_kbps: int
    sample_rate: int
    channels: int

    @property
    def samples(self) -> int:
        return 1152 if self.mpeg1 else 576


_BITRATES_V1 = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_BITRATES_V2 = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
# Keyed by (MPEG-1?, channels): the Xing header sits right after the side information.
_SIDE_INFO_BYTES = {(True, 1): 17, (True, 2): 32, (False, 1): 9, (False, 2): 17}
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _parse_frame(data: bytes, offset: int) -> _Frame | None:
    """The Layer III frame header at `offset`, or None if there is none there."""
    if offset + 4 > len(data) or data[offset] != 0xFF or data[offset + 1] & 0xE0 != 0xE0:
        return None
    b1, b2, b3 = data[offset + 1], data[offset + 2], data[offset + 3]
    version, layer = (b1 >> 3) & 3, (b1 >> 1) & 3
    bitrate_index, rate_index = b2 >> 4, (b2 >> 2) & 3
    # Free-format (index 0) frames have no length in the header: not supported.
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    mpeg1 = version == 3
    kbps = (_BITRATES_V1 if mpeg1 else _BITRATES_V2)[bitrate_index]
    rate = _SAMPLE_RATES[version][rate_index]
    length = (144 if mpeg1 else 72) * kbps * 1000 // rate + ((b2 >> 1) & 1)
    channels = 1 if b3 >> 6 == 3 else 2
    return _Frame(offset, length, mpeg1, kbps, rate, channels)


def _id3v2_size(data: bytes) -> int:
    if len(data) < 10 or data[:3] != b"ID3":
        return 0
    size = 0
    for byte in data[6:10]:  # syncsafe: 7 bits a byte
        size = (size << 7) | (byte & 0x7F)
    has_footer = bool(data[5] & 0x10)
    return 10 + size + (10 if has_footer else 0)


def _first_frame(data: bytes) -> _Frame | None:
    start = _id3v2_size(data)
    frame = _parse_frame(data, start)
    offset = start
    # Past junk, accept a sync only if another frame follows it: a stray 0xFF byte
    # followed by three plausible bytes is common in any binary data.
    while frame is None or (offset != start and not _parse_frame(data, offset + frame.length)):
        offset = data.find(b"\xff", offset + 1)
        if offset == -1:
            return None
        frame = _parse_frame(data, offset)
    return frame


def _frames(data: bytes) -> list[_Frame]:
    """Every frame from the first, walking frame to frame until the chain breaks."""
    frames: list[_Frame] = []
    frame = _first_frame(data)
    while frame is not None:
        frames.append(frame)
        frame = _parse_frame(data, frame.offset + frame.length)
    return frames


class _XingInfo(NamedTuple):
    frames: int | None
    delay: int
    padding: int


def _xing(data: bytes, frame: _Frame) -> _XingInfo | None:
    """The Xing/Info header (and LAME extension) carried by an otherwise silent frame."""
    pos = frame.offset + 4 + _SIDE_INFO_BYTES[frame.mpeg1, frame.channels]
    if data[pos : pos + 4] not in (b"Xing", b"Info"):
        return None
    flags = int.from_bytes(data[pos + 4 : pos + 8], "big")
    pos += 8
    frames = None
    if flags & 1:
        frames = int.from_bytes(data[pos : pos + 4], "big")
        pos += 4
    pos += (4 if flags & 2 else 0) + (100 if flags & 4 else 0) + (4 if flags & 8 else 0)
    delay = padding = 0
    if data[pos : pos + 4] in (b"LAME", b"Lavc", b"Lavf"):
        packed = int.from_bytes(data[pos + 21 : pos + 24], "big")
        delay, padding = packed >> 12, packed & 0xFFF
    return _XingInfo(frames, delay, padding)


def _read_frames(path: Path | str) -> tuple[list[_Frame], _XingInfo | None]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise EncoderError(f"cannot read {path}: {exc.strerror or exc}") from exc
    frames = _frames(data)
    if not frames:
        raise EncoderError(f"{path} is not an MP3 file (no MPEG Layer III frames found)")
    xing = _xing(data, frames[0])
    return (frames[1:] or frames, xing) if xing else (frames, None)


def mp3_frame_bitrates(path: Path | str) -> frozenset[int]:
    """The set of bitrates (kb/s) of the audio frames: one value for a CBR file."""
    frames, _ = _read_frames(path)
    return frozenset(f.bitrate_kbps for f in frames)


def probe_mp3(path: Path | str) -> Mp3Info:
    """Sample rate, channels, bitrate and duration of an MP3, exact when it has a LAME header."""
    frames, xing = _read_frames(path)
    first = frames[0]
    if xing and xing.frames is not None:
        samples = max(0, xing.frames * first.samples - xing.delay - xing.padding)
    else:
        samples = sum(f.samples for f in frames)
    bitrate = round(sum(f.bitrate_kbps for f in frames) / len(frames))
    duration_ms = round(samples * 1000 / first.sample_rate)
    return Mp3Info(first.sample_rate, first.channels, bitrate, duration_ms)
