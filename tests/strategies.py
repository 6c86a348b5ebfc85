"""Hypothesis strategies for workouts, and a stand-in for speech lengths.

Durations are whole seconds so every beep instant falls on the track's one-second
grid; fractional lengths have their own example tests.
"""

from __future__ import annotations

from hypothesis import strategies as st

from audiogen.workout.model import (
    Block,
    BlockFormat,
    CueSettings,
    Exercise,
    FirstSide,
    Prompt,
    Sides,
    Workout,
)
from audiogen.workout.schema import LANGUAGES
from tests.rules import KNOWN_PLURALS

WORDS = ["Squat", "Lunge", "Plank", "Row", "Press", "Bridge", "Curl", "Dip", "Hold", "Jump"]
# Long enough to outlast any slot a tip or an intro may take (rule 11).
LONG_TEXT = "Keep breathing and hold your position steady. " * 40


def speech_ms(text: str) -> int:
    """Roughly espeak's pace at 175 wpm: 55 ms a character plus a little."""
    return 250 + 55 * len(text)


def seconds(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high).map(lambda s: s * 1000)


rests = st.one_of(st.just(0), seconds(1, 30), seconds(25, 100))
names = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=2).map(" ".join),
    st.sampled_from(sorted(KNOWN_PLURALS)),
)
tips = st.lists(
    st.sampled_from(["Chest up", "Brace your core", "Slow down", "Breathe out", LONG_TEXT]),
    max_size=3,
)
reps = st.none() | st.integers(1, 20) | st.tuples(st.integers(1, 10), st.integers(11, 20))
prompts = st.lists(
    st.builds(
        Prompt,
        at_ms=st.integers(-60, 60).map(lambda s: s * 1000),
        say=st.sampled_from(["Sink deeper", "Breathe out slowly", "Relax your shoulders"]),
    ),
    max_size=3,
)

cue_settings = st.builds(
    CueSettings,
    tips=st.integers(0, 3),
    modification=st.booleans(),
    next_up=st.booleans(),
    halfway=st.booleans(),
    time_left=st.sets(st.sampled_from([5, 10, 15]), max_size=2).map(
        lambda s: tuple(sorted(s, reverse=True))
    ),
    countdown=st.integers(0, 3),
    rounds=st.booleans(),
    go=st.booleans(),
    rest=st.booleans(),
    get_ready=st.sampled_from([0, 5, 10, 10, 15]),
)


@st.composite
def exercises(draw: st.DrawFn, *, sides: bool = True) -> Exercise:
    return Exercise(
        name=draw(names),
        work_ms=draw(seconds(8, 90)),
        rest_ms=draw(rests),
        tips=tuple(draw(tips)),
        modification=draw(st.none() | st.just("Go slower")),
        targets=tuple(draw(st.lists(st.sampled_from(["legs", "core", "back"]), max_size=2))),
        reps=draw(reps),
        sides=draw(st.sampled_from([None, Sides.SWITCH, Sides.EACH])) if sides else None,
        side_rest_ms=draw(rests),
        say=draw(st.none() | st.just("Spoken Name")),
        prompts=tuple(draw(prompts)),
        first_side=draw(st.sampled_from(list(FirstSide))),
    )


@st.composite
def blocks(draw: st.DrawFn) -> Block:
    fmt = draw(st.sampled_from(list(BlockFormat)))
    cycling = fmt in (BlockFormat.TABATA, BlockFormat.EMOM, BlockFormat.AMRAP)
    return Block(
        name=draw(st.sampled_from(["Warm-up", "Main", "Finisher"])),
        exercises=tuple(draw(st.lists(exercises(sides=not cycling), min_size=1, max_size=4))),
        format=fmt,
        rounds=draw(st.integers(1, 3))
        if fmt is not BlockFormat.TABATA
        else draw(st.integers(1, 8)),
        round_rest_ms=draw(rests),
        rest_after_ms=draw(rests),
        cues=draw(cue_settings),
        every_ms=draw(seconds(20, 90)),
        time_ms=draw(seconds(60, 600)) if fmt is BlockFormat.AMRAP else None,
        say=draw(st.none() | st.just("Spoken Block")),
    )


workouts = st.builds(
    Workout,
    title=st.sampled_from(["Test", "Leg Day", "Strength Workout for Runners"]),
    blocks=st.lists(blocks(), min_size=1, max_size=3).map(tuple),
    equipment=st.lists(st.sampled_from(["dumbbells", "a mat", "a chair"]), max_size=2).map(tuple),
    language=st.sampled_from(LANGUAGES),
    intro=st.none() | st.sampled_from(["{title}: {minutes}.", "Grab {equipment}.", LONG_TEXT]),
    outro=st.none() | st.sampled_from(["Done with {title}.", LONG_TEXT]),
    pronounce=st.sampled_from([(), (("Squat", "Skwot"),), (("Row", "Roe"), ("Dip", "Dipp"))]),
)
