"""The rendered beeps: exact lengths, level, no clicks, three distinct pitches."""

from __future__ import annotations

import array
import itertools

import pytest

from audiogen.audio.beeps import BEEP_MS, render_beep
from audiogen.plan.timeline import Role

BEEPS = [Role.COUNTDOWN, Role.START, Role.END]


def samples(role: Role) -> array.array[int]:
    return array.array("h", render_beep(role).raw_data)


def crossings_per_second(role: Role) -> float:
    data = samples(role)
    crossings = sum(1 for a, b in itertools.pairwise(data) if (a < 0) != (b < 0))
    return crossings / (len(data) / 44100)


@pytest.mark.parametrize("role", BEEPS)
def test_beep_format_and_exact_length(role: Role) -> None:
    beep = render_beep(role)
    assert (beep.frame_rate, beep.channels, beep.sample_width) == (44100, 1, 2)
    assert beep.frame_count() == round(BEEP_MS[role] * 44.1)
    assert len(beep) == BEEP_MS[role]


@pytest.mark.parametrize("role", BEEPS)
def test_beep_peaks_near_minus_18_dbfs(role: Role) -> None:
    assert render_beep(role).max_dBFS == pytest.approx(-18, abs=0.5)


@pytest.mark.parametrize("role", BEEPS)
def test_beep_fades_in_and_out(role: Role) -> None:
    data = samples(role)
    peak = max(abs(s) for s in data)
    for edge in (data[:10], data[-10:]):
        assert max(abs(s) for s in edge) < 0.02 * peak
    assert abs(data[0]) <= 1 and abs(data[-1]) <= 1
    # Full level is reached within 10 ms of each end.
    assert max(abs(s) for s in data[441:882]) > 0.95 * peak
    assert max(abs(s) for s in data[-882:-441]) > 0.95 * peak


def test_beeps_differ_in_pitch() -> None:
    tick, start, end = (crossings_per_second(r) for r in BEEPS)
    assert start > 1.3 * tick  # start is higher than a countdown tick
    assert tick > 1.3 * end  # end is lower
    assert tick == pytest.approx(2 * 880, rel=0.05)


def test_render_beep_is_cached() -> None:
    assert render_beep(Role.START) is render_beep(Role.START)


def test_speech_roles_have_no_beep() -> None:
    with pytest.raises(ValueError):
        render_beep(Role.NAME)
