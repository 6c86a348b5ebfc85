"""In-process BS.1770 against ffmpeg's ebur128 on the same samples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from audiogen.audio.bs1770 import (
    integrated_lufs,
    k_weighted_power,
    place,
    sum_placed,
    true_peak_db,
)
from audiogen.audio.measure import measure_pcm
from audiogen.audio.music import Envelope
from audiogen.audio.music_loudness import envelope_gain

RATE = 44100
SUB = 4410


def bursts(seed: int, seconds: int = 40) -> np.ndarray:
    """Noise bursts of many lengths and levels over digital silence, as 16-bit values."""
    rng = np.random.default_rng(seed)
    x = np.zeros(RATE * seconds)
    for _ in range(30):
        length = int(rng.integers(2000, 60000))
        start = int(rng.integers(0, len(x) - length))
        x[start : start + length] += rng.normal(0, rng.uniform(0.01, 0.2), length) * np.hanning(
            length
        )
    return np.round(np.clip(x, -1, 1) * 32767).astype("<i2")


def measured_by_ffmpeg(pcm: np.ndarray) -> float:
    return measure_pcm([pcm.tobytes()]).integrated


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_integrated_loudness_matches_ffmpeg(seed: int) -> None:
    pcm = bursts(seed)
    power = k_weighted_power(pcm / 32768, RATE)
    energy = sum_placed([(place(power, 0, SUB), 1.0)], -(-len(pcm) // SUB))
    # ffmpeg prints one decimal: agreement to its rounding.
    assert integrated_lufs(energy, SUB) == pytest.approx(measured_by_ffmpeg(pcm), abs=0.051)


def test_sounds_placed_anywhere_sum_to_the_rendered_track() -> None:
    """Placing each sound's energy at an arbitrary sample equals measuring the render."""
    rng = np.random.default_rng(7)
    sounds = [np.round(rng.normal(0, 3000, int(n))).astype("<i2") for n in (9000, 23456, 777)]
    track = np.zeros(RATE * 30, dtype="<i2")
    placed = []
    at = 1234
    for k in range(18):
        sound = sounds[k % 3]
        track[at : at + len(sound)] = sound
        power = k_weighted_power(sound / 32768, RATE)
        placed.append((place(power, at, SUB), 1.0))
        at += len(sound) + int(rng.integers(100, 40000))
    energy = sum_placed(placed, -(-len(track) // SUB))
    whole = k_weighted_power(track / 32768, RATE)
    dense = sum_placed([(place(whole, 0, SUB), 1.0)], len(energy))
    assert np.allclose(energy, dense, rtol=1e-6, atol=1e-9)


def test_silence_has_no_loudness() -> None:
    assert math.isinf(integrated_lufs(np.zeros(100), SUB))


def test_true_peak_finds_peaks_between_samples() -> None:
    # A sine at a quarter of the rate, sampled 45 degrees off its crests: every sample
    # is 3 dB under the true peak.
    n = np.arange(RATE)
    samples = 0.5 * np.sin(np.pi / 2 * n + np.pi / 4) * np.hanning(RATE) ** 0.01
    assert 20 * math.log10(np.abs(samples).max()) == pytest.approx(-9.03, abs=0.05)
    assert true_peak_db(samples) == pytest.approx(-6.02, abs=0.1)


def test_true_peak_agrees_with_ffmpeg_on_bursts() -> None:
    pcm = bursts(4, seconds=10)
    ffmpeg = measure_pcm([pcm.tobytes()], true_peak=True).true_peak
    assert ffmpeg is not None
    # ffmpeg oversamples 4x with a short filter; 8x with a long one finds as much or a
    # little more, never less.
    assert ffmpeg - 0.06 <= true_peak_db(pcm / 32768) <= ffmpeg + 0.3


def test_the_vectorized_envelope_is_the_envelope() -> None:
    envelope = Envelope.build(
        RATE * 60, [(5000, 7000), (7500, 9000), (30000, 31000)], level_db=-20, duck_db=-12
    )
    points = np.random.default_rng(3).integers(0, RATE * 60, 5000)
    expected = [envelope.gain(int(n)) for n in points]
    assert np.allclose(envelope_gain(envelope, points), expected, rtol=1e-9)
