"""The spec's six rules, checked on timelines of generated workouts.

Speech lengths come from a stand-in (`strategies.speech_ms`); the scheduler is a pure
function of the plan and those lengths, so this is the scheduler itself under test.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings

from audiogen.plan.compiler import compile_plan
from audiogen.plan.scheduler import schedule
from audiogen.plan.timeline import BEEP_MS, CueKind, Role, Timeline
from audiogen.workout.loader import parse_workout
from audiogen.workout.model import Workout
from tests import rules
from tests.strategies import speech_ms, workouts


def build(workout: Workout) -> Timeline:
    plan = compile_plan(workout)
    return schedule(plan, {text: speech_ms(text) for text in plan.phrases()})


@settings(max_examples=150, deadline=None)
@given(workouts)
def test_rule1_the_clock_is_exact(workout: Workout) -> None:
    rules.rule1_the_clock_is_exact(workout, build(workout))


@settings(max_examples=150, deadline=None)
@given(workouts)
def test_rule2_nothing_overlaps(workout: Workout) -> None:
    rules.rule2_nothing_overlaps(workout, build(workout))


@settings(max_examples=150, deadline=None)
@given(workouts)
def test_rule3_every_work_interval_is_named(workout: Workout) -> None:
    rules.rule3_every_work_interval_is_named(workout, build(workout))


@settings(max_examples=150, deadline=None)
@given(workouts)
def test_rule4_countdown_beeps(workout: Workout) -> None:
    rules.rule4_countdown_beeps(workout, build(workout))


@settings(max_examples=150, deadline=None)
@given(workouts)
def test_rule5_only_droppable_cues_are_dropped(workout: Workout) -> None:
    rules.rule5_only_droppable_cues_are_dropped(workout, build(workout))


@settings(max_examples=150, deadline=None)
@given(workouts)
def test_tips_in_a_work_interval_stay_in_its_first_half(workout: Workout) -> None:
    rules.tips_in_a_work_interval_stay_in_its_first_half(workout, build(workout))


@settings(max_examples=100, deadline=None)
@given(workouts)
def test_rule6_lead_in_just_long_enough_and_an_outro(workout: Workout) -> None:
    rules.rule6_lead_in_just_long_enough_and_an_outro(workout, build(workout))


@settings(max_examples=100, deadline=None)
@given(workouts)
def test_rule7_names_are_never_pluralised_twice(workout: Workout) -> None:
    rules.rule7_names_are_never_pluralised_twice(workout, build(workout))


@settings(max_examples=100, deadline=None)
@given(workouts)
def test_rule8_the_second_side_is_named_before_its_start_beep(workout: Workout) -> None:
    rules.rule8_the_second_side_is_named_before_its_start_beep(workout, build(workout))


@settings(max_examples=100, deadline=None)
@given(workouts)
def test_rule9_prompts_at_their_moment_or_dropped(workout: Workout) -> None:
    rules.rule9_prompts_at_their_moment_or_dropped(workout, build(workout))


@settings(max_examples=100, deadline=None)
@given(workouts)
def test_rule10_rests_are_never_silent_for_long(workout: Workout) -> None:
    rules.rule10_rests_are_never_silent_for_long(workout, build(workout))


def test_a_rest_full_of_what_it_must_carry_drops_its_rest_call_with_a_reason() -> None:
    """Found by hypothesis: a 10 s rest before an AMRAP holds the next name, the circuit
    and the countdown, with no room left for "Rest"; rule 10 allows that, listed."""
    cues = "{tips: 0, next_up: false, halfway: false, time_left: [], rounds: false}"
    text = f"""title: Test
blocks:
  - {{name: Warm-up, work: 8s, rest: 0, rest_after: 10s, cues: {cues}, exercises: [Burpee]}}
  - name: Warm-up
    format: amrap
    time: 61s
    cues: {{countdown: 2, rest: false, get_ready: 0}}
    exercises: [Squat Squat, Squat Squat, Squat Squat]
