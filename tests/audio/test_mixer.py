"""The mixer: every cue lands on its exact sample and the track has the exact length."""

from __future__ import annotations

import array
import itertools
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audiogen.audio.mixer import place_cues, render_pcm, render_segment
from audiogen.core.ffmpeg import configure_pydub
from audiogen.core.pcm import ms_to_samples
from audiogen.plan.timeline import Cue, CueKind, Interval, IntervalKind, Role, Timeline

configure_pydub()

from pydub import AudioSegment  # noqa: E402  (after configure_pydub: no ffmpeg warning)

RATE = 44100
SPEECH_LEVEL = 1000
BEEP_LEVEL = 2000


def level_clip(level: int, samples: int, rate: int = RATE) -> AudioSegment:
    """A constant (DC) clip: unlike a sine, its very first sample is non-zero."""
    data = array.array("h", [level] * samples).tobytes()
    return AudioSegment(data=data, sample_width=2, frame_rate=rate, channels=1)


def timeline(duration_ms: int, cues: Sequence[Cue] = ()) -> Timeline:
    interval = Interval(0, duration_ms, IntervalKind.WORK, exercise="Squats")
    return Timeline("Test", duration_ms, (interval,), tuple(cues))


def say(start_ms: int, text: str, length_ms: int = 100) -> Cue:
    return Cue(start_ms, start_ms + length_ms, CueKind.SPEECH, Role.NAME, text=text)


def beep(start_ms: int, role: Role = Role.START, length_ms: int = 100) -> Cue:
    return Cue(start_ms, start_ms + length_ms, CueKind.BEEP, role)


def samples_of(chunks: Sequence[bytes] | bytes) -> array.array[int]:
    data = chunks if isinstance(chunks, bytes) else b"".join(chunks)
    return array.array("h", data)


def first_nonzero(samples: array.array[int], start: int = 0) -> int:
    return next(i for i in range(start, len(samples)) if samples[i])


BEEPS = {Role.START: level_clip(BEEP_LEVEL, 441), Role.END: level_clip(BEEP_LEVEL + 1, 882)}


@pytest.mark.parametrize(
    ("duration_ms", "rate", "expected"),
    [(10_001, 44100, 441_044), (10_001, 48000, 480_048), (3, 44100, 132), (0, 44100, 0)],
)
def test_total_length_is_exact(duration_ms: int, rate: int, expected: int) -> None:
    chunks = list(render_pcm(timeline(duration_ms), {}, {}, sample_rate=rate))
    assert sum(len(c) for c in chunks) == 2 * expected


def test_clip_lands_on_its_exact_sample() -> None:
    clips = {"Squats": level_clip(SPEECH_LEVEL, 500)}
    samples = samples_of(list(render_pcm(timeline(5000, [say(1234, "Squats")]), clips, {})))
    start = first_nonzero(samples)
    assert start == round(1234 * 44.1) == 54_419
    assert samples[start : start + 500] == array.array("h", [SPEECH_LEVEL] * 500)
    assert not any(samples[start + 500 :])


def test_speech_uses_clip_by_phrase_and_beeps_by_role() -> None:
    spoken = Cue(100, 200, CueKind.SPEECH, Role.NAME, text="Sit-ups", spoken="Sit ups")
    cues = [spoken, beep(300, Role.START), beep(600, Role.END)]
    clips = {"Sit ups": level_clip(SPEECH_LEVEL, 100)}
    samples = samples_of(list(render_pcm(timeline(1000, cues), clips, BEEPS)))
    assert samples[ms_to_samples(100, RATE)] == SPEECH_LEVEL
    assert samples[ms_to_samples(300, RATE)] == BEEP_LEVEL
    assert samples[ms_to_samples(600, RATE)] == BEEP_LEVEL + 1


