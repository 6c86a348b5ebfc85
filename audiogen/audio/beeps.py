"""Countdown ticks, start and end beeps.

The lengths live here, without any audio import, because the scheduler needs them to
keep speech clear of beeps; `render_beep` makes the sound itself.
"""

from __future__ import annotations

import array
import functools
import math
from typing import TYPE_CHECKING

from audiogen.core.pcm import SAMPLE_RATE, pcm_segment
from audiogen.plan.timeline import BEEP_MS, Role

if TYPE_CHECKING:
    from pydub import AudioSegment


# (frequency Hz, share of the beep) segments. The end beep steps down a fourth, so it
# reads as "done" even to someone who cannot compare pitches.
_TONES: dict[Role, tuple[tuple[float, float], ...]] = {
    Role.COUNTDOWN: ((880.0, 1.0),),
    Role.START: ((1320.0, 1.0),),
    Role.END: ((660.0, 0.5), (495.0, 0.5)),
}
BEEP_DBFS = -18.0
FADE_MS = 8


@functools.cache
def render_beep(role: Role) -> AudioSegment:
    """The beep for a countdown, start or end cue: mono 16-bit 44.1 kHz, BEEP_MS long."""
    if role not in BEEP_MS:
        raise ValueError(f"{role} is not a beep role")
    frames = round(BEEP_MS[role] * SAMPLE_RATE / 1000)
    # pydub's dBFS is relative to 32768.
    peak = 32768 * 10 ** (BEEP_DBFS / 20)
    samples = array.array("h", (round(peak * v) for v in _waveform(_TONES[role], frames)))
    return pcm_segment(samples.tobytes())


def _waveform(tones: tuple[tuple[float, float], ...], frames: int) -> list[float]:
    """Unit-peak sine, phase-continuous across tone changes, with raised-cosine fades.

    Both ends start and stop at zero and the phase never jumps, so nothing clicks.
    """
    phase, out, start = 0.0, [], 0
    for k, (frequency, share) in enumerate(tones):
        end = frames if k == len(tones) - 1 else start + round(share * frames)
        step = 2 * math.pi * frequency / SAMPLE_RATE
        for i in range(start, end):
            out.append(math.sin(phase) * _fade(i, frames))
            phase += step
        start = end
    return out


def _fade(i: int, frames: int) -> float:
    fade = SAMPLE_RATE * FADE_MS // 1000
    edge = min(i, frames - 1 - i)
    return 1.0 if edge >= fade else 0.5 - 0.5 * math.cos(math.pi * edge / fade)
