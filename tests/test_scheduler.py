"""The spec's six rules, checked on timelines of generated workouts.

Speech lengths come from a stand-in (`strategies.speech_ms`); the scheduler is a pure
function of the plan and those lengths, so this is the scheduler itself under test.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings

from audiogen.beeps import BEEP_MS
from audiogen.compiler import compile_plan
from audiogen.loader import parse_workout
from audiogen.model import BlockFormat, Workout
from audiogen.scheduler import LEAD_IN_PAUSE_MS, schedule
from audiogen.timeline import NEVER_DROPPED, CueKind, IntervalKind, Role, Timeline

from .strategies import speech_ms, workouts


def build(workout: Workout) -> Timeline:
    plan = compile_plan(workout)
    return schedule(plan, {text: speech_ms(text) for text in plan.phrases()})


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


@settings(max_examples=150, deadline=None)
@given(workouts)
def test_rule1_the_clock_is_exact(workout: Workout) -> None:
    timeline = build(workout)
    intervals = timeline.intervals
    assert intervals[0].start_ms == 0 and intervals[0].kind is IntervalKind.LEAD_IN
    assert intervals[-1].kind is IntervalKind.OUTRO
    assert intervals[-1].end_ms == timeline.duration_ms
    for before, after in itertools.pairwise(intervals):
        assert before.end_ms == after.start_ms
        assert before.length_ms > 0
    assert [i.length_ms for i in timeline.work_intervals] == expected_work_lengths(workout)
    assert all(i.kind is not IntervalKind.REST or i.length_ms > 0 for i in intervals)


@settings(max_examples=150, deadline=None)
@given(workouts)
def test_rule2_nothing_overlaps(workout: Workout) -> None:
    timeline = build(workout)
    cues = timeline.cues
    for before, after in itertools.pairwise(cues):
        assert before.end_ms <= after.start_ms, (before, after)
    boundaries = {b for i in timeline.work_intervals for b in (i.start_ms, i.end_ms)}
    for cue in cues:
        if cue.kind is CueKind.SPEECH:
            assert not any(cue.start_ms < b < cue.end_ms for b in boundaries), cue
            assert cue.start_ms not in boundaries, cue
    assert cues[-1].end_ms <= timeline.duration_ms


@settings(max_examples=150, deadline=None)
@given(workouts)
def test_rule3_every_work_interval_is_named(workout: Workout) -> None:
    timeline = build(workout)
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
                (
                    before.kind is not IntervalKind.WORK
                    and before.start_ms <= c.start_ms < work.start_ms
                )
                or work.start_ms + BEEP_MS[Role.START] <= c.start_ms <= work.start_ms + 1000
            )
        ]
        assert ok, f"{work} is not named"


@settings(max_examples=150, deadline=None)
@given(workouts)
def test_rule4_countdown_beeps(workout: Workout) -> None:
    timeline = build(workout)
    beeps = [c for c in timeline.cues if c.kind is CueKind.BEEP]

    def sounding(t: int) -> bool:
        return any(b.start_ms <= t < b.end_ms for b in beeps)

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


@settings(max_examples=150, deadline=None)
@given(workouts)
def test_rule5_only_droppable_cues_are_dropped(workout: Workout) -> None:
    timeline = build(workout)
    assert not [d for d in timeline.dropped if d.role in NEVER_DROPPED]
    assert all(d.reason.startswith("no room") for d in timeline.dropped)


@settings(max_examples=150, deadline=None)
@given(workouts)
def test_tips_in_a_work_interval_stay_in_its_first_half(workout: Workout) -> None:
    timeline = build(workout)
    optional = [c for c in timeline.cues if c.role in (Role.TIP, Role.NEXT, Role.MODIFICATION)]
    for work in timeline.work_intervals:
        for cue in optional:
            if work.start_ms <= cue.start_ms < work.end_ms:
                assert cue.end_ms <= work.start_ms + work.length_ms // 2


@settings(max_examples=100, deadline=None)
@given(workouts)
def test_rule6_lead_in_just_long_enough_and_an_outro(workout: Workout) -> None:
    timeline = build(workout)
    lead_in = timeline.intervals[0]
    spoken = [c for c in timeline.cues if c.kind is CueKind.SPEECH and c.end_ms <= lead_in.end_ms]
    assert spoken[0].role is Role.INTRO and workout.title in (spoken[0].text or "")
    countdown = compile_plan(workout).segments[0].cues.countdown
    assert lead_in.end_ms <= spoken[-1].end_ms + LEAD_IN_PAUSE_MS + countdown * 1000 + 100
    outro = timeline.intervals[-1]
    assert any(c.role is Role.OUTRO and c.start_ms >= outro.start_ms for c in timeline.cues)
    assert outro.length_ms <= 10_000


# ---- examples worked by hand from the spec -----------------------------------------

QUICK = """\
title: Quick
work: 40s
rest: 20s
cues: {countdown: 3, tips: 1}
exercises:
  - name: Squat
    tips: [Chest up]
  - Lunge
