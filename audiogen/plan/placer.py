"""Placing spoken cues on the track: where each fits clear of every beep and every other
cue, the most important first; what fits nowhere is listed as dropped with a reason."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from audiogen.plan.busy import Busy
from audiogen.plan.leadin import OUTRO_DELAY_MS
from audiogen.plan.ranks import (
    bare,
    droppable,
    least_important,
    priority,
    request_cue,
    seconds,
    speech_cue,
)
from audiogen.plan.requests import CueRequest
from audiogen.plan.timeline import (
    BEEP_MS,
    NEVER_DROPPED,
    Cue,
    Dropped,
    Interval,
    IntervalKind,
    Role,
)
from audiogen.plan.wording import Words

SLIDE_MS = 2000  # how much later than its moment a timed call may still be spoken
PROMPT_SLIDE_MS = 5000  # rule 9: a prompt may wait this long for a beep or a name
TAIL_MS = 20_000  # how early in the work before it "Next up" may come when there is no rest
QUIET_MAX_MS = 30_000  # rule 10: the longest speech-free stretch in a rest
GET_READY_EARLY_MS = 5000  # how much earlier than asked the get-ready reminder may start


@dataclass
class Placer:
    busy: Busy
    speech_ms: Mapping[str, int]
    cues: list[Cue] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    # Work intervals where a cue that is never left out found no room.
    stuck: list[Interval] = field(default_factory=list)

    def place_work(
        self,
        requests: Sequence[CueRequest],
        before: Interval,
        work: Interval,
        *,
        late: Sequence[CueRequest] | None = None,
        rest: Sequence[CueRequest] = (),
        countdown: int = 0,
    ) -> None:
        """A work interval's cues, and those of the rest before it. `late`: the
        announcements already known not to fit before it (the lead-in's leftovers)."""
        announcements = [r for r in requests if r.at_ms is None]
        if before.kind is IntervalKind.REST:
            hi = work.start_ms - countdown * 1000
            self._place_rest(rest, announcements, before, hi)
        if late is None:
            late = self._announce(announcements, before)
        self._fallback([r for r in late if not droppable(r)], work)
        # The most important first; among equals (two prompts), the earlier moment first.
        timed = sorted(
            (r for r in requests if r.at_ms is not None), key=lambda r: (priority(r), r.at_ms)
        )
        for request in timed:
            self._timed(request, work)
        where = f"a {seconds(before.length_ms)} s rest" if before.kind is IntervalKind.REST else ""
        self._overflow([r for r in late if droppable(r)], work, where)

    # ---- the rest before the work -------------------------------------------------------

    def _place_rest(
        self, requests: Sequence[CueRequest], names: list[CueRequest], rest: Interval, hi: int
    ) -> None:
        """The rest call, get-ready reminder and time-left calls, most important first,
        each only if the next exercise's name still fits in the rest beside it."""
        must = [r for r in names if not droppable(r)]
        # The rest's own calls (once placed) break its silence, as the words already there do.
        calls = [rest.start_ms + r.at_ms for r in requests if r.role is Role.REST and r.at_ms]
        for request in sorted(requests, key=priority):
            start = self._rest_start(request, rest, hi, calls)
            where = f"the {seconds(rest.length_ms)} s rest"
            if start is None:
                self._drop(request, f"no room near its moment in {where}")
                continue
            cue = request_cue(start, request, self.speech_ms)
            if not self._keeps_room(cue, must, rest):
                self._drop(request, f"no room beside the next name in {where}")
                continue
            self._commit_one(cue)

    def _rest_start(
        self, request: CueRequest, rest: Interval, hi: int, calls: list[int]
    ) -> int | None:
        assert request.at_ms is not None
        moment, length = rest.start_ms + request.at_ms, self.speech_ms[request.phrase]
        if request.role is not Role.GET_READY:
            start = self.busy.earliest(moment, hi, length)
            return start if start is not None and start - moment <= SLIDE_MS else None
        # Rule 10: never later than 30 s after the last words already in the rest.
        spoken = [c.end_ms for c in self.cues if rest.start_ms <= c.start_ms < rest.end_ms]
        last = max([*spoken, *(t for t in calls if t < moment)], default=rest.start_ms)
        moment = min(moment, last + QUIET_MAX_MS)
        lo = max(rest.start_ms, moment - GET_READY_EARLY_MS)
        starts = self.busy.fit_sequence_latest(lo, min(moment + length, hi), [length])
        return starts[0] if starts else None

    def _keeps_room(self, cue: Cue, must: list[CueRequest], rest: Interval) -> bool:
        """Whether the names that fit the rest now still fit once `cue` is placed."""
        for group in (must, [bare(r) for r in must]):
            lengths = self._lengths(group)
            if self.busy.fit_sequence(rest.start_ms, rest.end_ms, lengths) is not None:
                trial = self.busy.copy()
                trial.add_cue(cue)
                return trial.fit_sequence(rest.start_ms, rest.end_ms, lengths) is not None
        return True  # the names go after the start beep whatever happens here

    # ---- announcements ------------------------------------------------------------------

    def _announce(self, requests: list[CueRequest], gap: Interval) -> list[CueRequest]:
        """Speak the announcements in the rest before the work interval, setting aside
        the least important until they fit. Returns, in spoken order, what did not fit."""
        if gap.kind is IntervalKind.WORK:
            return self._announce_in_tail(requests, gap)
        if gap.kind is not IntervalKind.REST:
            return list(requests)
        group, late = list(requests), []
        while group and not self._try(group, gap):
            victim = least_important(group)
            if victim is None:
                late += self._announce_short(group, gap)
                break
            group.remove(victim)
            late.append(victim)
        return [r for r in requests if r in late]

    def _announce_in_tail(self, requests: list[CueRequest], work: Interval) -> list[CueRequest]:
        """With no rest between two work intervals, "Next up" goes into the end of the
        one before, as late as it fits before its countdown; tips follow the next start."""
        must = [r for r in requests if not droppable(r)]
        lo = max(work.start_ms + work.length_ms // 2, work.end_ms - TAIL_MS)
        for group in (must, [bare(r) for r in must]):
            starts = self.busy.fit_sequence_latest(lo, work.end_ms, self._lengths(group))
            if starts is not None:
                self._commit(group, starts)
                return [r for r in requests if droppable(r)]
        return list(requests)

    def _announce_short(self, group: list[CueRequest], gap: Interval) -> list[CueRequest]:
        """In a rest too short for "Next up: ...", the bare name may still fit; only what
        fits nowhere here moves into the work interval."""
        short = [bare(r) for r in group]
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
                self._drop(request, f"no room in the {seconds(work.length_ms)} s work interval")
                self.stuck.append(work)
                continue
            self._commit_one(speech_cue(start, request.role, text, phrase, self.speech_ms))
            t = start

    def _overflow(self, requests: list[CueRequest], work: Interval, rest: str) -> None:
        """Tips and previews with no room before the work carry on in the first half of
        the work interval, after what is already placed there (name, halfway, ...)."""
        t, half = work.start_ms, work.start_ms + work.length_ms // 2
        where = f"{rest} or the first half of the work" if rest else "the first half of the work"
        for request in requests:
            start = self.busy.earliest(t, half, self.speech_ms[request.phrase])
            if start is None:
                self._drop(request, f"no room in {where}")
                continue
            self._commit_one(request_cue(start, request, self.speech_ms))
            t = start

    # ---- calls at a moment ------------------------------------------------------------

    def _timed(self, request: CueRequest, work: Interval) -> None:
        assert request.at_ms is not None
        moment = work.start_ms + request.at_ms
        length = self.speech_ms[request.phrase]
        slide = PROMPT_SLIDE_MS if request.role is Role.PROMPT else SLIDE_MS
        start = self.busy.earliest(moment, work.end_ms, length)
        if start is not None and start - moment > slide:
            start = None
        if start is None and request.role in NEVER_DROPPED:
            start = self.busy.earliest(work.start_ms, work.end_ms, length)
            if start is None:  # like a name with no room: take the closing ticks' room
                self.stuck.append(work)
        if start is None:
            self._drop(request, f"no room near its moment in the {seconds(work.length_ms)} s work")
            return
        self._commit_one(request_cue(start, request, self.speech_ms))

    def place_outro(self, words: Words, outro: Interval) -> None:
        start = outro.start_ms + BEEP_MS[Role.END] + OUTRO_DELAY_MS
        self._commit_one(speech_cue(start, Role.OUTRO, words.text, words.spoken, self.speech_ms))

    # ---- bookkeeping -------------------------------------------------------------------

    def _lengths(self, requests: Iterable[CueRequest]) -> list[int]:
        return [self.speech_ms[r.phrase] for r in requests]

    def _commit(self, requests: list[CueRequest], starts: list[int]) -> None:
        for request, start in zip(requests, starts, strict=True):
            self._commit_one(request_cue(start, request, self.speech_ms))

    def _commit_one(self, cue: Cue) -> None:
        self.busy.add_cue(cue)
        self.cues.append(cue)

    def _drop(self, request: CueRequest, reason: str) -> None:
        self.dropped.append(Dropped(request.role, request.text, reason))
