"""Free time on the track: which spans are taken, and where a sound still fits.

Pure; the scheduler keeps one `Busy` per track and asks it where each cue can go.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from audiogen.plan.timeline import (
    Cue,
    CueKind,
)

SPEECH_GAP_MS = 250  # silence between two spoken cues, so each is heard on its own


BEEP_GUARD_MS = 150  # silence between speech and a beep, so neither masks the other


LATEST_STEP_MS = 100


class Busy:
    """Disjoint, sorted spans of time already taken (padded with their guard)."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def copy(self) -> Busy:
        twin = Busy()
        twin._starts, twin._ends = list(self._starts), list(self._ends)
        return twin

    def add_cue(self, cue: Cue) -> None:
        pad = SPEECH_GAP_MS if cue.kind is CueKind.SPEECH else BEEP_GUARD_MS
        self.add(cue.start_ms - pad, cue.end_ms + pad)

    def add(self, start: int, end: int) -> None:
        lo = bisect.bisect_left(self._ends, start)
        hi = bisect.bisect_right(self._starts, end)
        if lo < hi:
            start = min(start, self._starts[lo])
            end = max(end, self._ends[hi - 1])
        self._starts[lo:hi] = [start]
        self._ends[lo:hi] = [end]

    def is_free(self, start: int, end: int) -> bool:
        lo = bisect.bisect_right(self._ends, start)
        return lo == len(self._starts) or self._starts[lo] >= end

    def earliest(self, lo: int, hi: int, length: int) -> int | None:
        """The earliest start at or after `lo` for `length` ms of sound ending by `hi`."""
        t = lo
        index = bisect.bisect_right(self._ends, t)
        while index < len(self._starts) and self._starts[index] < t + length:
            t = max(t, self._ends[index])
            index += 1
        return t if t + length <= hi else None

    def fit_sequence_latest(self, lo: int, hi: int, lengths: Sequence[int]) -> list[int] | None:
        """Like `fit_sequence`, but as close to `hi` as the sounds fit."""
        total = sum(lengths) + SPEECH_GAP_MS * (len(lengths) - 1)
        for start in range(hi - total, lo - 1, -LATEST_STEP_MS):
            starts = self.fit_sequence(start, hi, lengths)
            if starts is not None:
                return starts
        return None

    def fit_sequence(self, lo: int, hi: int, lengths: Sequence[int]) -> list[int] | None:
        """Starts for sounds played one after another in [lo, hi), or None if they don't fit."""
        trial = self.copy()
        starts: list[int] = []
        t = lo
        for length in lengths:
            start = trial.earliest(t, hi, length)
            if start is None:
                return None
            starts.append(start)
            trial.add(start - SPEECH_GAP_MS, start + length + SPEECH_GAP_MS)
            t = start + length
        return starts
