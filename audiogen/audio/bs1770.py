"""ITU-R BS.1770 loudness and true peak, in process, from the pieces of a track.

A track here is cues placed over digital silence (and, with music, a bed whose gain
follows an envelope). Its integrated loudness depends only on the K-weighted energy in
each 400 ms gating block, and a block is a sum of four 100 ms sub-blocks. K-weighting
is linear and time-invariant, so the K-weighted track is the sum of its K-weighted
cues: each distinct sound is filtered once and its energy added into the sub-blocks
where it plays. Nothing the length of the track is ever rendered, and the result is
what ffmpeg's `ebur128` measures on the whole mix (its gating blocks start every
100 ms from the first sample, as these sub-blocks do; see tests/audio/test_bs1770.py).

The K-weighting (a high shelf and a high-pass, as in libebur128 and ffmpeg) is applied
as a finite impulse response long enough that what it leaves out is below -200 dB.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]

SUB_BLOCK_MS = 100
BLOCK_SUB_BLOCKS = 4  # 400 ms gating blocks on a 100 ms grid
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
_IR_SAMPLES = 8192
_LOUDNESS_OFFSET = -0.691
# True peak: 8x oversampling around the loudest samples with a long windowed sinc. An
# inter-sample peak is at most about 3 dB above the samples around it, so only samples
# within that much of the sample peak can hold the true peak.
_OVERSAMPLE = 8
_SINC_HALF_WIDTH = 24
_CANDIDATE_DB = 3.5
_KAISER_BETA = 9.0


@functools.cache
def k_weighting_ir(rate: int) -> Floats:
    """The impulse response of the BS.1770 K-weighting filter at `rate`."""
    impulse = np.zeros(_IR_SAMPLES)
    impulse[0] = 1.0
    shelf, highpass = k_filters(rate)
    return _biquad(_biquad(impulse, *shelf), *highpass)


Coefficients = tuple[tuple[float, float, float], tuple[float, float, float]]


def k_filters(rate: int) -> tuple[Coefficients, Coefficients]:
    """(b, a) of the shelf and of the high-pass, designed for `rate` as libebur128 does."""
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh, vb = 10 ** (gain_db / 20), 10 ** (gain_db / 20 * 0.4996667741545416)
    a0 = 1 + k / q + k * k
    shelf_b = (
        (vh + vb * k / q + k * k) / a0,
        2 * (k * k - vh) / a0,
        (vh - vb * k / q + k * k) / a0,
    )
    shelf_a = (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    high_a = (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)
    return (shelf_b, shelf_a), ((1.0, -2.0, 1.0), high_a)


def _biquad(signal: Floats, b: tuple[float, float, float], a: tuple[float, float, float]) -> Floats:
    # Only ever run on the 8192-sample impulse: a plain loop is fast enough there.
    out = np.empty_like(signal)
    x1 = x2 = y1 = y2 = 0.0
    for n, x in enumerate(signal.tolist()):
        y = b[0] * x + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2
        out[n] = y
        x2, x1, y2, y1 = x1, x, y1, y
    return out


def k_weighted_power(samples: npt.NDArray[np.float64], rate: int) -> Floats:
    """The squared K-weighted signal of `samples` (full scale 1.0), with the filter's
    ringing after the end: len(samples) + 8191 values."""
    ir = k_weighting_ir(rate)
    size = len(samples) + len(ir) - 1
    fft = 1 << max(1, (size - 1).bit_length())
    filtered = np.fft.irfft(np.fft.rfft(samples, fft) * np.fft.rfft(ir, fft), fft)[:size]
    return np.square(filtered)


@dataclass(frozen=True)
class Placed:
    """Where one sound's K-weighted energy lands: sub-block indices and energies."""

    index: npt.NDArray[np.int64]
    energy: Floats


def place(power: Floats, start: int, sub_block: int) -> Placed:
    """The energy of `power` (a squared K-weighted sound) played from sample `start`,
    summed into the sub-blocks of `sub_block` samples it touches."""
    first = start // sub_block
    edges = np.arange(first * sub_block, start + len(power), sub_block) - start
    edges[0] = 0
    return Placed(np.arange(first, first + len(edges)), np.add.reduceat(power, edges))