"""


def test_a_hand_worked_timeline() -> None:
    timeline = build(parse_workout(QUICK))
    kinds = [(i.kind.value, i.length_ms) for i in timeline.intervals]
    lead_in = timeline.intervals[0].length_ms
    assert kinds == [
        ("lead-in", lead_in),
        ("work", 40_000),
        ("rest", 20_000),
        ("work", 40_000),
        ("outro", kinds[-1][1]),
    ]
    start = lead_in
    beeps = [(c.start_ms - start, c.role.value) for c in timeline.cues if c.kind is CueKind.BEEP]
    assert beeps == [
        (-3000, "countdown"), (-2000, "countdown"), (-1000, "countdown"), (0, "start"),
        (37_000, "countdown"), (38_000, "countdown"), (39_000, "countdown"), (40_000, "end"),
        (57_000, "countdown"), (58_000, "countdown"), (59_000, "countdown"), (60_000, "start"),
        (97_000, "countdown"), (98_000, "countdown"), (99_000, "countdown"), (100_000, "end"),
    ]  # fmt: skip
    said = [(c.role.value, c.text) for c in timeline.cues if c.kind is CueKind.SPEECH]
    assert said == [
        ("intro", "Welcome to Quick. 1 minute 40 seconds in total."),
        ("name", "First up: Squat"),
        ("tip", "Chest up"),
        ("halfway", "Halfway"),
        ("time-left", "10 seconds left"),
        ("name", "Next up: Lunge"),
        ("halfway", "Halfway"),
        ("time-left", "10 seconds left"),
        ("outro", "Workout complete. Great work!"),
    ]
    halfway = [c.start_ms - start for c in timeline.cues if c.role is Role.HALFWAY]
    assert halfway == [20_000, 80_000]


def test_zero_rest_names_the_exercise_right_after_the_start_beep() -> None:
    timeline = build(parse_workout("title: T\nwork: 20s\nrest: 0\nexercises: [Squat, Lunge]\n"))
    second = timeline.work_intervals[1]
    (name,) = [c for c in timeline.cues if c.role is Role.NAME and c.text == "Lunge"]
    assert second.start_ms + BEEP_MS[Role.START] < name.start_ms < second.start_ms + 1000
    assert not any(c.role is Role.END and c.start_ms == second.start_ms for c in timeline.cues)


SHORT_REST = """\
title: T
work: {work}
rest: 6s
cues: {{tips: 2, modification: true}}
exercises:
  - A
  - name: Bulgarian Split Squat
    tips: [Keep your front knee over your ankle, Drive through the front heel]
    modification: Hold on to a chair
"""


def test_tips_with_no_room_in_the_rest_continue_in_the_first_half_of_the_work() -> None:
    timeline = build(parse_workout(SHORT_REST.format(work="30s")))
    second = timeline.work_intervals[1]
    in_work = [
        c
        for c in timeline.cues
        if c.role in (Role.TIP, Role.MODIFICATION) and second.start_ms <= c.start_ms
    ]
    assert [c.role for c in in_work] == [Role.TIP, Role.TIP, Role.MODIFICATION]
    assert all(c.end_ms <= second.start_ms + second.length_ms // 2 for c in in_work)
    assert not timeline.dropped


def test_what_fits_nowhere_is_dropped_lowest_priority_first_with_a_reason() -> None:
    timeline = build(parse_workout(SHORT_REST.format(work="5s")))
    dropped = [(d.role, d.reason) for d in timeline.dropped]
    reason = "no room in a 6 s rest or the first half of the work"
    assert (Role.MODIFICATION, reason) in dropped
    assert (Role.TIP, reason) in dropped
    names = [c.text for c in timeline.cues if c.role is Role.NAME]
    assert "Next up: Bulgarian Split Squat" in names


def test_fractional_durations_stay_exact() -> None:
    timeline = build(parse_workout("title: T\nwork: 12.5s\nrest: 2.25s\nexercises: [A, B]\n"))
    assert [i.length_ms for i in timeline.intervals[1:-1]] == [12_500, 2_250, 12_500]
    cues = timeline.cues
    assert all(a.end_ms <= b.start_ms for a, b in itertools.pairwise(cues))