def test_many_cues_do_not_drift() -> None:
    # 3001 ms apart: any accumulated rounding error would show by the 100th cue.
    starts = [i * 3001 + 7 for i in range(100)]
    cues = [beep(s) for s in starts]
    samples = samples_of(list(render_pcm(timeline(starts[-1] + 1000, cues), {}, BEEPS)))
    for start_ms in starts:
        sample = ms_to_samples(start_ms, RATE)
        assert samples[sample] == BEEP_LEVEL
        assert samples[sample - 1] == 0


def test_cues_may_come_unsorted() -> None:
    cues = [beep(500), say(100, "Squats")]
    clips = {"Squats": level_clip(SPEECH_LEVEL, 441)}
    samples = samples_of(list(render_pcm(timeline(1000, cues), clips, BEEPS)))
    assert first_nonzero(samples) == ms_to_samples(100, RATE)
    assert samples[ms_to_samples(500, RATE)] == BEEP_LEVEL


def test_overlapping_cues_raise() -> None:
    cues = [say(100, "Squats"), beep(150)]
    clips = {"Squats": level_clip(SPEECH_LEVEL, 4410)}  # 100 ms: runs 50 ms into the beep
    with pytest.raises(ValueError, match=r"runs 50\.0 ms past the start of the next cue"):
        render_pcm(timeline(1000, cues), clips, BEEPS)


def test_cues_at_the_same_time_raise() -> None:
    with pytest.raises(ValueError, match="next cue"):
        render_pcm(timeline(1000, [beep(100), beep(100, Role.END)]), {}, BEEPS)


def test_clip_past_the_end_raises() -> None:
    with pytest.raises(ValueError, match="end of the track"):
        render_pcm(timeline(1000, [beep(995)]), {}, BEEPS)


def test_cue_outside_the_track_raises() -> None:
    with pytest.raises(ValueError, match="outside the track"):
        render_pcm(timeline(1000, [beep(2000)]), {}, BEEPS)


def test_rounding_overrun_is_trimmed() -> None:
    # A clip 10 samples longer than the gap: ms rounding, not a scheduling bug.
    gap = ms_to_samples(200, RATE) - ms_to_samples(100, RATE)
    clips = {"Squats": level_clip(SPEECH_LEVEL, gap + 10)}
    samples = samples_of(
        list(render_pcm(timeline(300, [say(100, "Squats"), beep(200)]), clips, BEEPS))
    )
    assert len(samples) == ms_to_samples(300, RATE)
    assert samples[ms_to_samples(200, RATE) - 1] == SPEECH_LEVEL
    assert samples[ms_to_samples(200, RATE)] == BEEP_LEVEL


def test_rounding_overrun_at_the_end_is_trimmed() -> None:
    clips = {"Squats": level_clip(SPEECH_LEVEL, 4410 + 5)}
    chunks = list(render_pcm(timeline(200, [say(100, "Squats")]), clips, {}))
    assert sum(len(c) for c in chunks) == 2 * ms_to_samples(200, RATE)


def test_missing_clip_raises_key_error() -> None:
    with pytest.raises(KeyError, match="Lunges"):
        render_pcm(timeline(1000, [say(0, "Lunges")]), {}, {})


def test_other_formats_are_converted() -> None:
    # espeak writes 22050 Hz: the mixer resamples rather than playing it at double speed.
    clips = {"Squats": level_clip(SPEECH_LEVEL, 2205, rate=22050).set_channels(2)}
    samples = samples_of(list(render_pcm(timeline(1000, [say(0, "Squats")]), clips, {})))
    nonzero = [i for i, s in enumerate(samples) if s]
    assert abs(len(nonzero) - 4410) <= 2


def test_chunks_stay_small() -> None:
    # 10 minutes of mostly silence: no chunk may hold more than a second of it.
    cues = [beep(s) for s in range(0, 600_000, 45_000)]
    sizes = [len(c) for c in render_pcm(timeline(600_000, cues), {}, BEEPS)]
    assert max(sizes) <= 2 * RATE
    assert sum(sizes) == 2 * ms_to_samples(600_000, RATE)


