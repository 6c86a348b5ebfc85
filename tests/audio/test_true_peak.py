"""The true-peak ceiling on finished files, for workouts and phrases nobody shipped.

Real espeak speech and real encodes of short tracks, drawn by hypothesis: exercise
names and tips heavy in sibilants and plosives (where LAME's noise shaping used to lift
peaks past the limit: "Next up: Child's Pose" measured -0.7 dBTP), voices, rates and
bitrates. Each example builds and measures a track of about a minute.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiogen.audio.level import TARGET_LUFS, TRUE_PEAK_LIMIT_DBTP
from audiogen.audio.measure import measure_file
from audiogen.pipeline import build_workout
from audiogen.workout.model import Block, BlockFormat, CueSettings, Exercise, VoiceProfile, Workout

NAMES = [
    "Child's Pose", "Russian Twist", "Box Jump", "Skater Hop", "Side Plank", "Push-up",
    "Thruster", "Sissy Squat", "Superman", "Split Squat", "Pistol Squat", "Scissor Kick",
    "Sprawl", "Kettlebell Swing", "Bicycle Crunch", "Plank Jack", "Star Jump", "Tuck Jump",
]  # fmt: skip
TIPS = [
    "Squeeze your glutes", "Stop, set, and push", "Keep it strict", "Stay tall, chest up",
    "Six slow seconds", "Pause at the top", "Press through the heels", "Sit back",
]  # fmt: skip


@st.composite
def short_workouts(draw: st.DrawFn) -> Workout:
    exercises = tuple(
        Exercise(name=name, work_ms=draw(st.sampled_from([10_000, 15_000])), rest_ms=8_000,
                 tips=tuple(draw(st.lists(st.sampled_from(TIPS), max_size=2))))
        for name in draw(st.lists(st.sampled_from(NAMES), min_size=4, max_size=6, unique=True))
    )  # fmt: skip
    block = Block(
        name="Main",
        exercises=exercises,
        format=BlockFormat.INTERVALS,
        cues=CueSettings(tips=2, countdown=draw(st.integers(0, 3))),
    )
    voice = VoiceProfile(
        voice=draw(st.sampled_from(["en-us", "en", "en-us+f3", "en-gb-scotland"])),
        rate=draw(st.sampled_from([150, 175, 210])),
    )
    return Workout(
        title=draw(st.sampled_from(["Sizzle Set", "Test"])), blocks=(block,), voice=voice
    )


@settings(
    max_examples=16,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure is reproducible
    suppress_health_check=[HealthCheck.too_slow],
)
@given(workout=short_workouts(), bitrate=st.sampled_from(["32k", "64k", "96k", "128k", "192k"]))
def test_every_track_meets_loudness_and_true_peak(workout: Workout, bitrate: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "track.mp3"
        build_workout(workout, output, bitrate=bitrate, music=False)
        measured = measure_file(output)
    assert measured.true_peak is not None
    assert measured.true_peak <= TRUE_PEAK_LIMIT_DBTP, (bitrate, measured)
    assert abs(measured.integrated - TARGET_LUFS) <= 1.0, (bitrate, measured)
