"""The spec's rules for every track, as checks on a workout and its timeline.

Used by the property tests (generated workouts, stand-in speech lengths) and by the
tests over the shipped workouts (real speech).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from audiogen.plan.compiler import Segment, compile_plan
from audiogen.plan.phrasebook import load_phrasebook
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
from audiogen.workout.model import BlockFormat, Exercise, Reps, Workout


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


def side_rests(timeline: Timeline) -> list[tuple[Interval, Interval]]:
    """Each rest between the two sides of a `sides: each` exercise, with the second side."""
    found = []
    for before, rest, after in zip(
        timeline.intervals, timeline.intervals[1:], timeline.intervals[2:], strict=False
    ):
        if rest.kind is IntervalKind.REST and _two_sides(before, after):
            found.append((rest, after))
    return found


def _two_sides(one: Interval, two: Interval) -> bool:
    same = (one.exercise, one.block, one.round) == (two.exercise, two.block, two.round)
    return same and one.side is not None and two.side is not None and one.side != two.side


def _core(name: str) -> str:
    """The part of a name a plural leaves alone: "Farmer Carr" of "Farmer Carry"."""
    head = name.split(" (")[0]
    return head[:-2] if len(head) > 3 else head


def rule3_every_work_interval_is_named(workout: Workout, timeline: Timeline) -> None:
    intervals = timeline.intervals
    names = [c for c in timeline.cues if c.role is Role.NAME]
    second_sides = {after.start_ms: rest for rest, after in side_rests(timeline)}
    for index, work in enumerate(intervals):
        if work.kind is not IntervalKind.WORK:
            continue
        before = intervals[index - 1]
        assert work.exercise is not None
        # After a side rest the exercise is already named: the side alone will do.
        side_only = work.start_ms in second_sides
        ok = [
            c
            for c in names
            if (_core(work.exercise) in (c.text or "") or side_only)
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
    assert spoken[0].role is Role.INTRO
    if workout.intro is None or "{title}" in workout.intro:  # a custom intro may skip it
        assert workout.title in (spoken[0].text or "")
    countdown = compile_plan(workout).segments[0].cues.countdown
    assert lead_in.end_ms <= spoken[-1].end_ms + LEAD_IN_PAUSE_MS + countdown * 1000 + 100
    outro = timeline.intervals[-1]
    assert any(c.role is Role.OUTRO and c.start_ms >= outro.start_ms for c in timeline.cues)
    assert outro.length_ms <= 10_000


# ---- version 1.1 -------------------------------------------------------------------

# Names whose plural the spec (or a plain English speaker) fixes; checked exactly.
KNOWN_PLURALS = {
    "Burpee": "Burpees",
    "Burpees": "Burpees",
    "Jumping Jacks": "Jumping Jacks",
    "Toes to Bar": "Toes to Bar",
    "Calf Raise": "Calf Raises",
    "Step-up": "Step-ups",
    "Step-up (each leg)": "Step-ups (each leg)",
    "Farmer Carry": "Farmer Carries",
    "Push-up": "Push-ups",
    "Lunges": "Lunges",
}


def work_pairs(workout: Workout, timeline: Timeline) -> list[tuple[Segment, Interval]]:
    plan = compile_plan(workout)
    works = [s for s in plan.segments if s.kind is IntervalKind.WORK]
    return list(zip(works, timeline.work_intervals, strict=True))


def rest_pairs(workout: Workout, timeline: Timeline) -> list[tuple[Segment, Interval]]:
    plan = compile_plan(workout)
    rests = [s for s in plan.segments if s.kind is IntervalKind.REST]
    found = [i for i in timeline.intervals if i.kind is IntervalKind.REST]
    return list(zip(rests, found, strict=True))


def _count(reps: Reps, language: str) -> str:
    if isinstance(reps, int):
        return str(reps)
    return load_phrasebook(language).say("rep_range", low=reps[0], high=reps[1])


def _expected_name(exercise: Exercise, language: str) -> str | None:
    """The name after its count, where it is known without asking the code under test."""
    reps, name = exercise.reps, exercise.name
    if reps == 1 or language != "en":
        return name
    if name in KNOWN_PLURALS:
        return KNOWN_PLURALS[name]
    last = name.split(" (")[0].split(" ")[-1]
    if last.endswith("s") and not last.endswith("ss"):
        return name  # already plural: said as written
    return None


def rule7_names_are_never_pluralised_twice(workout: Workout, timeline: Timeline) -> None:
    speech = [c for c in timeline.cues if c.kind is CueKind.SPEECH]
    texts = [c.text or "" for c in speech]
    for segment, _ in work_pairs(workout, timeline):
        exercise = segment.exercise
        assert exercise is not None
        if exercise.reps is None or segment.format is BlockFormat.AMRAP:
            continue
        count = _count(exercise.reps, workout.language)
        expected = _expected_name(exercise, workout.language)
        if expected is not None:
            # Whole words: "10 Burpees" must not be the start of "10 Burpeeses".
            said = re.compile(re.escape(f"{count} {expected}") + r"(?!\w)")
            assert any(said.search(t) for t in texts), (count, expected)
        assert not any(re.search(r"\)s\b", t) for t in texts)
        if exercise.say:
            said = [c.phrase for c in speech if c.role is Role.NAME]
            assert any(f"{count} {exercise.say}" in p for p in said), exercise.say


def rule8_the_second_side_is_named_before_its_start_beep(
    workout: Workout, timeline: Timeline
) -> None:
    names = [c for c in timeline.cues if c.role is Role.NAME]
    for rest, after in side_rests(timeline):
        if rest.length_ms >= 5000:
            inside = [
                c for c in names if rest.start_ms <= c.start_ms and c.end_ms <= after.start_ms
            ]
            assert inside, f"the side after {rest} is not named before its start beep"


def rule9_prompts_at_their_moment_or_dropped(workout: Workout, timeline: Timeline) -> None:
    prompts = [c for c in timeline.cues if c.role is Role.PROMPT]
    dropped = [d.text for d in timeline.dropped if d.role is Role.PROMPT]
    for segment, work in work_pairs(workout, timeline):
        assert segment.exercise is not None
        if segment.format is BlockFormat.AMRAP:
            continue
        for prompt in segment.exercise.prompts:
            at = prompt.at_ms if prompt.at_ms >= 0 else work.length_ms + prompt.at_ms
            if not 0 <= at < work.length_ms:  # outside the interval: listed, never said
                assert prompt.say in dropped, (prompt, work)
                continue
            moment = work.start_ms + at
            said = [c for c in prompts if c.text == prompt.say and 0 <= c.start_ms - moment <= 5000]
            if not said:
                assert prompt.say in dropped, (prompt, work)
                continue
            late = said[0].start_ms - moment
            if late > 250:  # something must have been in the way
                others = [c for c in timeline.cues if c is not said[0]]
                assert any(
                    c.start_ms < said[0].start_ms and c.end_ms + 250 > moment for c in others
                )


def rule10_rests_are_never_silent_for_long(workout: Workout, timeline: Timeline) -> None:
    speech = [c for c in timeline.cues if c.kind is CueKind.SPEECH]
    for segment, rest in rest_pairs(workout, timeline):
        if not segment.cues.rest or not segment.cues.get_ready:
            continue
        inside = [c for c in speech if rest.start_ms <= c.start_ms < rest.end_ms]
        edges = [rest.start_ms] + [t for c in inside for t in (c.start_ms, c.end_ms)]
        edges.append(rest.end_ms)
        gaps = [b - a for a, b in zip(edges[::2], edges[1::2], strict=True)]
        assert max(gaps) <= 30_000, (rest, gaps)
        roles = {c.role for c in inside}
        if rest.length_ms >= 10_000 and not segment.side_rest and Role.REST not in roles:
            # Left out only when what the rest must carry (the next name, an AMRAP's
            # circuit, the countdown) leaves no gap a rest call would fit in.
            assert any(d.role is Role.REST for d in timeline.dropped), rest
            assert _widest_gap(timeline, rest) < REST_CALL_ROOM_MS, rest
        if rest.length_ms >= 25_000:
            assert Role.GET_READY in roles, rest


# A rest call ("Rest", "Rest, 1 minute") with its gaps either side, generously: a free
# stretch this long in a rest means the call should have been spoken there.
REST_CALL_ROOM_MS = 2_500


def _widest_gap(timeline: Timeline, interval: Interval) -> int:
    """The longest stretch inside `interval` with no sound at all."""
    sounds = sorted(
        (c.start_ms, c.end_ms)
        for c in timeline.cues
        if c.end_ms > interval.start_ms and c.start_ms < interval.end_ms
    )
    widest, at = 0, interval.start_ms
    for start, end in [*sounds, (interval.end_ms, interval.end_ms)]:
        widest, at = max(widest, min(start, interval.end_ms) - at), max(at, end)
    return widest


def rule11_long_texts_never_stretch_the_clock(workout: Workout, timeline: Timeline) -> None:
    lead_in, outro = timeline.intervals[0], timeline.intervals[-1]
    assert lead_in.length_ms <= 30_000 and outro.length_ms <= 10_000
    (intro,) = [c for c in timeline.cues if c.role is Role.INTRO]
    if any(d.role is Role.INTRO for d in timeline.dropped):
        assert intro.text == f"{workout.title}."
    elif workout.intro is None or "{minutes}" in workout.intro:
        # The intro's "N minutes" is the track's length to the nearest minute.
        minutes = max(1, (timeline.duration_ms + 30_000) // 60_000)
        said = load_phrasebook(workout.language).duration(minutes * 60_000)
        assert said in (intro.text or ""), (said, intro.text)


def every_cue_is_spoken_or_dropped(workout: Workout, timeline: Timeline) -> None:
    """What a plan asks for is on the timeline, or listed in `dropped`."""
    spoken = Counter((c.role, c.text) for c in timeline.cues if c.kind is CueKind.SPEECH)
    dropped = Counter((d.role, d.text) for d in timeline.dropped)
    for request in compile_plan(workout).requests:
        keys = [(request.role, request.text)]
        if request.fallback:
            keys.append((request.role, request.fallback[0]))
        found = next((k for k in keys if spoken[k] > 0), None)
        if found is not None:
            spoken[found] -= 1
        else:
            assert dropped[keys[0]] > 0, f"{request.role} {request.text!r} vanished"
            dropped[keys[0]] -= 1


ALL = [
    rule1_the_clock_is_exact,
    rule2_nothing_overlaps,
    rule3_every_work_interval_is_named,
    rule4_countdown_beeps,
    rule5_only_droppable_cues_are_dropped,
    tips_in_a_work_interval_stay_in_its_first_half,
    rule6_lead_in_just_long_enough_and_an_outro,
    rule7_names_are_never_pluralised_twice,
    rule8_the_second_side_is_named_before_its_start_beep,
    rule9_prompts_at_their_moment_or_dropped,
    rule10_rests_are_never_silent_for_long,
    rule11_long_texts_never_stretch_the_clock,
    every_cue_is_spoken_or_dropped,
]


def check_all(workout: Workout, timeline: Timeline) -> None:
    for rule in ALL:
        rule(workout, timeline)
