"""Is the music file usable? Checked before any speech is synthesized (by `check` and by
`build`), with a message that says what is wrong with it: missing, not a file, empty,
not audio, or too short to be anything but a truncated file."""

from __future__ import annotations

import stat
from pathlib import Path

from audiogen.core import ffmpeg as _ffmpeg
from audiogen.core.pcm import SAMPLE_RATE
from audiogen.errors import EncoderError, MusicError

# Enough to prove the file decodes, cheap even for a long file: ffmpeg stops there.
PROBE_SECONDS = 5.0
# Loudness is measured over 400 ms blocks: less audio than that cannot be a music bed.
MIN_MUSIC_MS = 400
_HINT = "use an MP3, WAV, FLAC or OGG file"


def check_music_file(path: Path) -> None:
    """Raise MusicError (exit 2) unless `path` is a regular file holding decodable audio."""
    check_music_kind(path)
    try:
        pcm = _ffmpeg.decode_to_pcm(path, sample_rate=SAMPLE_RATE, seconds=PROBE_SECONDS)
    except EncoderError as exc:
        detail = exc.message.splitlines()[-1]
        raise MusicError(f"music file {path} is not audio", hint=f"{_HINT} ({detail})") from exc
    check_music_length(path, len(pcm) // 2)


def check_music_length(path: Path, frames: int) -> None:
    """A file that decodes to (almost) nothing is truncated or not audio, not silent."""
    ms = frames * 1000 // SAMPLE_RATE
    if ms == 0:
        raise MusicError(f"music file {path} holds no audio", hint=_HINT)
    if ms < MIN_MUSIC_MS:
        raise MusicError(
            f"music file {path} holds only {ms} ms of audio: is it truncated?", hint=_HINT
        )


def check_music_kind(path: Path) -> None:
    """Raise MusicError unless `path` is a non-empty regular file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise MusicError(f"music file {path} does not exist", hint="check the path") from None
    except OSError as exc:
        raise MusicError(f"cannot read the music file {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        what = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, pipe or socket"
        raise MusicError(f"music file {path} is not a regular file: it is {what}", hint=_HINT)
    if info.st_size == 0:
        raise MusicError(f"music file {path} is empty", hint=_HINT)
