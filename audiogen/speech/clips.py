"""Clip packs: the user's own recordings, played instead of synthesized speech.

A voice profile may name a `clips` folder of WAV, FLAC or MP3 files, each named after
the phrase it says: `halfway.wav`, `switch-sides.wav`, `front-squat.flac`. Names are
compared as slugs (lowercase, every run of other characters a `-`), so `Halfway.wav`,
`halfway.mp3` and the cue text "Halfway" all meet at `halfway`. Numbers may be written
either way: `10-seconds-left.wav` and `ten-seconds-left.wav` both say "10 seconds left".

A cue is played from recordings when its whole text has a file, or else when every
clause of it does ("Next up: Front Squat" from `next-up.wav` and `front-squat.wav`,
joined with a short pause). A cue is never half recorded and half synthesized: two
voices in one sentence sound broken. Recordings are trimmed of leading and trailing
silence and brought to the speech level of the synthesized voice, so recorded and
synthesized cues sit at one loudness.
"""

from __future__ import annotations

import contextlib
import math
import re
import wave
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from audiogen.core.ffmpeg import decode_to_pcm
from audiogen.core.pcm import SAMPLE_RATE, SAMPLE_WIDTH, load_pydub, pcm_segment
from audiogen.core.text import slug
from audiogen.errors import RecordingError
from audiogen.plan.spoken import speak_numbers
from audiogen.speech.clip import PAD_MS

if TYPE_CHECKING:
    from pydub import AudioSegment

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg", ".m4a")
# Silence kept at each end of a trimmed recording, as for synthesized clips.
# Pause between the recorded clauses of one cue.
JOIN_GAP_MS = 180
# Level analysis: windows this long; a window is speech when within this much of the
# loudest, and anything this far below the speech level counts as silence when trimming.
WINDOW_MS = 20
ACTIVE_RANGE_DB = 30.0
TRIM_BELOW_DB = 30.0
# The loudest a loudness-matched recording may peak, so matching never clips.
PEAK_LIMIT_DBFS = -1.0
# Clauses end at these marks when followed by a space: "Next up: Squat, right side".
_CLAUSE_BREAK = re.compile(r"(?<=[.,:;!?])\s+")


def phrase_slugs(phrase: str, language: str = "en") -> list[str]:
    """The file stems that may say `phrase`: as written, and with numbers as words in
    the workout's `language`."""
    stems = (slug(phrase), slug(speak_numbers(phrase, language)))
    return [s for s in dict.fromkeys(stems) if s]


def clauses(phrase: str) -> list[str]:
    """The clauses of a phrase, the units a long cue can be recorded in."""
    return [part for part in _CLAUSE_BREAK.split(phrase.strip()) if slug(part)]


