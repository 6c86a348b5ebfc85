"""The spec's rules for every track, as checks on a workout and its timeline.

Used by the property tests (generated workouts, stand-in speech lengths) and by the
tests over the shipped workouts (real speech).
"""

from __future__ import annotations

import itertools

from audiogen.plan.compiler import compile_plan
from audiogen.plan.scheduler import LEAD_IN_PAUSE_MS
from audiogen.plan.timeline import (
    BEEP_MS,
    NEVER_DROPPED,
    CueKind,
    Interval,
    IntervalKind,
    Role,
    Timeline,
)
from audiogen.workout.model import BlockFormat, Workout


def quieted(timeline: Timeline, work: Interval) -> bool:
    """The scheduler may give up a work interval's closing ticks for its name, and says so."""
    return any(
        d.role is Role.COUNTDOWN and d.text == f"countdown ticks during {work.exercise}"
        for d in timeline.dropped
    )


def expected_work_lengths(workout: Workout) -> list[int]:
    """Derived from the spec's table of formats, independently of the compiler."""
    lengths: list[int] = []
    for block in workout.blocks:
        if block.format is BlockFormat.AMRAP:
            lengths.append(block.time_ms or 0)
        elif block.format is BlockFormat.EMOM:
            lengths += [block.every_ms] * block.rounds
        elif block.format is BlockFormat.TABATA:
            lengths += [
                block.exercises[i % len(block.exercises)].work_ms for i in range(block.rounds)
            ]
        else:
            for _ in range(block.rounds):
                for ex in block.exercises:
                    lengths += [ex.work_ms] * (2 if ex.sides == "each" else 1)
    return lengths


def rule1_the_clock_is_exact(workout: Workout, timeline: Timeline) -> None:
    intervals = timeline.intervals
    assert intervals[0].start_ms == 0 and intervals[0].kind is IntervalKind.LEAD_IN
    assert intervals[-1].kind is IntervalKind.OUTRO
    assert intervals[-1].end_ms == timeline.duration_ms
    for before, after in itertools.pairwise(intervals):
        assert before.end_ms == after.start_ms
        assert before.length_ms > 0
    assert [i.length_ms for i in timeline.work_intervals] == expected_work_lengths(workout)
    assert all(i.kind is not IntervalKind.REST or i.length_ms > 0 for i in intervals)


def rule2_nothing_overlaps(workout: Workout, timeline: Timeline) -> None:
    cues = timeline.cues
    for before, after in itertools.pairwise(cues):
        assert before.end_ms <= after.start_ms, (before, after)
    boundaries = {b for i in timeline.work_intervals for b in (i.start_ms, i.end_ms)}
    for cue in cues:
        if cue.kind is CueKind.SPEECH:
            assert not any(cue.start_ms < b < cue.end_ms for b in boundaries), cue
            assert cue.start_ms not in boundaries, cue
    assert cues[-1].end_ms <= timeline.duration_ms


def rule3_every_work_interval_is_named(workout: Workout, timeline: Timeline) -> None:
    intervals = timeline.intervals
    names = [c for c in timeline.cues if c.role is Role.NAME]
    for index, work in enumerate(intervals):
        if work.kind is not IntervalKind.WORK:
            continue
        before = intervals[index - 1]
        assert work.exercise is not None
        ok = [
            c
            for c in names
            if work.exercise in (c.text or "")
            and (
                before.start_ms <= c.start_ms < work.start_ms
                or work.start_ms + BEEP_MS[Role.START] <= c.start_ms <= work.start_ms + 1000
            )
        ]
        assert ok, f"{work} is not named"


def rule4_countdown_beeps(workout: Workout, timeline: Timeline) -> None:
    beeps = [c for c in timeline.cues if c.kind is CueKind.BEEP]
    # Where the scheduler gave a work interval's ticks to its name, it says so.
    silenced = [w for w in timeline.work_intervals if quieted(timeline, w)]

    def sounding(t: int) -> bool:
        excused = any(w.start_ms < t < w.end_ms for w in silenced)
        return excused or any(b.start_ms <= t < b.end_ms for b in beeps)

    plan = compile_plan(workout)
    works = [s for s in plan.segments if s.kind is IntervalKind.WORK]
    for segment, work in zip(works, timeline.work_intervals, strict=True):
        n = segment.cues.countdown
        assert any(b.start_ms == work.start_ms and b.role is Role.START for b in beeps)
        for k in range(1, n + 1):
            assert sounding(work.start_ms - k * 1000), (work, k)
            if work.length_ms - k * 1000 >= 1000:
                assert sounding(work.end_ms - k * 1000), (work, -k)
        assert any(b.start_ms == work.end_ms and b.role in (Role.END, Role.START) for b in beeps)


def rule5_only_droppable_cues_are_dropped(workout: Workout, timeline: Timeline) -> None:
    assert not [d for d in timeline.dropped if d.role in NEVER_DROPPED]
    assert all(d.reason.startswith("no room") for d in timeline.dropped)


def tips_in_a_work_interval_stay_in_its_first_half(workout: Workout, timeline: Timeline) -> None:
    optional = [c for c in timeline.cues if c.role in (Role.TIP, Role.NEXT, Role.MODIFICATION)]
    for work in timeline.work_intervals:
        for cue in optional:
            if work.start_ms <= cue.start_ms < work.end_ms:
                assert cue.end_ms <= work.start_ms + work.length_ms // 2


def rule6_lead_in_just_long_enough_and_an_outro(workout: Workout, timeline: Timeline) -> None:
    lead_in = timeline.intervals[0]
    spoken = [c for c in timeline.cues if c.kind is CueKind.SPEECH and c.end_ms <= lead_in.end_ms]
    assert spoken[0].role is Role.INTRO and workout.title in (spoken[0].text or "")
    countdown = compile_plan(workout).segments[0].cues.countdown
    assert lead_in.end_ms <= spoken[-1].end_ms + LEAD_IN_PAUSE_MS + countdown * 1000 + 100
    outro = timeline.intervals[-1]
    assert any(c.role is Role.OUTRO and c.start_ms >= outro.start_ms for c in timeline.cues)
    assert outro.length_ms <= 10_000


ALL = [
    rule1_the_clock_is_exact,
    rule2_nothing_overlaps,
    rule3_every_work_interval_is_named,
    rule4_countdown_beeps,
    rule5_only_droppable_cues_are_dropped,
    tips_in_a_work_interval_stay_in_its_first_half,
    rule6_lead_in_just_long_enough_and_an_outro,
]


def check_all(workout: Workout, timeline: Timeline) -> None:
    for rule in ALL:
        rule(workout, timeline)
