"""Render a timeline to raw PCM: silence and cue audio, streamed in time order.

Cues never overlap, so the track is a plain sequence of pieces; nothing is ever mixed.
Building it as a stream of byte chunks keeps time and memory linear: overlaying each
cue onto a full-length AudioSegment copies the whole track per cue (146 s and 680 MB for
a 30-minute workout, see notes/stack.md). The cues are placed once (`place_cues`); any
stretch of the track then streams without walking the track before it, so an encode of
many short stretches (output/segments.py) renders each for what it holds.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from audiogen.core.pcm import SAMPLE_RATE, SAMPLE_WIDTH, mono_pcm, ms_to_samples, pcm_segment
from audiogen.plan.timeline import Cue, CueKind, Role, Timeline

if TYPE_CHECKING:
    from pydub import AudioSegment

SILENCE_CHUNK_SECONDS = 1

# Cue times are whole milliseconds and pydub rounds clip lengths to whole milliseconds,
# so a clip placed flush against the next cue can overrun it by up to about 1 ms of
# samples. That much is trimmed; anything longer is a scheduling bug and raises.
OVERRUN_TOLERANCE_MS = 1


@dataclass(frozen=True)
class _Placement:
    start: int  # in samples
    data: bytes

    @property
    def end(self) -> int:
        return self.start + len(self.data) // SAMPLE_WIDTH


class PlacedCues:
    """Every cue's samples at its place in a track of `total` samples, checked."""

    def __init__(self, placements: list[_Placement], total: int, sample_rate: int) -> None:
        self._placements = [p for p in placements if p.data]
        # Cues never overlap, so their ends rise in order too: a window bisects them.
        self._ends = [p.end for p in self._placements]
        self.total = total
        self.sample_rate = sample_rate

    def pcm(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Mono s16le chunks of the samples [start, end) (to the end by default)."""
        end = self.total if end is None else min(end, self.total)
        position = start
        for placement in self._placements[bisect.bisect_right(self._ends, start) :]:
            if placement.start >= end:
                break
            # The first cue may have begun before `start`: no silence then.
            yield from _silence(max(0, placement.start - position), self.sample_rate)
            position = max(position, placement.start)
            upto = min(end, placement.end)
            whole = position == placement.start and upto == placement.end
            cut = slice(*((x - placement.start) * SAMPLE_WIDTH for x in (position, upto)))
            yield placement.data if whole else placement.data[cut]
            position = upto
        yield from _silence(max(0, end - position), self.sample_rate)

    def quiet(self) -> list[tuple[int, int]]:
        """The stretches [start, end) of samples no cue's audio reaches: digital silence."""
        edges = [0, *(x for p in self._placements for x in (p.start, p.end)), self.total]
        return [(a, b) for a, b in zip(edges[0::2], edges[1::2], strict=True) if b > a]


def place_cues(
    timeline: Timeline,
    clips: Mapping[str, AudioSegment],
    beeps: Mapping[Role, AudioSegment],
    *,
    sample_rate: int = SAMPLE_RATE,
) -> PlacedCues:
    """Every cue's audio placed on the track, each checked (a bad timeline raises here
    rather than halfway through an encode)."""
    total = ms_to_samples(timeline.duration_ms, sample_rate)
    return PlacedCues(_place_cues(timeline, clips, beeps, total, sample_rate), total, sample_rate)


def render_pcm(
    timeline: Timeline,
    clips: Mapping[str, AudioSegment],
    beeps: Mapping[Role, AudioSegment],
    *,
    sample_rate: int = SAMPLE_RATE,
) -> Iterator[bytes]:
    """Mono s16le PCM chunks for the whole track, in time order.

    Every cue is checked before the first chunk is produced, so a bad timeline raises
    here rather than halfway through an encode. Silence comes in chunks of at most
    one second; cue audio comes in one chunk per cue.
    """
    return place_cues(timeline, clips, beeps, sample_rate=sample_rate).pcm()


def render_segment(
    timeline: Timeline,
    clips: Mapping[str, AudioSegment],
    beeps: Mapping[Role, AudioSegment],
    *,
    sample_rate: int = SAMPLE_RATE,
) -> AudioSegment:
    """The whole track as one AudioSegment (joined once): for tests and short tracks."""
    data = b"".join(render_pcm(timeline, clips, beeps, sample_rate=sample_rate))
    return pcm_segment(data, sample_rate)


def _place_cues(
    timeline: Timeline,
    clips: Mapping[str, AudioSegment],
    beeps: Mapping[Role, AudioSegment],
    total: int,
    sample_rate: int,
) -> list[_Placement]:
    cues = sorted(timeline.cues, key=lambda c: c.start_ms)
    starts = [ms_to_samples(c.start_ms, sample_rate) for c in cues]
    # Each clip must end by the next cue's start, the last one by the end of the track.
    spans = itertools.pairwise([*starts, total])
    tolerance = math.ceil(OVERRUN_TOLERANCE_MS * sample_rate / 1000)
    pcm_cache: dict[object, bytes] = {}
    placements = []
    for cue, (start, limit) in zip(cues, spans, strict=True):
        if not 0 <= start <= total:
            track = f"0-{timeline.duration_ms} ms"
            raise ValueError(f"{_describe(cue)} starts outside the track ({track})")
        data = _cue_pcm(cue, clips, beeps, sample_rate, pcm_cache)
        overrun = len(data) // SAMPLE_WIDTH - (limit - start)
        if overrun > tolerance:
            raise ValueError(_overrun_message(cue, overrun, sample_rate, limit == total))
        if overrun > 0:
            data = data[: (limit - start) * SAMPLE_WIDTH]
        placements.append(_Placement(start, data))
    return placements


def _cue_pcm(
    cue: Cue,
    clips: Mapping[str, AudioSegment],
    beeps: Mapping[Role, AudioSegment],
    sample_rate: int,
    cache: dict[object, bytes],
) -> bytes:
    # Phrases and beeps repeat many times in a workout: convert each one only once.
    key: object = (cue.kind, cue.phrase if cue.kind is CueKind.SPEECH else cue.role)
    if key not in cache:
        cache[key] = mono_pcm(_cue_audio(cue, clips, beeps), sample_rate)
    return cache[key]


def _cue_audio(
    cue: Cue, clips: Mapping[str, AudioSegment], beeps: Mapping[Role, AudioSegment]
) -> AudioSegment:
    try:
        return clips[cue.phrase] if cue.kind is CueKind.SPEECH else beeps[cue.role]
    except KeyError:
        raise KeyError(f"no audio for {_describe(cue)}") from None


@functools.lru_cache(maxsize=4)
def _silence_block(sample_rate: int) -> bytes:
    return bytes(sample_rate * SILENCE_CHUNK_SECONDS * SAMPLE_WIDTH)


def _silence(samples: int, sample_rate: int) -> Iterator[bytes]:
    block = _silence_block(sample_rate)
    block_samples = len(block) // SAMPLE_WIDTH
    # Yielding the same block object again costs nothing; only the remainder is new.
    for _ in range(samples // block_samples):
        yield block
    rest = samples % block_samples
    if rest:
        yield block[: rest * SAMPLE_WIDTH]


def quiet_spans(timeline: Timeline, sample_rate: int) -> list[tuple[int, int]]:
    """The stretches [start, end) of samples where no cue plays, by the cues' times:
    digital silence in the voice (a parallel encode over a music bed cuts its segments
    there; the silence of the voice alone is taken from PlacedCues.quiet, exact)."""
    total = ms_to_samples(timeline.duration_ms, sample_rate)
    spans = []
    heard = 0
    for cue in sorted(timeline.cues, key=lambda c: c.start_ms):
        start = ms_to_samples(cue.start_ms, sample_rate)
        if start > heard:
            spans.append((heard, start))
        # A clip may overrun its end by up to the mixer's tolerance.
        end = ms_to_samples(cue.end_ms + OVERRUN_TOLERANCE_MS, sample_rate)
        heard = max(heard, end)
    if total > heard:
        spans.append((heard, total))
    return spans


def _describe(cue: Cue) -> str:
    what = f"speech cue {cue.phrase!r}" if cue.kind is CueKind.SPEECH else "beep"
    return f"{what} ({cue.role}) at {cue.start_ms} ms"


def _overrun_message(cue: Cue, overrun: int, sample_rate: int, at_end: bool) -> str:
    ms = overrun * 1000 / sample_rate
    what = "the end of the track" if at_end else "the start of the next cue"
    return f"{_describe(cue)} runs {ms:.1f} ms past {what} (cues must not overlap)"
