"""Encode raw PCM to a constant-bitrate MP3 with ffmpeg, and write files atomically.

Output files are written to a temporary file beside the target and renamed over it only
when complete, so a failed or interrupted build never leaves a partial file at the output
path and an earlier good file there stays intact.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from . import ffmpeg as _ffmpeg
from .errors import EncoderError

# Every bitrate MPEG-1 Layer III defines; CBR at one of these is what phones expect.
MP3_BITRATES_KBPS = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
MPEG1_SAMPLE_RATES = (32000, 44100, 48000)

_DISK_HINT = "check that the output folder exists, is writable, and that the disk is not full"


def parse_bitrate(bitrate: str) -> int:
    """'96k' -> 96. Raises EncoderError listing the allowed values for anything else."""
    match = re.fullmatch(r"(\d+)k", bitrate.strip())
    kbps = int(match[1]) if match else None
    if kbps not in MP3_BITRATES_KBPS:
        allowed = ", ".join(f"{k}k" for k in MP3_BITRATES_KBPS)
        raise EncoderError(f"invalid MP3 bitrate {bitrate!r}", hint=f"use one of: {allowed}")
    return int(kbps)


# --- atomic files -------------------------------------------------------------------------


def _create_temp_beside(target: Path) -> Path:
    """An empty new file next to `target`: same filesystem, so the final rename is atomic."""
    for _ in range(100):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            # Not mkstemp: its 0600 mode would carry over to the output; 0666 honours umask.
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return temp
    raise FileExistsError(f"no free temporary name beside {target}")


@contextlib.contextmanager
def atomic_output(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path to write; it replaces `target` only if the block succeeds.

    On any exception (KeyboardInterrupt included) the temporary file is removed and
    whatever was at `target` is left untouched. The parent directory is created.
    """
    target = Path(target)
    if target.is_dir():
        raise EncoderError(f"cannot write {target}: it is a directory")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = _create_temp_beside(target)
    except OSError as exc:
        raise _disk_error(f"cannot write to {target.parent}", exc) from exc
    try:
        yield temp
        _replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def _replace(temp: Path, target: Path) -> None:
    try:
        os.replace(temp, target)
    except OSError as exc:
        raise _disk_error(f"cannot write {target}", exc) from exc


def atomic_write_text(path: Path | str, text: str, *, encoding: str = "utf-8") -> None:
    """Write a text file (a JSON sidecar, say) so readers see the old or the new, never half."""
    with atomic_output(path) as temp:
        try:
            temp.write_text(text, encoding=encoding)
        except OSError as exc:
            raise _disk_error(f"cannot write {path}", exc) from exc


def _disk_error(message: str, exc: OSError) -> EncoderError:
    return EncoderError(f"{message}: {exc.strerror or exc}", hint=_DISK_HINT)


# --- encoding -----------------------------------------------------------------------------


def encode_mp3(
    chunks: Iterable[bytes],
    output: Path | str,
    *,
    bitrate: str = "96k",
    sample_rate: int = 44100,
    channels: int = 1,
) -> None:
    """Encode s16le PCM chunks to a CBR MP3 at `output`, atomically."""
    _check_format(bitrate, sample_rate, channels)  # fail before touching the filesystem
    with atomic_output(output) as temp:
        write_mp3(chunks, temp, bitrate=bitrate, sample_rate=sample_rate, channels=channels)


def write_mp3(
    chunks: Iterable[bytes],
    path: Path,
    *,
    bitrate: str = "96k",
    sample_rate: int = 44100,
    channels: int = 1,
) -> None:
    """Encode straight into `path`, not atomically: for use inside `atomic_output`, e.g.
    to add tags to the new file before it replaces the output."""
    kbps = _check_format(bitrate, sample_rate, channels)
    command = _encode_command(path, kbps, sample_rate, channels)
    # ffmpeg's log goes to a file, not a pipe nobody reads while we write stdin: a full
    # stderr pipe would block ffmpeg and, with it, us.
    with tempfile.TemporaryFile() as log:
        process = _spawn(command, log)
        try:
            broken_pipe = _feed(process, chunks)
            returncode = process.wait()
        finally:
            _stop(process)
        if returncode != 0 or broken_pipe:
            raise _ffmpeg_error(log, returncode)


def _check_format(bitrate: str, sample_rate: int, channels: int) -> int:
    kbps = parse_bitrate(bitrate)
    if sample_rate not in MPEG1_SAMPLE_RATES or channels not in (1, 2):
        # LAME would quietly switch to MPEG-2 or fail; neither is a file phones expect.
        raise ValueError(
            f"MPEG-1 needs 32, 44.1 or 48 kHz and 1 or 2 channels, not {sample_rate} Hz "
            f"and {channels} channels"
        )
    return kbps


def _encode_command(path: Path, kbps: int, sample_rate: int, channels: int) -> list[str]:
    return [
        _ffmpeg.ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error",
        "-f", "s16le", "-ar", str(sample_rate), "-ac", str(channels), "-i", "pipe:0",
        "-codec:a", "libmp3lame", "-b:a", f"{kbps}k",
        # The Xing/LAME header records delay and padding, so decoders get the exact length.
        "-write_xing", "1",
        # Tags are written later (ID3v2.3 with chapters); none from ffmpeg.
        "-id3v2_version", "0", "-write_id3v1", "0", "-map_metadata", "-1",
        "-f", "mp3", "-y", _ffmpeg.ffmpeg_path_arg(path),
    ]  # fmt: skip


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


def _ffmpeg_error(log: IO[bytes], returncode: int) -> EncoderError:
    log.seek(0)
    text = log.read().decode(errors="replace")
    detail = _ffmpeg.tail_lines(text) or "(no output)"
    message = f"ffmpeg failed to encode the MP3 (exit code {returncode}):\n{detail}"
    return EncoderError(message, hint=_hint_for(text))


def _hint_for(log: str) -> str:
    lowered = log.lower()
    if "unknown encoder" in lowered:
        return (
            "this ffmpeg has no MP3 encoder (libmp3lame): install one built with it, or remove "
            "it from PATH so the one from imageio-ffmpeg is used"
        )
    if "no space left" in lowered or "permission denied" in lowered or "read-only" in lowered:
        return _DISK_HINT
    return f"try another --bitrate or output folder; {_DISK_HINT}"