@dataclass
class ClipPack:
    """The recordings in one folder, by slug. Decoded clips are kept once loaded."""

    folder: Path
    files: dict[str, Path]
    # The workout's language: numbers in file names are words in it.
    language: str = "en"
    _decoded: dict[Path, AudioSegment] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, folder: Path, language: str = "en") -> ClipPack:
        if not folder.is_dir():
            raise RecordingError(
                f"the clips folder {folder} does not exist",
                hint="create it, or remove `clips:` from the voice profile",
            )
        files: dict[str, Path] = {}
        # WAV first: when one phrase exists in several formats, the lossless one wins.
        for suffix in AUDIO_SUFFIXES:
            for path in sorted(folder.iterdir()):
                if path.suffix.lower() == suffix and slug(path.stem):
                    files.setdefault(slug(path.stem), path)
        return cls(folder, files, language)

    def file_for(self, text: str) -> Path | None:
        stems = phrase_slugs(text, self.language)
        return next((self.files[s] for s in stems if s in self.files), None)

    def files_for(self, phrase: str) -> list[Path] | None:
        """The recordings that say `phrase`, whole or clause by clause, or None."""
        whole = self.file_for(phrase)
        if whole is not None:
            return [whole]
        parts = [self.file_for(part) for part in clauses(phrase)]
        if len(parts) < 2 or any(p is None for p in parts):
            return None
        return [p for p in parts if p is not None]

    def check(self, phrases: Iterable[str]) -> None:
        """Decode every recording these phrases would play, so a corrupt one fails
        before any synthesis (RecordingError, exit 2)."""
        for files in filter(None, map(self.files_for, phrases)):
            for path in files:
                self._decode(path)

    def render(
        self, phrases: Iterable[str], reference_level: Callable[[], float]
    ) -> dict[str, AudioSegment]:
        """Recorded clips for the phrases the pack covers. `reference_level` gives the
        speech level (dBFS) to match; it is asked only if some phrase is covered."""
        covered = {p: files for p in phrases if (files := self.files_for(p))}
        if not covered:
            return {}
        target = reference_level()
        return {phrase: self._say(files, target) for phrase, files in covered.items()}

    def _say(self, files: list[Path], target_dbfs: float) -> AudioSegment:
        pieces = [match_level(self._decode(path), target_dbfs) for path in files]
        gap = pcm_segment(bytes(SAMPLE_RATE * JOIN_GAP_MS // 1000 * SAMPLE_WIDTH))
        joined = pieces[0]
        for piece in pieces[1:]:
            joined = joined + gap + piece
        return joined

    def _decode(self, path: Path) -> AudioSegment:
        if path not in self._decoded:
            self._decoded[path] = trim_recording(decode_recording(path))
        return self._decoded[path]


def decode_recording(path: Path) -> AudioSegment:
    """Any supported file as mono 16-bit 44.1 kHz. Plain 16-bit WAV is read in Python;
    everything else (FLAC, MP3, 24-bit or float WAV) goes through ffmpeg."""
    segment = _read_wav(path) if path.suffix.lower() == ".wav" else None
    if segment is None:
        try:
            segment = pcm_segment(decode_to_pcm(path, sample_rate=SAMPLE_RATE, channels=1))
        except Exception as exc:
            raise RecordingError(f"cannot read the recording {path}: {exc}") from exc
    if len(segment) == 0:
        raise RecordingError(f"the recording {path} is empty")
    return segment.set_channels(1).set_frame_rate(SAMPLE_RATE)


def _read_wav(path: Path) -> AudioSegment | None:
    with contextlib.suppress(wave.Error, EOFError), wave.open(str(path), "rb") as reader:
        if reader.getsampwidth() != SAMPLE_WIDTH:
            return None
        data = reader.readframes(reader.getnframes())
        return load_pydub()(
            data=data,
            sample_width=SAMPLE_WIDTH,
            frame_rate=reader.getframerate(),
            channels=reader.getnchannels(),
        )
    return None


def speech_level(clip: AudioSegment) -> float:
    """dBFS of the speech in `clip`: the mean power of windows within ACTIVE_RANGE_DB of
    the loudest, so pauses and breaths do not pull a slow speaker's level down."""
    powers = [float(clip[i : i + WINDOW_MS].rms) ** 2 for i in range(0, len(clip), WINDOW_MS)]
    loudest = max(powers, default=0.0)
    if loudest <= 0:
        return -math.inf
    floor = loudest / 10 ** (ACTIVE_RANGE_DB / 10)
    active = [p for p in powers if p >= floor]
    return _dbfs(math.sqrt(sum(active) / len(active)))


def trim_recording(clip: AudioSegment) -> AudioSegment:
    """Cut leading and trailing silence (room noise included) down to PAD_MS.

    The threshold follows the recording's own level, since a home recording's noise
    floor sits far above the digital silence synthesized speech has."""
    load_pydub()  # quietly, before pydub.silence imports it
    from pydub.silence import detect_leading_silence

    level = speech_level(clip)
    if level == -math.inf:
        return clip[:0]
    threshold = max(level - TRIM_BELOW_DB, -70.0)
    start = detect_leading_silence(clip, silence_threshold=threshold, chunk_size=5)
    end = len(clip) - detect_leading_silence(clip.reverse(), threshold, chunk_size=5)
    return clip[max(0, start - PAD_MS) : min(len(clip), end + PAD_MS)]


def match_level(clip: AudioSegment, target_dbfs: float) -> AudioSegment:
    """`clip` brought to a speech level of `target_dbfs`, without peaking over the limit."""
    level = speech_level(clip)
    if level == -math.inf or not math.isfinite(target_dbfs):
        return clip
    gain = target_dbfs - level
    headroom = PEAK_LIMIT_DBFS - _dbfs(float(clip.max))
    return clip.apply_gain(min(gain, headroom))


def _dbfs(amplitude: float) -> float:
    full_scale = float(2 ** (8 * SAMPLE_WIDTH - 1))
    return 20 * math.log10(amplitude / full_scale) if amplitude > 0 else -math.inf


@dataclass(frozen=True)
class NeededPhrase:
    """A clause a workout speaks, for `audiogen voices record-list`."""

    text: str
    file: str  # the slug file name to record it as
    uses: int  # how many of the workout's distinct phrases contain it


def needed_phrases(phrases: Iterable[str]) -> list[NeededPhrase]:
    """Every clause of `phrases`, in first-use order: record these and every cue is
    covered (a whole phrase may also be recorded as one file)."""
    found: dict[str, tuple[str, int]] = {}
    for phrase in dict.fromkeys(phrases):
        for part in dict.fromkeys(clauses(phrase)):
            stem = slug(part)
            text, uses = found.get(stem, (part.rstrip(".,:;!?"), 0))
            found[stem] = (text, uses + 1)
    return [NeededPhrase(text, f"{stem}.wav", uses) for stem, (text, uses) in found.items()]