def sum_placed(placed: Iterable[tuple[Placed, float]], count: int) -> Floats:
    """Sub-block energies of sounds placed with linear power gains, `count` sub-blocks."""
    pairs = list(placed)
    if not pairs:
        return np.zeros(count)
    index = np.concatenate([p.index for p, _ in pairs])
    energy = np.concatenate([p.energy * gain for p, gain in pairs])
    keep = index < count  # ringing past the end of the track is not heard
    summed = np.bincount(index[keep], weights=energy[keep], minlength=count)
    return summed.astype(np.float64)


def integrated_lufs(sub_blocks: Floats, sub_block: int) -> float:
    """Gated integrated loudness (LUFS) from per-sub-block energies summed over channels;
    -inf when no block passes the absolute gate."""
    window = BLOCK_SUB_BLOCKS * sub_block
    padded = np.concatenate([np.zeros(BLOCK_SUB_BLOCKS - 1), sub_blocks])
    blocks = np.convolve(padded, np.ones(BLOCK_SUB_BLOCKS), mode="valid") / window
    with np.errstate(divide="ignore"):
        loudness = _LOUDNESS_OFFSET + 10 * np.log10(blocks)
    gated = blocks[loudness > ABSOLUTE_GATE_LUFS]
    if not len(gated):
        return -math.inf
    relative = _LOUDNESS_OFFSET + 10 * math.log10(float(gated.mean())) + RELATIVE_GATE_LU
    kept = blocks[loudness > relative]
    return _LOUDNESS_OFFSET + 10 * math.log10(float(kept.mean()))


def true_peak_db(samples: npt.NDArray[np.float64]) -> float:
    """The true peak (dBTP, full scale 1.0) of a band-limited signal: the largest value
    between its samples, found by 8x sinc interpolation around its loudest samples.

    Between two samples the signal peaks next to the larger of them, so only the local
    maxima of |x| within `_CANDIDATE_DB` of the sample peak are looked around.
    """
    if not len(samples):
        return -math.inf
    magnitude = np.abs(samples)
    sample_peak = float(magnitude.max())
    if sample_peak == 0:
        return -math.inf
    padded = np.concatenate([[0.0], magnitude, [0.0]])
    crest = (padded[1:-1] >= padded[:-2]) & (padded[1:-1] >= padded[2:])
    loud = magnitude >= sample_peak * 10 ** (-_CANDIDATE_DB / 20)
    candidates = np.flatnonzero(crest & loud)
    width = _SINC_HALF_WIDTH
    padded = np.concatenate([np.zeros(width), samples, np.zeros(width + 1)])
    # Each candidate's neighbourhood [i - width, i + width] and the phases between
    # sample i - 1 and i + 1.
    offsets = np.arange(-width, width + 1)
    windows = padded[candidates[:, None] + width + offsets[None, :]]
    peak = max(sample_peak, float(np.abs(windows @ _interpolator()).max()))
    return 20 * math.log10(peak)


@functools.cache
def _interpolator() -> Floats:
    """Windowed-sinc weights: kernel[k, p] weighs sample offset k (-width..width) for
    the point p/8 of a sample from the candidate (-1..1)."""
    offsets = np.arange(-_SINC_HALF_WIDTH, _SINC_HALF_WIDTH + 1)
    phases = np.arange(-_OVERSAMPLE, _OVERSAMPLE + 1) / _OVERSAMPLE
    distance = phases[None, :] - offsets[:, None]
    # A Kaiser window over the kernel's reach (beta 9: side lobes near -90 dB).
    reach = np.clip(distance / (_SINC_HALF_WIDTH + 1), -1.0, 1.0)
    taper = np.i0(_KAISER_BETA * np.sqrt(1 - reach**2)) / np.i0(_KAISER_BETA)
    return np.asarray(np.sinc(distance) * taper, dtype=np.float64)
