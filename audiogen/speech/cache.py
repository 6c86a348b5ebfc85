"""The speech cache: every phrase's audio, kept between builds.

A rebuild of a tweaked workout mostly says the same phrases with the same voice, so
their audio is stored under the user's cache directory, keyed by a hash of the
synthesizer's `key` (engine and its version, voice, rate, volume, pitch, trimming) and
the exact text spoken. Change any of these and the key changes: stale audio is never
looked up, it just ages in place until `audiogen cache clear`.

Each entry is one file: a fixed header (magic, format, the entry's own key hash, the
sample count and a SHA-256 of the samples) followed by raw mono 16-bit PCM. A torn,
truncated or bit-flipped file fails the check, is deleted and is synthesized again;
it is never played. Entries are written to a temporary file beside their final name
and renamed over it (`os.replace` is atomic), so builds running at the same time see
a whole entry or none, and two writers of one entry both write the same audio.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from audiogen.core.pcm import SAMPLE_WIDTH, pcm_segment
from audiogen.core.scratch import temp_name

if TYPE_CHECKING:
    from pydub import AudioSegment

    from audiogen.speech.synth import Synthesizer

ENV_VAR = "AUDIOGEN_CACHE_DIR"
# Entries live in a versioned folder: a new layout gets a new folder rather than
# misreading old files.
SPEECH_DIR = "speech-v1"
MAGIC = b"AGSPEECH"
# magic, entry digest (32), frame rate, channels, sample width, sample count, data digest
_HEADER = struct.Struct("<8s32sIBBQ32s")
_SUFFIX = ".pcm"


def cache_root() -> Path:
    """Where audiogen keeps its caches: $AUDIOGEN_CACHE_DIR, else the platform's user
    cache directory (~/.cache/audiogen on Linux)."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_cache_dir("audiogen", appauthor=False))


def entry_digest(key: str, text: str) -> bytes:
    """The cache identity of `text` spoken by a synthesizer whose key is `key`."""
    # A NUL cannot occur in either part, so no two (key, text) pairs join the same way.
    return hashlib.sha256(f"{key}\0{text}".encode()).digest()


class SpeechCache:
    """Phrase audio on disk. Reading never raises; a failed write only skips caching."""

    def __init__(self, root: Path | None = None) -> None:
        self.folder = (root or cache_root()) / SPEECH_DIR
        self.rejected = 0  # corrupt entries found (and removed) by this instance
        self.write_errors = 0

    def path(self, digest: bytes) -> Path:
        name = digest.hex()
        # Two-character fan-out: a few thousand phrases per folder at most.
        return self.folder / name[:2] / f"{name}{_SUFFIX}"

    def get(self, key: str, text: str) -> AudioSegment | None:
        """The cached clip, or None when missing or failing its checks."""
        digest = entry_digest(key, text)
        path = self.path(digest)
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        clip = _decode_entry(blob, digest)
        if clip is None:
            self.rejected += 1
            with contextlib.suppress(OSError):
                path.unlink()
        return clip

    def put(self, key: str, text: str, clip: AudioSegment) -> None:
        digest = entry_digest(key, text)
        try:
            _write_atomically(self.path(digest), _encode_entry(clip, digest))
        except OSError:
            # A read-only or full cache must not fail the build: it just stays cold.
            self.write_errors += 1


def _encode_entry(clip: AudioSegment, digest: bytes) -> bytes:
    if clip.sample_width != SAMPLE_WIDTH or clip.channels != 1:
        raise ValueError("the speech cache stores mono 16-bit clips only")
    data = bytes(clip.raw_data)
    count = len(data) // SAMPLE_WIDTH
    checksum = hashlib.sha256(data).digest()
    header = _HEADER.pack(MAGIC, digest, clip.frame_rate, 1, SAMPLE_WIDTH, count, checksum)
    return header + data


def _decode_entry(blob: bytes, digest: bytes) -> AudioSegment | None:
    if len(blob) < _HEADER.size:
        return None
    magic, stored, rate, channels, width, count, checksum = _HEADER.unpack_from(blob)
    data = blob[_HEADER.size :]
    valid = (
        magic == MAGIC
        and stored == digest
        and (channels, width) == (1, SAMPLE_WIDTH)
        and rate > 0
        and len(data) == count * SAMPLE_WIDTH
        and hashlib.sha256(data).digest() == checksum
    )
    return pcm_segment(data, rate) if valid else None


def _write_atomically(path: Path, blob: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # A name that says whose it is: a build killed mid-write leaves a file the next
    # build can prove stale and sweep (core.scratch).
    temp = temp_name(path)
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(blob)
        # No fsync: a crash can leave a torn entry, which the checksum catches.
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


@dataclass(frozen=True)
class CacheUsage:
    folder: Path
    entries: int
    bytes: int


def usage(root: Path | None = None) -> CacheUsage:
    """How many entries (and bytes, temporary files included) the speech cache holds."""
    folder = (root or cache_root()) / SPEECH_DIR
    entries = size = 0
    for path in _files(folder):
        size += path.stat().st_size
        entries += path.suffix == _SUFFIX
    return CacheUsage(folder, entries, size)


def clear(root: Path | None = None) -> CacheUsage:
    """Delete every speech cache file; returns what was there. Files another build is
    writing at that moment may survive: they are whole entries, as good as any."""
    folder = (root or cache_root()) / SPEECH_DIR
    entries = size = 0
    for path in _files(folder):
        with contextlib.suppress(OSError):
            length = path.stat().st_size
            path.unlink()
            size += length
            entries += path.suffix == _SUFFIX
    for sub in sorted(p for p in folder.glob("*") if p.is_dir()):
        with contextlib.suppress(OSError):
            sub.rmdir()
    return CacheUsage(folder, entries, size)


def _files(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from (p for p in folder.rglob("*") if p.is_file())


class CachedSynthesizer:
    """A synthesizer that looks in the cache before speaking, and fills it after."""

    def __init__(self, inner: Synthesizer, cache: SpeechCache) -> None:
        self.inner = inner
        self.cache = cache

    @property
    def key(self) -> str:
        return self.inner.key

    def lookup(self, text: str) -> tuple[AudioSegment, bool]:
        """The clip for `text`, and whether it came from the cache."""
        key = self.inner.key
        clip = self.cache.get(key, text)
        if clip is not None:
            return clip, True
        clip = self.inner.synthesize(text)
        self.cache.put(key, text, clip)
        return clip, False

    def synthesize(self, text: str) -> AudioSegment:
        return self.lookup(text)[0]
