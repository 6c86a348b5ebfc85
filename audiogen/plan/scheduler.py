"""Fit the planned cues into time, using how long each phrase really takes to say.

Pure, like the compiler: given a plan and the length of every phrase, it fixes the
lead-in and outro lengths, puts the beeps where the countdown needs them, and places
each spoken cue where it is clear of every beep and every other cue. Cues that do not
fit are left out lowest priority first and reported as dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from audiogen.plan.busy import Busy
from audiogen.plan.compiler import CueRequest, Plan, Segment
from audiogen.plan.leadin import LEAD_IN_PAUSE_MS, LEAD_IN_START_MS, opening
from audiogen.plan.placer import Placer
from audiogen.plan.ranks import seconds
from audiogen.plan.timeline import (
    BEEP_MS,
    Cue,
    CueKind,
    Dropped,
    Interval,
    IntervalKind,
    Role,
    Timeline,
)
from audiogen.workout.model import Sides

__all__ = ["LEAD_IN_PAUSE_MS", "LEAD_IN_START_MS", "schedule"]

BEEP_GAP_MS = 0  # beeps may touch; a gap would silence a tick the countdown needs
BEEP_PRIORITY = (Role.START, Role.END, Role.COUNTDOWN)


def schedule(plan: Plan, speech_ms: Mapping[str, int]) -> Timeline:
    """Turn a plan into a timeline; `speech_ms` gives each phrase's spoken length.

    Where a work interval is too short to hold its own name between the start beep
    and its closing countdown (and nothing before it has room either), the name wins:
    that interval is scheduled again without its closing ticks, reported as dropped.
    """
    timeline, stuck = _schedule(plan, speech_ms, quiet=frozenset())
    if not stuck:
        return timeline
    return _schedule(plan, speech_ms, quiet=stuck)[0]


def _schedule(
    plan: Plan, speech_ms: Mapping[str, int], *, quiet: frozenset[int]
) -> tuple[Timeline, frozenset[int]]:
    opened = opening(plan, speech_ms)
    intervals = _intervals(plan, opened.lead_in_ms, opened.outro_ms)
    beeps = _beeps(intervals, plan.segments, quiet)
    busy = Busy()
    for cue in [*beeps, *opened.cues]:
        busy.add_cue(cue)
    placer = Placer(busy, speech_ms)
    placer.dropped += [*plan.skipped, *opened.dropped]
    placer.dropped += [_quieted(intervals[i]) for i in sorted(quiet)]
    by_segment: dict[int, list[CueRequest]] = {}
    for request in plan.requests:
        by_segment.setdefault(request.segment, []).append(request)
    first = plan.work_segment_indexes[0]
    for index, segment in enumerate(plan.segments):
        if segment.kind is IntervalKind.WORK:
            # intervals[0] is the lead-in, so segment i is interval i + 1.
            placer.place_work(
                by_segment.get(index, []),
                intervals[index],
                intervals[index + 1],
                late=opened.late if index == first else None,
                rest=by_segment.get(index - 1, []) if index else [],
                countdown=segment.cues.countdown,
            )
    placer.place_outro(opened.outro, intervals[-1])
    cues = sorted([*beeps, *opened.cues, *placer.cues], key=lambda c: (c.start_ms, c.end_ms))
    timeline = Timeline(
        title=plan.title,
        duration_ms=intervals[-1].end_ms,
        intervals=tuple(intervals),
        cues=tuple(cues),
        dropped=tuple(placer.dropped),
        titles=plan.titles,
    )
    stuck = frozenset(intervals.index(w) for w in placer.stuck) - quiet
    return timeline, stuck


def _quieted(work: Interval) -> Dropped:
    return Dropped(
        Role.COUNTDOWN,
        f"countdown ticks during {work.exercise}",
        f"no room for the exercise name in the {seconds(work.length_ms)} s work interval",
    )


# ---- intervals ------------------------------------------------------------------


def _intervals(plan: Plan, lead_in_ms: int, outro_ms: int) -> list[Interval]:
    intervals = [Interval(0, lead_in_ms, IntervalKind.LEAD_IN)]
    t = lead_in_ms
    for segment in plan.segments:
        intervals.append(_interval(segment, t))
        t += segment.length_ms
    intervals.append(Interval(t, t + outro_ms, IntervalKind.OUTRO))
    return intervals


def _interval(segment: Segment, start_ms: int) -> Interval:
    end = start_ms + segment.length_ms
    if segment.kind is not IntervalKind.WORK:
        return Interval(start_ms, end, segment.kind)
    assert segment.exercise is not None
    return Interval(
        start_ms,
        end,
        IntervalKind.WORK,
        exercise=segment.exercise.name,
        block=segment.block,
        round=segment.round,
        rounds=segment.rounds,
        side=segment.side,
    )


# ---- beeps ----------------------------------------------------------------------


def _beeps(
    intervals: Sequence[Interval], segments: Sequence[Segment], quiet: frozenset[int]
) -> list[Cue]:
    """Countdown ticks, start and end beeps; where two would collide the more
    important one stays (start, then end, then tick). Work intervals in `quiet` get
    no ticks inside them."""
    wanted: list[tuple[int, Role]] = []
    for index, interval in enumerate(intervals):
        if interval.kind is IntervalKind.WORK:
            countdown = segments[index - 1].cues.countdown
            following = intervals[index + 1] if index + 1 < len(intervals) else None
            wanted += _work_beeps(interval, countdown, following)
            if _switches_sides(segments[index - 1]):
                wanted.append((interval.start_ms + interval.length_ms // 2, Role.COUNTDOWN))
    silenced = [intervals[i] for i in quiet]
    wanted = [
        (t, role)
        for t, role in wanted
        if role is not Role.COUNTDOWN or not any(w.start_ms < t < w.end_ms for w in silenced)
    ]
    taken = Busy()
    beeps: list[Cue] = []
    for t, role in sorted(wanted, key=lambda w: (BEEP_PRIORITY.index(w[1]), w[0])):
        cue = Cue(t, t + BEEP_MS[role], CueKind.BEEP, role)
        if taken.is_free(cue.start_ms, cue.end_ms):
            taken.add(cue.start_ms - BEEP_GAP_MS, cue.end_ms + BEEP_GAP_MS)
            beeps.append(cue)
    return sorted(beeps, key=lambda c: c.start_ms)


def _switches_sides(segment: Segment) -> bool:
    return segment.exercise is not None and segment.exercise.sides is Sides.SWITCH


def _work_beeps(
    work: Interval, countdown: int, following: Interval | None
) -> list[tuple[int, Role]]:
    start, end = work.start_ms, work.end_ms
    beeps = [(start - k * 1000, Role.COUNTDOWN) for k in range(1, countdown + 1)]
    beeps.append((start, Role.START))
    beeps += [
        (end - k * 1000, Role.COUNTDOWN)
        for k in range(1, countdown + 1)
        if end - k * 1000 >= start + BEEP_MS[Role.START] + BEEP_GAP_MS
    ]
    if following is None or following.kind is not IntervalKind.WORK:
        beeps.append((end, Role.END))
    return [(t, role) for t, role in beeps if t >= 0]