"""
    workout = parse_workout(text, source="w.yaml")
    timeline = build(workout)
    rules.rule10_rests_are_never_silent_for_long(workout, timeline)
    assert [d.role for d in timeline.dropped] == [Role.REST]


@settings(max_examples=100, deadline=None)
@given(workouts)
def test_rule11_long_texts_never_stretch_the_clock(workout: Workout) -> None:
    rules.rule11_long_texts_never_stretch_the_clock(workout, build(workout))


@settings(max_examples=100, deadline=None)
@given(workouts)
def test_every_cue_is_spoken_or_dropped(workout: Workout) -> None:
    rules.every_cue_is_spoken_or_dropped(workout, build(workout))


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
        ("intro", "Welcome to Quick. 2 minutes in total."),
        ("name", "First up: Squat"),
        ("tip", "Chest up"),
        ("halfway", "Halfway"),
        ("time-left", "10 seconds left"),
        ("rest", "Rest"),
        ("name", "Next up: Lunge"),
        ("halfway", "Halfway"),
        ("time-left", "10 seconds left"),
        ("outro", "Workout complete. Great work!"),
    ]
    halfway = [c.start_ms - start for c in timeline.cues if c.role is Role.HALFWAY]
    assert halfway == [20_000, 80_000]


def test_zero_rest_announces_next_up_at_the_end_of_the_work_before() -> None:
    timeline = build(parse_workout("title: T\nwork: 20s\nrest: 0\nexercises: [Squat, Lunge]\n"))
    first, second = timeline.work_intervals
    (name,) = [c for c in timeline.cues if c.role is Role.NAME and "Lunge" in (c.text or "")]
    assert name.text == "Next up: Lunge"
    first_tick = second.start_ms - 3000
    assert first.start_ms + first.length_ms // 2 <= name.start_ms and name.end_ms < first_tick
    assert not any(c.role is Role.END and c.start_ms == second.start_ms for c in timeline.cues)


def test_zero_rest_after_a_short_work_names_it_right_after_the_start_beep() -> None:
    text = "title: T\nwork: 5s\nrest: 0\nexercises: [Squat, Single-Leg Romanian Deadlift]\n"
    timeline = build(parse_workout(text))
    second = timeline.work_intervals[1]
    (name,) = [c for c in timeline.cues if c.role is Role.NAME and "Deadlift" in (c.text or "")]
    assert name.text == "Single-Leg Romanian Deadlift"
    assert second.start_ms + BEEP_MS[Role.START] < name.start_ms < second.start_ms + 1000


def test_switch_sides_has_a_beep_at_the_exact_midpoint_then_the_call() -> None:
    timeline = build(parse_workout("title: T\nexercises:\n  - {name: Lunge, sides: switch}\n"))
    (work,) = timeline.work_intervals
    midpoint = work.start_ms + 20_000
    assert any(c.kind is CueKind.BEEP and c.start_ms == midpoint for c in timeline.cues)
    (switch,) = [c for c in timeline.cues if c.role is Role.SWITCH]
    assert midpoint < switch.start_ms < midpoint + 500 and switch.text == "Switch sides"
    assert not any(c.role is Role.HALFWAY for c in timeline.cues)


def test_a_name_too_long_for_a_short_interval_takes_the_closing_ticks_room() -> None:
    text = "title: T\nwork: 5s\nrest: 0\nexercises: [Hip Thrust, Single-Leg Romanian Deadlift]\n"
    timeline = build(parse_workout(text))
    # A 5 s interval has no room for "10 seconds left" after its midpoint: listed too.
    roles = [Role.TIME_LEFT, Role.TIME_LEFT, Role.COUNTDOWN]
    assert [d.role for d in timeline.dropped] == roles
    assert timeline.dropped[2].text == "countdown ticks during Single-Leg Romanian Deadlift"
    second = timeline.work_intervals[1]
    ticks = [
        c
        for c in timeline.cues
        if c.role is Role.COUNTDOWN and second.start_ms < c.start_ms < second.end_ms
    ]
    assert not ticks
    names = [c for c in timeline.cues if c.role is Role.NAME and "Deadlift" in (c.text or "")]
    assert len(names) == 1


def test_reps_are_spoken_with_the_name() -> None:
    text = (
        "title: T\nblocks:\n  - {format: emom, rounds: 2, exercises: [{name: Burpee, reps: 8}]}\n"
    )
    timeline = build(parse_workout(text))
    said = [c.text for c in timeline.cues if c.role in (Role.NAME, Role.ROUND)]
    assert said == ["Minute 1 of 2.", "First up: 8 Burpees", "Minute 2 of 2.", "Next up: 8 Burpees"]


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
    # A 6 s rest is too short for "Rest" beside the next name (rule 10 allows that).
    assert [(d.role, d.text) for d in timeline.dropped] == [(Role.REST, "Rest")]


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
