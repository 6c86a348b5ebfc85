"""pydub, imported once and quietly, and raw PCM as pydub segments."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydub import AudioSegment

SAMPLE_RATE = 44100
SAMPLE_WIDTH = 2


def load_pydub() -> type[AudioSegment]:
    """Import pydub's AudioSegment without its import-time warnings.

    pydub warns when ffmpeg is not on PATH (audiogen points it at imageio-ffmpeg
    elsewhere, and speech needs no ffmpeg) and Python 3.11+ warns about its audioop.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Couldn't find ff", category=RuntimeWarning)
        warnings.filterwarnings("ignore", message=".*audioop", category=DeprecationWarning)
        from pydub import AudioSegment

    segment_class: type[AudioSegment] = AudioSegment
    return segment_class


def pcm_segment(samples: bytes, frame_rate: int = SAMPLE_RATE) -> AudioSegment:
    """Mono 16-bit PCM (native byte order, as pydub expects) as an AudioSegment."""
    segment_class = load_pydub()
    return segment_class(data=samples, sample_width=SAMPLE_WIDTH, frame_rate=frame_rate, channels=1)


def mono_pcm(segment: AudioSegment, sample_rate: int) -> bytes:
    """The segment's samples as mono s16le at `sample_rate`, converting if needed."""
    if segment.channels != 1:
        segment = segment.set_channels(1)
    if segment.sample_width != SAMPLE_WIDTH:
        segment = segment.set_sample_width(SAMPLE_WIDTH)
    if segment.frame_rate != sample_rate:
        segment = segment.set_frame_rate(sample_rate)
    return bytes(segment.raw_data)


def ms_to_samples(ms: int, sample_rate: int) -> int:
    """The sample a time falls on, from the absolute time so errors never accumulate."""
    return round(ms * sample_rate / 1000)