def test_render_segment() -> None:
    segment = render_segment(timeline(10_001, [beep(10)]), {}, BEEPS)
    assert (segment.frame_rate, segment.channels, segment.sample_width) == (RATE, 1, 2)
    assert segment.frame_count() == 441_044


@st.composite
def spaced_cues(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]]]:
    """A duration and non-overlapping (start_ms, clip samples at 8 kHz) pairs."""
    gaps = draw(st.lists(st.integers(1, 400), max_size=12))
    starts, t = [], 0
    for gap in gaps:
        t += gap
        starts.append(t)
    duration = t + draw(st.integers(1, 400))
    cues = []
    for start, end in itertools.pairwise([*starts, duration]):
        room = ms_to_samples(end, 8000) - ms_to_samples(start, 8000)
        cues.append((start, draw(st.integers(1, max(1, room)))))
    return duration, cues


@settings(max_examples=60, deadline=None)
@given(spaced_cues())
def test_any_spaced_cues_land_exactly(case: tuple[int, list[tuple[int, int]]]) -> None:
    duration, placed = case
    clips = {f"c{i}": level_clip(i + 1, n, rate=8000) for i, (_, n) in enumerate(placed)}
    cues = [say(start, f"c{i}") for i, (start, _) in enumerate(placed)]
    samples = samples_of(list(render_pcm(timeline(duration, cues), clips, {}, sample_rate=8000)))
    assert len(samples) == ms_to_samples(duration, 8000)
    for i, (start, n) in enumerate(placed):
        at = ms_to_samples(start, 8000)
        assert samples[at : at + n] == array.array("h", [i + 1] * n)
    assert sum(1 for s in samples if s) == sum(n for _, n in placed)


@settings(max_examples=60, deadline=None)
@given(spaced_cues(), st.data())
def test_any_window_is_that_slice_of_the_track(
    case: tuple[int, list[tuple[int, int]]], data: st.DataObject
) -> None:
    """A stretch of the track rendered on its own holds the very samples of the whole
    track there, wherever it starts and ends (in a cue, flush with one, in silence)."""
    duration, placed = case
    clips = {f"c{i}": level_clip(i + 1, n, rate=8000) for i, (_, n) in enumerate(placed)}
    cues = [say(start, f"c{i}") for i, (start, _) in enumerate(placed)]
    track = place_cues(timeline(duration, cues), clips, {}, sample_rate=8000)
    whole = b"".join(track.pcm())
    start = data.draw(st.integers(0, track.total))
    end = data.draw(st.integers(start, track.total))
    assert b"".join(track.pcm(start, end)) == whole[2 * start : 2 * end]


@settings(max_examples=60, deadline=None)
@given(spaced_cues())
def test_quiet_stretches_are_exactly_the_silent_samples(
    case: tuple[int, list[tuple[int, int]]],
) -> None:
    duration, placed = case
    clips = {f"c{i}": level_clip(i + 1, n, rate=8000) for i, (_, n) in enumerate(placed)}
    cues = [say(start, f"c{i}") for i, (start, _) in enumerate(placed)]
    track = place_cues(timeline(duration, cues), clips, {}, sample_rate=8000)
    samples = samples_of(list(track.pcm()))
    silent = [False] * len(samples)
    for start, end in track.quiet():
        silent[start:end] = [True] * (end - start)
    assert silent == [s == 0 for s in samples]  # the clips here have no zero samples


def test_a_window_of_a_long_track_holds_only_that_window() -> None:
    """The last second of an hour: its own chunks, none of the silence before them."""
    cues = [beep(s) for s in range(0, 3_600_000, 1000)]
    track = place_cues(timeline(3_600_000, cues), {}, BEEPS)
    start = track.total - RATE
    chunks = list(track.pcm(start))
    assert sum(len(c) for c in chunks) == 2 * RATE
    assert len(chunks) <= 3  # a beep, the silence after it (no silence before a window)
