"""A long MP3 encoded in segments side by side and joined: the clock stays exact."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from audiogen.audio.level import LoudnessTarget, normalize_voice
from audiogen.audio.mixer import quiet_spans, render_pcm
from audiogen.core.ffmpeg import decode_to_pcm, probe_mp3
from audiogen.output.encoder import OutputSpec, encode_mp3
from audiogen.output.mp3join import SAMPLES_PER_FRAME
from audiogen.output.segments import (
    PREROLL_FRAMES,
    SEARCH_FRAMES,
    SegmentPlan,
    encode_segments,
    plan_segments,
)
from audiogen.pipeline import render_timeline
from audiogen.plan.timeline import CueKind, Timeline
from audiogen.workout.loader import parse_workout

RATE = 44100
WORKOUT = """\
title: Seams
work: 20s
rest: 10s
rounds: 2
cues: {countdown: 3, tips: 1}
exercises:
  - name: Goblet Squat
    tips: [Keep your chest up]
  - Reverse Lunge
  - Plank Jack
  - name: Russian Twist
    tips: [Sit tall]
"""


@pytest.fixture(scope="module")
def track(tmp_path_factory: pytest.TempPathFactory) -> tuple[Timeline, bytes, Path, SegmentPlan]:
    """A real track encoded in four segments (more seams than the machine has cores)."""
    rendered = render_timeline(parse_workout(WORKOUT, source="seams.yaml"))
    target = LoudnessTarget.for_codec("mp3", 96)
    voice = normalize_voice(rendered.timeline, rendered.clips, target)
    pcm = b"".join(render_pcm(rendered.timeline, voice.clips, voice.beeps))
    total = len(pcm) // 2
    plan = plan_segments(total, quiet_spans(rendered.timeline, RATE), sample_rate=RATE, count=4)
    path = tmp_path_factory.mktemp("seams") / "joined.mp3"
    encode_segments(lambda a, b: [pcm[2 * a : 2 * b]], total, path, OutputSpec(), plan, [])
    return rendered.timeline, pcm, path, plan


def decoded(path: Path) -> np.ndarray:
    return np.frombuffer(decode_to_pcm(path), dtype="<i2").astype(np.float64)


def test_the_track_is_cut_in_quiet_stretches(
    track: tuple[Timeline, bytes, Path, SegmentPlan],
) -> None:
    _, pcm, _, plan = track
    assert len(plan.seams) == 3
    samples = np.frombuffer(pcm, dtype="<i2")
    for seam in plan.seams:
        # Everything either encoder saw around the seam is digital silence.
        start = (seam - PREROLL_FRAMES - 2) * SAMPLES_PER_FRAME
        end = (seam + SEARCH_FRAMES + 4) * SAMPLES_PER_FRAME
        assert not samples[start:end].any()


def test_joined_file_decodes_to_exactly_the_tracks_length(
    track: tuple[Timeline, bytes, Path, SegmentPlan],
) -> None:
    timeline, pcm, path, _ = track
    assert len(decoded(path)) == len(pcm) // 2
    assert probe_mp3(path).duration_ms == timeline.duration_ms


def test_every_beep_is_where_the_timeline_says(
    track: tuple[Timeline, bytes, Path, SegmentPlan],
) -> None:
    """Each beep's onset in the decoded file (where it first reaches a tenth of its peak)
    is where the timeline puts it, to the millisecond, after every seam too."""
    timeline, pcm, path, plan = track
    heard = decoded(path)
    original = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    beeps = [c for c in timeline.cues if c.kind is CueKind.BEEP]
    after_a_seam = [c for c in beeps if c.start_ms * RATE // 1000 > plan.seams[0] * 1152]
    assert len(after_a_seam) > 10
    reach = RATE // 50  # look from 20 ms before
    for cue in beeps:
        start = round(cue.start_ms * RATE / 1000)
        end = round(cue.end_ms * RATE / 1000)
        onsets = []
        for signal in (heard, original):
            region = np.abs(signal[start - reach : end])
            onsets.append(int(np.argmax(region >= region.max() / 10)) - reach)
        # The beep fades in over 8 ms: a tenth of its peak comes about 1.6 ms in.
        assert 0 <= onsets[1] * 1000 / RATE <= 3
        assert abs(onsets[0] - onsets[1]) * 1000 / RATE < 1, (cue, onsets)


def test_seams_decode_as_a_single_encode_does(
    track: tuple[Timeline, bytes, Path, SegmentPlan], tmp_path: Path
) -> None:
    """Around every seam the joined file holds the very samples of a one-piece encode."""
    _, pcm, path, plan = track
    whole = tmp_path / "whole.mp3"
    encode_mp3([pcm], whole)
    joined, single = decoded(path), decoded(whole)
    for seam in plan.seams:
        around = slice((seam - 4) * SAMPLES_PER_FRAME, (seam + 4) * SAMPLES_PER_FRAME)
        assert np.array_equal(joined[around], single[around])


def test_a_seam_over_sound_is_not_heard(tmp_path: Path) -> None:
    """Over music there is no silence: seams anywhere, and the bit reservoir patched.
    The error against the source is the codec's noise, no larger at a seam."""
    rng = np.random.default_rng(5)
    seconds = 140
    t = np.arange(RATE * seconds) / RATE
    tone = 0.2 * np.sin(2 * np.pi * 220 * t) + 0.05 * rng.normal(size=len(t))
    pcm = np.round(tone * 32767).astype("<i2")
    plan = plan_segments(len(pcm), [(0, len(pcm))], sample_rate=RATE, count=3)
    assert len(plan.seams) == 2
    path = tmp_path / "music.mp3"
    data = pcm.tobytes()
    encode_segments(lambda a, b: [data[2 * a : 2 * b]], len(pcm), path, OutputSpec(), plan, [])
    error = decoded(path) - pcm
    frames = len(error) // SAMPLES_PER_FRAME
    per_frame = error[: frames * SAMPLES_PER_FRAME].reshape(frames, -1)
    frame_error = np.sqrt(np.mean(per_frame**2, axis=1))
    typical = np.median(frame_error)
    for seam in plan.seams:
        assert frame_error[seam - 2 : seam + 2].max() < 2 * typical


def test_short_tracks_are_encoded_in_one_piece() -> None:
    assert plan_segments(RATE * 60, [(0, RATE * 60)], sample_rate=RATE, count=2).seams == ()


def test_no_seam_where_there_is_no_quiet_stretch() -> None:
    total = RATE * 600
    assert plan_segments(total, [(0, RATE)], sample_rate=RATE, count=2).seams == ()
    # One long enough stretch, away from the middle: the seam goes there.
    quiet = [(RATE * 100, RATE * 110)]
    (seam,) = plan_segments(total, quiet, sample_rate=RATE, count=2).seams
    assert (seam - PREROLL_FRAMES) * SAMPLES_PER_FRAME > RATE * 100
    assert (seam + SEARCH_FRAMES + 2) * SAMPLES_PER_FRAME < RATE * 110
