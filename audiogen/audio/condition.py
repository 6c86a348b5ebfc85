"""Speech conditioning: every distinct phrase once, through a phase rotator, gain and a
look-ahead limiter, resampled to the track's rate (step 1 of level.py's plan).

All of it runs in ffmpeg on the clips laid end to end, so a workout's hundred phrases
cost two short ffmpeg runs rather than a hundred, or a pass over the whole mix.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from audiogen.core import ffmpeg as _ffmpeg
from audiogen.core.pcm import SAMPLE_RATE, SAMPLE_WIDTH, mono_pcm, pcm_segment
from audiogen.errors import EncoderError

if TYPE_CHECKING:
    from pydub import AudioSegment


# The speech limiter's ceiling, in sample peak. Where it sits does not matter much: the
# gain after it is measured, and what bounds the final true peak is how loud the
# limited speech is for its peak (see `fit_gains`).
SPEECH_CEILING_DBFS = -3.0


# Limiter timing: a 5 ms look-ahead catches plosives; a 60 ms release is long enough
# not to distort voiced sounds (periods of 5-10 ms) and short enough not to pump.
LIMITER_ATTACK_MS = 5
LIMITER_RELEASE_MS = 60


# Before the limiter, a chain of all-pass filters spreads the sharp glottal pulses of
# synthetic speech over a few milliseconds: the same sound (phase is not heard on a
# mono voice) with peaks about 1.2 dB lower, so the limiter works that much less.
# A high-pass first: DC or rumble in a recording would only eat headroom. Then a low-pass:
# espeak speaks below 11 kHz, and what lies above (images from resampling its 22.05 kHz
# output) made LAME overshoot the limited peaks by up to 2 dB on some takes.
SPEECH_PREFILTER = (
    "highpass=f=60",
    "lowpass=f=9000",
    "lowpass=f=9000",
    *(f"allpass=f={hz}:t=q:w=0.5" for hz in (200, 350, 600, 1000, 1700)),
)


# Silence between the clips sent to the limiter: longer than its release, so one clip's
# limiting never reaches into the next.
_CONDITION_GAP_MS = 200
_CONDITION_RUNS = 2


def final_limiter(ceiling_dbfs: float = SPEECH_CEILING_DBFS) -> str:
    """An ffmpeg look-ahead limiter at `ceiling_dbfs`, without its make-up gain."""
    limit = 10 ** (ceiling_dbfs / 20)
    return (
        f"alimiter=limit={limit:.4f}:attack={LIMITER_ATTACK_MS}:release={LIMITER_RELEASE_MS}"
        # level=0: no automatic make-up gain; latency=1: output aligned with input.
        ":level=0:latency=1"
    )


def condition_speech(
    clips: Mapping[str, AudioSegment], gain_db: float, *, sample_rate: int = SAMPLE_RATE
) -> dict[str, AudioSegment]:
    """Every clip with `gain_db` of gain, limited, as mono 16-bit at `sample_rate`.

    The clips go end to end with silence between them, at their own rate, through two
    ffmpeg runs side by side, each on half of them: after the speech itself this is a
    cold build's longest step. The silence lets every filter and the limiter settle,
    so a clip comes out as if processed alone; always two runs, whatever the number of
    cores, so the samples are the same on every machine.
    """
    if not clips:
        return {}
    rate, prepared = _common_format(clips)
    chain = ",".join(
        [*SPEECH_PREFILTER, f"volume={gain_db:.3f}dB", final_limiter(), f"aresample={sample_rate}"]
    )
    with ThreadPoolExecutor(_CONDITION_RUNS) as pool:
        runs = pool.map(
            lambda part: _condition_run(part, rate, chain, sample_rate), _split(prepared)
        )
        return {text: clip for done in runs for text, clip in done.items()}


def _split(prepared: dict[str, bytes]) -> list[dict[str, bytes]]:
    """`prepared` in _CONDITION_RUNS parts of about equal length, in order."""
    total = sum(len(data) for data in prepared.values())
    parts: list[dict[str, bytes]] = [{} for _ in range(_CONDITION_RUNS)]
    position = 0
    for text, data in prepared.items():
        parts[min(_CONDITION_RUNS - 1, position * _CONDITION_RUNS // max(1, total))][text] = data
        position += len(data)
    return [part for part in parts if part]


def _condition_run(
    prepared: dict[str, bytes], rate: int, chain: str, sample_rate: int
) -> dict[str, AudioSegment]:
    """One ffmpeg run of `chain` over the clips, end to end with silence between."""
    gap = bytes(rate * _CONDITION_GAP_MS // 1000 * SAMPLE_WIDTH)
    offsets: dict[str, tuple[int, int]] = {}
    position = 0
    for text, data in prepared.items():
        offsets[text] = (position, len(data) // SAMPLE_WIDTH)
        position += len(data) // SAMPLE_WIDTH + len(gap) // SAMPLE_WIDTH
    out = _filter_pcm(gap.join(prepared.values()), rate, chain, sample_rate)
    ratio = sample_rate / rate
    result = {}
    for text, (start, frames) in offsets.items():
        first, count = round(start * ratio), round(frames * ratio)
        data = out[first * SAMPLE_WIDTH : (first + count) * SAMPLE_WIDTH]
        result[text] = pcm_segment(data.ljust(count * SAMPLE_WIDTH, b"\0"), sample_rate)
    return result


def _common_format(clips: Mapping[str, AudioSegment]) -> tuple[int, dict[str, bytes]]:
    """The clips as mono s16 bytes at one rate (the most common one; others converted)."""
    rates = [int(clip.frame_rate) for clip in clips.values()]
    rate = max(set(rates), key=rates.count)
    prepared = {text: mono_pcm(clip, rate) for text, clip in clips.items()}
    return rate, prepared


def _filter_pcm(data: bytes, rate: int, chain: str, out_rate: int) -> bytes:
    command = [
        *_ffmpeg.base_command(), "-loglevel", "error",
        "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0",
        "-af", chain, "-f", "s16le", "-ar", str(out_rate), "-ac", "1", "pipe:1",
    ]  # fmt: skip
    try:
        done = subprocess.run(command, input=data, capture_output=True, check=False)
    except OSError as exc:
        raise EncoderError(f"cannot run ffmpeg ({command[0]}): {exc.strerror or exc}") from exc
    if done.returncode != 0:
        log = _ffmpeg.tail_lines(done.stderr.decode(errors="replace"))
        raise EncoderError(f"ffmpeg failed to process the speech:\n{log}")
    return done.stdout
