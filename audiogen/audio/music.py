"""The background music bed: looped to fill the track, faded, held under the voice, ducked.

A `MusicBed` says which file and how loud. `open_music` (music_decode.py) decodes it
once into a scratch file, ready to loop.

`bed_chunks` streams the music with its gain envelope (fade in, fade out, the bed level,
and the duck under every speech cue with raised-cosine attack and release) and
`mix_with_voice` adds the mono voice, centred, on top. All the sample arithmetic is
`audioop` (C) on whole blocks, with the gain held for `RAMP_STEP` samples (1.5 ms) at a
time while it moves: 30 minutes of stereo costs about a second of CPU, beside the
encoder on another core.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from audiogen.audio.level import BEEP_PEAK_OVER_VOICE_DB, LoudnessTarget, VoiceMix
from audiogen.audio.music_decode import (
    LOOP_CROSSFADE_MS,
    RAMP_STEP,
    LoopReader,
    Music,
    audioop_module,
    crossfade,
    open_music,
)
from audiogen.core.pcm import SAMPLE_RATE
from audiogen.errors import MusicError
from audiogen.workout.model import MusicBed

# Re-exported: what a caller of the music bed needs, in one place.
__all__ = [
    "LOOP_CROSSFADE_MS",
    "Envelope",
    "Music",
    "MusicBed",
    "MusicError",
    "bed_chunks",
    "crossfade",
    "mix_peak",
    "mix_with_voice",
    "open_music",
]

FADE_IN_MS = 3000
FADE_OUT_MS = 6000
# The duck is fully down when a cue starts and starts to come back when it ends.
DUCK_ATTACK_MS = 250
DUCK_RELEASE_MS = 700
# The mono voice goes to both channels 3 dB down: the same power, so the same loudness
# by BS.1770, in the stereo mix as alone.
VOICE_PAN = math.sqrt(0.5)
_BLOCK = SAMPLE_RATE  # samples per block while the gain holds still


# --- the gain envelope ------------------------------------------------------------------


@dataclass(frozen=True)
class Envelope:
    """The bed's gain over the track: level, fades, and ducks (times in samples)."""

    total: int
    level_db: float
    duck_db: float
    ducks: tuple[tuple[int, int], ...]  # [start, end) of each ducked stretch, merged
    fade_in: int
    fade_out: int
    attack: int
    release: int

    @classmethod
    def build(
        cls,
        total: int,
        speech: Sequence[tuple[int, int]],
        *,
        level_db: float,
        duck_db: float,
        sample_rate: int = SAMPLE_RATE,
    ) -> Envelope:
        """`speech`: (start, end) ms of every speech cue."""

        def samples(ms: int) -> int:
            return round(ms * sample_rate / 1000)

        attack, release = samples(DUCK_ATTACK_MS), samples(DUCK_RELEASE_MS)
        ducks: list[tuple[int, int]] = []
        for start_ms, end_ms in sorted(speech):
            start, end = samples(start_ms), samples(end_ms)
            # Cues closer than a release plus an attack stay under one duck.
            if ducks and start - attack <= ducks[-1][1] + release:
                ducks[-1] = (ducks[-1][0], max(ducks[-1][1], end))
            else:
                ducks.append((start, end))
        fade_in = min(samples(FADE_IN_MS), total // 2)
        fade_out = min(samples(FADE_OUT_MS), total - fade_in)
        return cls(total, level_db, duck_db, tuple(ducks), fade_in, fade_out, attack, release)

    def duck_depth(self, n: int) -> float:
        """0 (no duck) to 1 (fully ducked) at sample n, with raised-cosine ramps."""
        index = bisect.bisect_right(self.ducks, (n, math.inf)) - 1
        candidates = self.ducks[max(0, index) : index + 2]
        return max((self._depth(n, duck) for duck in candidates), default=0.0)

    def _depth(self, n: int, duck: tuple[int, int]) -> float:
        start, end = duck
        if start <= n < end:
            return 1.0
        if start - self.attack <= n < start:
            return _raised_cosine((n - (start - self.attack)) / self.attack)
        if end <= n < end + self.release:
            return _raised_cosine(1 - (n - end) / self.release)
        return 0.0

    def fade(self, n: int) -> float:
        """The fade-in and fade-out factor at sample n (1 in between)."""
        if n < self.fade_in:
            return _raised_cosine(n / self.fade_in)
        if n >= self.total - self.fade_out:
            return _raised_cosine((self.total - n) / self.fade_out)
        return 1.0

    def gain(self, n: int) -> float:
        """The linear gain at sample n."""
        db = self.level_db + self.duck_db * self.duck_depth(n)
        return float(10 ** (db / 20) * self.fade(n))

    def spans(self) -> list[Span]:
        """Stretches covering the track, cut wherever the gain starts or stops moving."""
        edges = {0, self.total, self.fade_in, self.total - self.fade_out}
        for start, end in self.ducks:
            edges.update((start - self.attack, start, end, end + self.release))
        points = sorted(p for p in edges if 0 <= p <= self.total)
        return [self._span(a, b) for a, b in itertools.pairwise(points)]

    def _span(self, start: int, end: int) -> Span:
        # Stretches are cut at every ramp's ends, so their midpoint tells what they are.
        middle = (start + end) // 2
        if middle < self.fade_in or middle >= self.total - self.fade_out:
            return Span(start, end, moving=True)
        if not 0.0 < self.duck_depth(middle) < 1.0:
            return Span(start, end, moving=False)
        index = bisect.bisect_right(self.ducks, (middle, math.inf))
        if index < len(self.ducks) and self.ducks[index][0] - self.attack <= start:
            return Span(start, end, True, "attack", start - (self.ducks[index][0] - self.attack))
        return Span(start, end, True, "release", start - self.ducks[index - 1][1])

    def ramp_gains(self, ramp: str, offset: int, length: int) -> list[float]:
        """The gain for each RAMP_STEP of a stretch of an attack or release ramp, away
        from the fades: every duck ramps alike, so one list serves them all."""
        ramp_length = self.attack if ramp == "attack" else self.release
        gains = []
        for at in range(offset, offset + length, RAMP_STEP):
            middle = (at + min(at + RAMP_STEP, offset + length)) / 2
            progress = middle / ramp_length
            depth = _raised_cosine(progress if ramp == "attack" else 1 - progress)
            gains.append(float(10 ** ((self.level_db + self.duck_db * depth) / 20)))
        return gains


@dataclass(frozen=True)
class Span:
    """A stretch [start, end) of the envelope: still, or moving (a fade, or the attack or
    release ramp of a duck, `offset` samples into the ramp)."""

    start: int
    end: int
    moving: bool
    ramp: str | None = None
    offset: int = 0


def _raised_cosine(x: float) -> float:
    """0 at x=0 to 1 at x=1 along half a cosine: no corner at either end."""
    x = min(1.0, max(0.0, x))
    return 0.5 - 0.5 * math.cos(math.pi * x)


# --- streaming ------------------------------------------------------------------------------


def bed_chunks(music: Music, envelope: Envelope, start: int = 0) -> Iterator[bytes]:
    """The music stem: stereo s16le with the envelope applied, from frame `start` to
    `envelope.total`, the same samples wherever it starts (a segment of a parallel
    encode starts midway).

    The gain holds for whole one-second blocks where it is still and moves in steps of
    RAMP_STEP samples elsewhere.
    """
    audioop = audioop_module()
    ramps: dict[tuple[str, int, int], list[float]] = {}
    with music.path.open("rb") as file:
        reader = LoopReader(file, music)
        reader.seek(start)
        for span in envelope.spans():
            if span.end <= start:
                continue
            step = RAMP_STEP if span.moving else _BLOCK
            gains = _span_gains(envelope, span, ramps)
            for gain, at in zip(gains, range(span.start, span.end, step), strict=True):
                begin, end = max(at, start), min(at + step, span.end)
                if begin < end:
                    yield audioop.mul(reader.read(end - begin), 2, gain)


def _span_gains(
    envelope: Envelope, span: Span, ramps: dict[tuple[str, int, int], list[float]]
) -> Sequence[float]:
    if not span.moving:
        gain = envelope.gain((span.start + span.end) // 2)
        return [gain] * len(range(span.start, span.end, _BLOCK))
    if span.ramp is None:  # in a fade: worked out step by step (only at the ends)
        steps = range(span.start, span.end, RAMP_STEP)
        return [envelope.gain(min(at + RAMP_STEP // 2, span.end - 1)) for at in steps]
    key = (span.ramp, span.offset, span.end - span.start)
    if key not in ramps:
        ramps[key] = envelope.ramp_gains(*key)
    return ramps[key]


def mix_with_voice(voice: Iterable[bytes], bed: Iterable[bytes]) -> Iterator[bytes]:
    """Mono s16le voice chunks over a stereo bed: stereo s16le chunks, voice centred."""
    audioop = audioop_module()
    take = _Taker(iter(bed))
    for chunk in voice:
        music = take(len(chunk) * 2)
        if not chunk or audioop.max(chunk, 2) == 0:
            yield music
        else:
            yield audioop.add(audioop.tostereo(chunk, 2, VOICE_PAN, VOICE_PAN), music, 2)


class _Taker:
    """Cuts a stream of byte pieces into pieces of the sizes asked for."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self._pieces = pieces
        self._left = b""

    def __call__(self, size: int) -> bytes:
        parts, have = [self._left], len(self._left)
        while have < size:
            piece = next(self._pieces, None)
            if piece is None:  # the bed ran short: silence (it is built to the same length)
                parts.append(bytes(size - have))
                break
            parts.append(piece)
            have += len(piece)
        joined = b"".join(parts)
        self._left = joined[size:]
        return joined[:size]


def mix_peak(voice: VoiceMix, target: LoudnessTarget, music_peak: float, duck_db: float) -> bool:
    """True if voice and music together might peak past the target: a bound, adding the
    peaks in phase. Speech always has the bed fully ducked under it; beeps do not."""
    pan = 20 * math.log10(VOICE_PAN)
    beep = target.lufs + BEEP_PEAK_OVER_VOICE_DB + voice.trim_db + pan
    worst = max(_add_db(voice.peak_dbtp + pan, music_peak + duck_db), _add_db(beep, music_peak))
    return worst > target.true_peak


def _add_db(a: float, b: float) -> float:
    return 20 * math.log10(10 ** (a / 20) + 10 ** (b / 20))
