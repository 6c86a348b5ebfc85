"""Raw speech as engines make it, and the trimming every engine's output gets."""

from __future__ import annotations

import array
from dataclasses import dataclass

from audiogen.core.pcm import SAMPLE_WIDTH

# Silence kept before and after the speech once the rest is trimmed.
PAD_MS = 20
# Samples quieter than this (about -50 dBFS) count as silence when trimming.
SILENCE_AMPLITUDE = 100


@dataclass(frozen=True)
class RawSpeech:
    """Mono signed 16-bit PCM in native byte order, at the engine's own rate."""

    samples: bytes
    sample_rate: int

    @property
    def duration_ms(self) -> float:
        return len(self.samples) / SAMPLE_WIDTH * 1000 / self.sample_rate

    def trimmed(self, pad_ms: int = PAD_MS) -> RawSpeech:
        return RawSpeech(trim_silence(self.samples, self.sample_rate, pad_ms), self.sample_rate)


def trim_silence(samples: bytes, frame_rate: int, pad_ms: int = PAD_MS) -> bytes:
    """Cut mono 16-bit `samples` to the audible part plus up to `pad_ms` each side."""
    data = array.array("h", samples)
    pad = frame_rate * pad_ms // 1000
    first = next((i for i, s in enumerate(data) if abs(s) > SILENCE_AMPLITUDE), None)
    if first is None:
        return bytes(2 * pad * SAMPLE_WIDTH)
    last = next(i for i in range(len(data) - 1, first - 1, -1) if abs(data[i]) > SILENCE_AMPLITUDE)
    return data[max(0, first - pad) : min(len(data), last + 1 + pad)].tobytes()
