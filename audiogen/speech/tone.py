"""A stand-in speaker for fast tests of scheduling and mixing: no engine at all."""

from __future__ import annotations

import array
import math
from typing import TYPE_CHECKING

from audiogen.core.pcm import SAMPLE_RATE, pcm_segment
from audiogen.speech.synth import check_text

if TYPE_CHECKING:
    from pydub import AudioSegment


class ToneSynthesizer:
    """A stand-in for tests of scheduling and mixing: fast, deterministic, no engine.

    A soft 441 Hz tone, 60 ms per character and at least 300 ms.
    """

    MS_PER_CHAR = 60
    MIN_MS = 300
    FREQUENCY = 441  # 100 samples a period at 44.1 kHz: the tone is one period tiled.
    key = "tone|441Hz|60ms-per-char|min300ms|v1"

    def duration_ms(self, text: str) -> int:
        return max(self.MIN_MS, self.MS_PER_CHAR * len(check_text(text)))

    def synthesize(self, text: str) -> AudioSegment:
        frames = round(self.duration_ms(text) * SAMPLE_RATE / 1000)
        period = SAMPLE_RATE // self.FREQUENCY
        amplitude = 0.1 * 32767  # -20 dBFS
        cycle = [round(amplitude * math.sin(2 * math.pi * i / period)) for i in range(period)]
        data = array.array("h", cycle * (frames // period + 1))[:frames]
        fade = SAMPLE_RATE * 10 // 1000
        for i in range(fade):
            gain = i / fade
            data[i] = round(data[i] * gain)
            data[frames - 1 - i] = round(data[frames - 1 - i] * gain)
        return pcm_segment(data.tobytes())
