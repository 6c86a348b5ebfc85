"""Fit the planned cues into time, using how long each phrase really takes to say.

Pure, like the compiler: given a plan and the length of every phrase, it fixes the
lead-in and outro lengths, puts the beeps where the countdown needs them, and places
each spoken cue where it is clear of every beep and every other cue. Cues that do not
fit are left out lowest priority first and reported as dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from audiogen.plan.busy import SPEECH_GAP_MS, Busy
from audiogen.plan.compiler import CueRequest, Plan, Segment
from audiogen.plan.timeline import (
    BEEP_MS,
    NEVER_DROPPED,
    Cue,
    CueKind,
    Dropped,
    Interval,
    IntervalKind,
    Role,
    Timeline,
)
from audiogen.workout.model import Sides

BEEP_GAP_MS = 0  # beeps may touch; a gap would silence a tick the countdown needs
LEAD_IN_START_MS = 500
LEAD_IN_PAUSE_MS = 700  # between the last words of the lead-in and its countdown
OUTRO_DELAY_MS = 400  # after the final end beep
OUTRO_TAIL_MS = 2000
SLIDE_MS = 2000  # how much later than its moment a timed call may still be spoken
TAIL_MS = 20_000  # how early in the work before it "Next up" may come when there is no rest

# Left out first to last when time is short (the spec's order). Roles not listed here
# are never left out.
DROP_ORDER = (Role.MODIFICATION, Role.TIP, Role.NEXT, Role.TIME_LEFT, Role.HALFWAY)
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
    lead_cues, lead_in_ms = _lead_in(plan, speech_ms)
    intervals = _intervals(plan, lead_in_ms, speech_ms)
    beeps = _beeps(intervals, plan.segments, quiet)
    busy = Busy()
    for cue in [*beeps, *lead_cues]:
        busy.add_cue(cue)
    placer = _Placer(busy, speech_ms)
    placer.dropped += [_quieted(intervals[i]) for i in sorted(quiet)]
    by_segment: dict[int, list[CueRequest]] = {}
    for request in plan.requests:
        by_segment.setdefault(request.segment, []).append(request)
    for index, segment in enumerate(plan.segments):
        if segment.kind is IntervalKind.WORK:
            # intervals[0] is the lead-in, so segment i is interval i + 1.
            before, work = intervals[index], intervals[index + 1]
            placer.place_work(by_segment.get(index, []), before, work, first=before.start_ms == 0)
    placer.place_outro(plan.outro, intervals[-1])
    cues = sorted([*beeps, *lead_cues, *placer.cues], key=lambda c: (c.start_ms, c.end_ms))
    timeline = Timeline(
        title=plan.title,
        duration_ms=intervals[-1].end_ms,
        intervals=tuple(intervals),
        cues=tuple(cues),
        dropped=tuple(placer.dropped),
    )
    stuck = frozenset(intervals.index(w) for w in placer.stuck) - quiet
    return timeline, stuck


def _quieted(work: Interval) -> Dropped:
    return Dropped(
        Role.COUNTDOWN,
        f"countdown ticks during {work.exercise}",
        f"no room for the exercise name in the {_seconds(work.length_ms)} s work interval",
    )


# ---- lead-in, intervals, outro --------------------------------------------------


def _lead_in(plan: Plan, speech_ms: Mapping[str, int]) -> tuple[list[Cue], int]:
    """The lead-in is exactly as long as its speech plus the first countdown."""
    first = plan.work_segment_indexes[0]
    requests = [r for r in plan.requests if r.segment == first and r.at_ms is None]
    cues, t = [], LEAD_IN_START_MS
    for role, text, phrase in [(Role.INTRO, plan.intro, plan.intro)] + [
        (r.role, r.text, r.phrase) for r in requests
    ]:
        cue = _speech(t, role, text, phrase, speech_ms)
        cues.append(cue)
        t = cue.end_ms + SPEECH_GAP_MS
    countdown = plan.segments[first].cues.countdown
    return cues, _round_up(cues[-1].end_ms + LEAD_IN_PAUSE_MS + countdown * 1000, 100)


def _intervals(plan: Plan, lead_in_ms: int, speech_ms: Mapping[str, int]) -> list[Interval]:
    intervals = [Interval(0, lead_in_ms, IntervalKind.LEAD_IN)]
    t = lead_in_ms
    for segment in plan.segments:
        intervals.append(_interval(segment, t))
        t += segment.length_ms
    outro_ms = BEEP_MS[Role.END] + OUTRO_DELAY_MS + speech_ms[plan.outro] + OUTRO_TAIL_MS
    intervals.append(Interval(t, t + _round_up(outro_ms, 100), IntervalKind.OUTRO))
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


def _round_up(ms: int, step: int) -> int:
    return -(-ms // step) * step


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


# ---- speech -----------------------------------------------------------------------


@dataclass
class _Placer:
    busy: Busy
    speech_ms: Mapping[str, int]
    cues: list[Cue] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    # Work intervals where a cue that is never left out found no room.
    stuck: list[Interval] = field(default_factory=list)

    def place_work(
        self, requests: list[CueRequest], before: Interval, work: Interval, *, first: bool
    ) -> None:
        announcements = [r for r in requests if r.at_ms is None]
        late = [] if first else self._announce(announcements, before)
        self._fallback([r for r in late if r.role not in DROP_ORDER], work)
        timed = sorted((r for r in requests if r.at_ms is not None), key=_priority)
        for request in timed:
            self._timed(request, work)
        where = f"a {_seconds(before.length_ms)} s rest" if before.kind is IntervalKind.REST else ""
        self._overflow([r for r in late if r.role in DROP_ORDER], work, where)

    def _announce(self, requests: list[CueRequest], gap: Interval) -> list[CueRequest]:
        """Speak the announcements in the rest before the work interval, setting aside
        the least important until they fit. Returns, in spoken order, what did not fit."""
        if gap.kind is IntervalKind.WORK:
            return self._announce_in_tail(requests, gap)
        if gap.kind is not IntervalKind.REST:
            return list(requests)
        group, late = list(requests), []
        while group and not self._try(group, gap):
            victim = _least_important(group)
            if victim is None:
                late += self._announce_short(group, gap)
                break
            group.remove(victim)
            late.append(victim)
        return [r for r in requests if r in late]

    def _announce_in_tail(self, requests: list[CueRequest], work: Interval) -> list[CueRequest]:
        """With no rest between two work intervals, "Next up" goes into the end of the
        one before, as late as it fits before its countdown; tips follow the next start."""
        must = [r for r in requests if r.role not in DROP_ORDER]
        lo = max(work.start_ms + work.length_ms // 2, work.end_ms - TAIL_MS)
        for group in (must, [_bare(r) for r in must]):
            starts = self.busy.fit_sequence_latest(lo, work.end_ms, self._lengths(group))
            if starts is not None:
                self._commit(group, starts)
                return [r for r in requests if r.role in DROP_ORDER]
        return list(requests)

    def _announce_short(self, group: list[CueRequest], gap: Interval) -> list[CueRequest]:
        """In a rest too short for "Next up: ...", the bare name may still fit; only what
        fits nowhere here moves into the work interval."""
        short = [_bare(r) for r in group]
        if self._try(short, gap):
            return []
        names = [r for r in short if r.role is Role.NAME]
        if names and self._try(names, gap):
            return [r for r in group if r.role is not Role.NAME]
        return group

    def _try(self, group: list[CueRequest], gap: Interval) -> bool:
        starts = self.busy.fit_sequence(gap.start_ms, gap.end_ms, self._lengths(group))
        if starts is None:
            return False
        self._commit(group, starts)
        return True

    def _fallback(self, requests: list[CueRequest], work: Interval) -> None:
        """Announcements with no room before the work are said right after its start beep."""
        names_first = sorted(requests, key=lambda r: r.role is not Role.NAME)
        t = work.start_ms
        for request in names_first:
            text, phrase = request.fallback or (request.text, request.phrase)
            start = self.busy.earliest(t, work.end_ms, self.speech_ms[phrase])
            if start is None:
                self._drop(request, f"no room in the {_seconds(work.length_ms)} s work interval")
                self.stuck.append(work)
                continue
            self._commit_one(_speech(start, request.role, text, phrase, self.speech_ms))
            t = start

    def _overflow(self, requests: list[CueRequest], work: Interval, rest: str) -> None:
        """Tips and previews with no room in the rest carry on in the first half of the
        work interval, after what is already placed there (name, halfway, ...)."""
        t, half = work.start_ms, work.start_ms + work.length_ms // 2
        where = f"{rest} or the first half of the work" if rest else "the first half of the work"
        for request in requests:
            start = self.busy.earliest(t, half, self.speech_ms[request.phrase])
            if start is None:
                self._drop(request, f"no room in {where}")
                continue
            self._commit_one(
                _speech(start, request.role, request.text, request.phrase, self.speech_ms)
            )
            t = start

    def _timed(self, request: CueRequest, work: Interval) -> None:
        assert request.at_ms is not None
        moment = work.start_ms + request.at_ms
        length = self.speech_ms[request.phrase]
        start = self.busy.earliest(moment, work.end_ms, length)
        if start is not None and start - moment > SLIDE_MS:
            start = None
        if start is None and request.role in NEVER_DROPPED:
            start = self.busy.earliest(work.start_ms, work.end_ms, length)
        if start is None:
            self._drop(request, f"no room near its moment in the {_seconds(work.length_ms)} s work")
            return
        self._commit_one(_speech(start, request.role, request.text, request.phrase, self.speech_ms))

    def place_outro(self, text: str, outro: Interval) -> None:
        start = outro.start_ms + BEEP_MS[Role.END] + OUTRO_DELAY_MS
        self._commit_one(_speech(start, Role.OUTRO, text, text, self.speech_ms))

    def _lengths(self, requests: Iterable[CueRequest]) -> list[int]:
        return [self.speech_ms[r.phrase] for r in requests]

    def _commit(self, requests: list[CueRequest], starts: list[int]) -> None:
        for request, start in zip(requests, starts, strict=True):
            cue = _speech(start, request.role, request.text, request.phrase, self.speech_ms)
            self._commit_one(cue)

    def _commit_one(self, cue: Cue) -> None:
        self.busy.add_cue(cue)
        self.cues.append(cue)

    def _drop(self, request: CueRequest, reason: str) -> None:
        self.dropped.append(Dropped(request.role, request.text, reason))


def _priority(request: CueRequest) -> int:
    """Never-dropped cues first, then the reverse of the drop order."""
    if request.role not in DROP_ORDER:
        return -1
    return len(DROP_ORDER) - DROP_ORDER.index(request.role)


def _least_important(group: list[CueRequest]) -> CueRequest | None:
    droppable = [r for r in group if r.role in DROP_ORDER]
    if not droppable:
        return None
    # Among equals (tips), the last one spoken goes first.
    return min(reversed(droppable), key=lambda r: DROP_ORDER.index(r.role))


def _bare(request: CueRequest) -> CueRequest:
    """The request said with its short text (the name alone, without "Next up")."""
    if request.fallback is None:
        return request
    text, spoken = request.fallback
    return replace(request, text=text, spoken=spoken, fallback=None)


def _speech(start: int, role: Role, text: str, phrase: str, speech_ms: Mapping[str, int]) -> Cue:
    spoken = phrase if phrase != text else None
    return Cue(start, start + speech_ms[phrase], CueKind.SPEECH, role, text, spoken)


def _seconds(ms: int) -> str:
    return f"{ms / 1000:g}"
