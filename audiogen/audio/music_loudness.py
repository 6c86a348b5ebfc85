"""The loudness of voice over a music bed, worked out instead of measured on the mix.

The stereo mix is the voice (panned centre: the same power as mono) plus the bed, the
music with a gain envelope. Per 100 ms sub-block its K-weighted energy is the voice's
(from measure.py) plus the bed's: the music's energy there (measured while decoding,
music_decode.py) times the mean square of the envelope's gain over the sub-block. The
envelope moves slowly beside the K-weighting filter's memory (ramps of 250 ms and more
against a few ms), and voice and music are unrelated signals whose cross term averages
out over a gating block; both approximations are checked against ffmpeg's `ebur128`
on finished files (tests/audio/test_mix_loudness.py). `fit_bed` then works out the
voice gain and bed level that meet the loudness target, without a pass over the mix.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from audiogen.audio.bs1770 import Floats, integrated_lufs
from audiogen.audio.level import LoudnessTarget
from audiogen.audio.music import Envelope
from audiogen.audio.music_decode import SUB_BLOCK, Music

# Points per sub-block where the envelope's gain is sampled: every 12.5 ms, finer than
# any of its ramps moves by much.
_POINTS = 8
# Sub-blocks worked on at once: memory stays the same whatever the track's length.
_CHUNK = 4096
_BED_RANGE_DB = 15.0
_BED_STEP_DB = 0.5
# Near enough the target (the spec allows 1 LU): with any bed at all, even one far
# below the gate, the voice measures up to 0.3 LU under what it does alone, as the
# bed's blocks pass the absolute gate and lower the relative one.
_CLOSE_ENOUGH_LU = 0.4


def bed_energy(music: Music, envelope: Envelope) -> Floats:
    """The bed's K-weighted energy in each 100 ms sub-block of the track."""
    count = -(-envelope.total // SUB_BLOCK)
    parts = [
        _music_energy(music, np.arange(first, min(count, first + _CHUNK)))
        * _mean_square_gain(envelope, np.arange(first, min(count, first + _CHUNK)))
        for first in range(0, count, _CHUNK)
    ]
    return np.concatenate(parts) if parts else np.zeros(0)


@dataclass(frozen=True)
class BedFit:
    """How to mix the voice over the bed so the mix meets the loudness target."""

    voice_db: float  # gain on the voice (clips and beeps)
    bed_db: float  # the bed's level: gain on the decoded music
    asked_lufs: float  # the mix's loudness with the bed where it was asked for
    lufs: float  # the mix's loudness with these gains


def fit_bed(voice: Floats, bed: Floats, *, target: LoudnessTarget, level_db: float) -> BedFit:
    """The voice gain and bed level that bring the mix to `target.lufs`.

    `level_db` puts the bed where it was asked for, relative to the voice. If the mix is
    then too loud, voice and bed both come down by what is too much. If it is too quiet,
    the bed's blocks are what pull it down: between cues they pass the relative gate and
    lower the mean (the sparser the voice, the more). Lifting everything would lift the
    voice past its true-peak limit, so the bed comes down instead, in `_BED_STEP_DB`
    steps, until its blocks drop below the gate and the mix measures as the voice does.
    Loudness there is steady: the step below measures the same, so what the estimate
    leaves out cannot tip blocks back over the gate. Only if no level within
    `_BED_RANGE_DB` does that is everything lifted (and the encoder limits).
    """
    mixed = mix_lufs(voice, bed, level_db)
    if math.isinf(mixed):
        return BedFit(0.0, level_db, mixed, mixed)
    correction = target.lufs - mixed
    if correction <= 0:
        return BedFit(correction, level_db + correction, mixed, target.lufs)

    def close(level: float) -> bool:
        return abs(target.lufs - mix_lufs(voice, bed, level)) <= _CLOSE_ENOUGH_LU

    for step in np.arange(_BED_STEP_DB, _BED_RANGE_DB + _BED_STEP_DB / 2, _BED_STEP_DB):
        level = level_db - float(step)
        if close(level) and close(level - _BED_STEP_DB):
            return BedFit(0.0, level, mixed, mix_lufs(voice, bed, level))
    return BedFit(correction, level_db + correction, mixed, target.lufs)


def mix_lufs(voice: Floats, bed: Floats, bed_db: float = 0.0) -> float:
    """Integrated loudness of voice plus bed sub-block energies, the bed `bed_db` louder."""
    size = max(len(voice), len(bed))
    total = np.zeros(size)
    total[: len(voice)] += voice
    total[: len(bed)] += bed * 10 ** (bed_db / 10)
    return integrated_lufs(total, SUB_BLOCK)


def _music_energy(music: Music, sub_blocks: np.ndarray) -> Floats:
    """The music's energy in the given sub-blocks of the track, following the loop.

    A sub-block of the track seldom starts on one of the music's own after the first
    play-through: its energy is interpolated between the two it straddles.
    """
    position = _music_position(music, sub_blocks * SUB_BLOCK).astype(np.float64) / SUB_BLOCK
    energy = music.energy
    if not len(energy):
        return np.zeros(len(sub_blocks))
    below = np.minimum(np.floor(position).astype(np.int64), len(energy) - 1)
    above = np.minimum(below + 1, len(energy) - 1)
    weight = position - np.floor(position)
    mixed = energy[below] * (1 - weight) + energy[above] * weight
    return np.asarray(mixed, dtype=np.float64)


def _music_position(music: Music, track: np.ndarray) -> np.ndarray:
    """Which frame of the music file plays at each track frame."""
    period = music.frames - music.loop_start
    if period <= 0:
        return np.asarray(np.minimum(track, max(0, music.frames - 1)))
    looped = music.loop_start + (track - music.frames) % period
    return np.asarray(np.where(track < music.frames, track, looped))


def _mean_square_gain(envelope: Envelope, sub_blocks: np.ndarray) -> Floats:
    offsets = (np.arange(_POINTS) + 0.5) * SUB_BLOCK / _POINTS
    points = sub_blocks[:, None] * SUB_BLOCK + offsets[None, :]
    gain = envelope_gain(envelope, points.ravel()).reshape(points.shape)
    return np.asarray(np.mean(gain**2, axis=1), dtype=np.float64)


def envelope_gain(envelope: Envelope, n: np.ndarray) -> Floats:
    """`Envelope.gain` at many samples at once (the same raised-cosine shapes)."""
    depth = _duck_depth(envelope, n)
    db = envelope.level_db + envelope.duck_db * depth
    return np.asarray(10 ** (db / 20) * _fade(envelope, n), dtype=np.float64)


def _duck_depth(envelope: Envelope, n: np.ndarray) -> Floats:
    if not envelope.ducks:
        return np.zeros(len(n))
    starts = np.array([start for start, _ in envelope.ducks], dtype=np.float64)
    ends = np.array([end for _, end in envelope.ducks], dtype=np.float64)
    # The duck at or before each sample (its hold and release), and the next one (its
    # attack): as Envelope.duck_depth, the deeper of the two.
    index = np.searchsorted(starts, n, side="right") - 1
    before = np.clip(index, 0, len(starts) - 1)
    after = np.clip(index + 1, 0, len(starts) - 1)
    return np.maximum(
        _depth(n, starts[before], ends[before], envelope),
        _depth(n, starts[after], ends[after], envelope),
    )


def _depth(n: np.ndarray, start: Floats, end: Floats, envelope: Envelope) -> Floats:
    attack, release = max(1, envelope.attack), max(1, envelope.release)
    rising = _raised_cosine((n - (start - attack)) / attack)
    falling = _raised_cosine(1 - (n - end) / release)
    return np.select(
        [
            (start <= n) & (n < end),
            (start - attack <= n) & (n < start),
            (end <= n) & (n < end + release),
        ],
        [np.ones(len(n)), rising, falling],
        default=0.0,
    )


def _fade(envelope: Envelope, n: np.ndarray) -> Floats:
    fade_in = _raised_cosine(n / max(1, envelope.fade_in))
    fade_out = _raised_cosine((envelope.total - n) / max(1, envelope.fade_out))
    ending = np.where(n >= envelope.total - envelope.fade_out, fade_out, 1.0)
    return np.asarray(np.where(n < envelope.fade_in, fade_in, ending), dtype=np.float64)


def _raised_cosine(x: np.ndarray) -> Floats:
    return np.asarray(0.5 - 0.5 * np.cos(np.pi * np.clip(x, 0.0, 1.0)), dtype=np.float64)
