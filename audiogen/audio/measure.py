"""Measuring loudness with ffmpeg's `ebur128`: a file, a PCM stream, or a voice mix
from a condensed stream that holds every cue and only as much silence as the gate sees.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from audiogen.audio.mixer import render_pcm
from audiogen.core import ffmpeg as _ffmpeg
from audiogen.core.pcm import SAMPLE_RATE
from audiogen.errors import EncoderError
from audiogen.plan.timeline import CueKind, Role, Timeline

if TYPE_CHECKING:
    from pydub import AudioSegment


# ffmpeg ebur128 gates 400 ms blocks on a 100 ms grid; blocks of digital silence fall
# below its -70 LUFS absolute gate and never count.
BLOCK_MS = 400


HOP_MS = 100


_SILENCE_LUFS = -70.0


@dataclass(frozen=True)
class Measurement:
    integrated: float  # LUFS; -inf for silence
    true_peak: float | None = None  # dBTP, when asked for


def measure_mix(
    timeline: Timeline,
    clips: Mapping[str, AudioSegment],
    beeps: Mapping[Role, AudioSegment],
    *,
    sample_rate: int = SAMPLE_RATE,
) -> float:
    """Integrated loudness (LUFS) of the mono mix of `timeline`, from its condensed form."""
    short = condensed_timeline(timeline)
    chunks = render_pcm(short, clips, beeps, sample_rate=sample_rate)
    return measure_pcm(chunks, sample_rate=sample_rate, channels=1).integrated


def condensed_timeline(timeline: Timeline) -> Timeline:
    """The cues with every silence longer than 800 ms shortened, in whole 100 ms steps,
    to between 800 and 900 ms (the lead-in to 400-500 ms, the tail to 400 ms).

    Each cue keeps the 400 ms before and after it, the reach of any gating block that
    overlaps it, so the integrated loudness is unchanged (see the module docstring).
    """
    cues = sorted(timeline.cues, key=lambda c: c.start_ms)
    shifted = []
    cut = 0
    heard_until = -BLOCK_MS  # the lead-in needs only the 400 ms before the first cue
    for cue in cues:
        spare = cue.start_ms - heard_until - 2 * BLOCK_MS
        if spare > 0:
            cut += spare // HOP_MS * HOP_MS
        shifted.append(replace(cue, start_ms=cue.start_ms - cut, end_ms=cue.end_ms - cut))
        heard_until = max(heard_until, cue.end_ms)
    end = max(0, min(timeline.duration_ms, heard_until + BLOCK_MS) - cut)
    return Timeline(timeline.title, end, (), tuple(shifted))


def measure_pcm(
    chunks: Iterable[bytes],
    *,
    sample_rate: int = SAMPLE_RATE,
    channels: int = 1,
    true_peak: bool = False,
) -> Measurement:
    """Integrated loudness (and true peak) of s16le PCM, by ffmpeg's ebur128."""
    command = [
        *_ffmpeg.base_command(),
        "-f", "s16le", "-ar", str(sample_rate), "-ac", str(channels), "-i", "pipe:0",
        "-af", _ebur128(true_peak), "-f", "null", "-",
    ]  # fmt: skip
    return parse_ebur128(_ffmpeg.run_fed(command, chunks, what="measure loudness"))


def measure_file(path: Path | str, *, true_peak: bool = True) -> Measurement:
    """Integrated loudness and true peak of an audio file: what a listener's player gets."""
    command = [
        *_ffmpeg.base_command(), "-i", _ffmpeg.ffmpeg_path_arg(Path(path)),
        "-af", _ebur128(true_peak), "-f", "null", "-",
    ]  # fmt: skip
    return parse_ebur128(_ffmpeg.run_fed(command, [], what=f"measure {path}"))


def _ebur128(true_peak: bool) -> str:
    # framelog=verbose keeps the per-100 ms lines out of the log; the summary stays.
    return "ebur128=framelog=verbose" + (":peak=true" if true_peak else "")


_INTEGRATED = re.compile(r"^\s*I:\s+(\S+) LUFS", re.MULTILINE)


_PEAK = re.compile(r"^\s*Peak:\s+(\S+) dBFS", re.MULTILINE)


def parse_ebur128(log: str) -> Measurement:
    """The summary ffmpeg's ebur128 filter prints when it ends."""
    integrated = _INTEGRATED.findall(log)
    if not integrated:
        raise EncoderError("ffmpeg printed no loudness summary:\n" + _ffmpeg.tail_lines(log))
    value = float(integrated[-1])
    if math.isnan(value) or value <= _SILENCE_LUFS:
        value = -math.inf
    peaks = _PEAK.findall(log)
    return Measurement(value, float(peaks[-1]) if peaks else None)


def voice_cues(timeline: Timeline) -> list[tuple[int, int]]:
    """(start, end) ms of every speech cue, in time order: where a music bed ducks."""
    return sorted((c.start_ms, c.end_ms) for c in timeline.cues if c.kind is CueKind.SPEECH)
