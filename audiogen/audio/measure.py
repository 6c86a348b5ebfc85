"""Measuring loudness: a file or a PCM stream with ffmpeg's `ebur128`; the mix of a
timeline in process, from its distinct sounds (bs1770.py), without rendering it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from audiogen.audio.bs1770 import (
    SUB_BLOCK_MS,
    Floats,
    Placed,
    integrated_lufs,
    k_weighted_power,
    place,
    sum_placed,
)
from audiogen.core import ffmpeg as _ffmpeg
from audiogen.core.pcm import SAMPLE_RATE, ms_to_samples
from audiogen.errors import EncoderError
from audiogen.plan.timeline import CueKind, Role, Timeline

if TYPE_CHECKING:
    from pydub import AudioSegment


# Below ffmpeg's absolute gate: what it reports for silence.
_SILENCE_LUFS = -70.0


@dataclass(frozen=True)
class Measurement:
    integrated: float  # LUFS; -inf for silence
    true_peak: float | None = None  # dBTP, when asked for


@dataclass(frozen=True)
class MixEnergy:
    """The K-weighted energy every cue of a timeline puts into each 100 ms sub-block,
    kept by sound so that each sound's gain can still change (see bs1770.py)."""

    sub_blocks: int
    sub_block: int  # samples
    speech: Mapping[str, tuple[Placed, ...]]
    beeps: tuple[Placed, ...]

    def sub_block_energy(
        self, speech_db: Mapping[str, float] | None = None, beep_db: float = 0.0
    ) -> Floats:
        """Energies with each phrase `speech_db[text]` (default 0) and every beep
        `beep_db` louder."""
        gains = speech_db or {}
        beep = 10 ** (beep_db / 10)
        placed = [(p, beep) for p in self.beeps]
        for text, where in self.speech.items():
            power = 10 ** (gains.get(text, 0.0) / 10)
            placed += [(p, power) for p in where]
        return sum_placed(placed, self.sub_blocks)

    def lufs(self, speech_db: Mapping[str, float] | None = None, beep_db: float = 0.0) -> float:
        """Integrated loudness of the mono mix, with gains as in `sub_block_energy`."""
        energy = self.sub_block_energy(speech_db, beep_db)
        return integrated_lufs(energy, self.sub_block)


def mix_energy(
    timeline: Timeline,
    clips: Mapping[str, AudioSegment],
    beeps: Mapping[Role, AudioSegment],
    *,
    sample_rate: int = SAMPLE_RATE,
) -> MixEnergy:
    """Each distinct sound K-weighted once, its energy placed wherever it plays."""
    sub_block = sample_rate * SUB_BLOCK_MS // 1000
    total = ms_to_samples(timeline.duration_ms, sample_rate)
    starts: dict[tuple[CueKind, str], list[int]] = {}
    for cue in timeline.cues:
        key = (cue.kind, cue.phrase if cue.kind is CueKind.SPEECH else str(cue.role))
        starts.setdefault(key, []).append(ms_to_samples(cue.start_ms, sample_rate))
    speech: dict[str, tuple[Placed, ...]] = {}
    beep_energy: list[Placed] = []
    for (kind, name), at in starts.items():
        sound = clips[name] if kind is CueKind.SPEECH else beeps[Role(name)]
        power = k_weighted_power(segment_samples(sound), sample_rate)
        placed = tuple(place(power, start, sub_block) for start in at)
        if kind is CueKind.SPEECH:
            speech[name] = placed
        else:
            beep_energy += placed
    return MixEnergy(-(-total // sub_block), sub_block, speech, tuple(beep_energy))


def measure_mix(
    timeline: Timeline,
    clips: Mapping[str, AudioSegment],
    beeps: Mapping[Role, AudioSegment],
    *,
    sample_rate: int = SAMPLE_RATE,
) -> float:
    """Integrated loudness (LUFS) of the mono mix of `timeline`, without rendering it."""
    return mix_energy(timeline, clips, beeps, sample_rate=sample_rate).lufs()


def segment_samples(segment: AudioSegment) -> Floats:
    """A mono 16-bit segment's samples as floats, full scale 1.0."""
    return np.frombuffer(segment.raw_data, dtype="<i2").astype(np.float64) / 32768


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
