"""The cues each interval asks for, worded in the workout's language.

A work interval asks for announcements before it (round call, name, preview, tips) and
calls at moments inside it (go, halfway, switch, time left, prompts). A rest asks for
the rest call, its time left and the get-ready reminder. The scheduler fits them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from audiogen.plan.segments import Segment
from audiogen.plan.timeline import Dropped, IntervalKind, Role, Side
from audiogen.plan.wording import Wording, Words
from audiogen.workout.model import BlockFormat, Exercise, Sides

HALFWAY_MIN_MS = 30_000
# Only a side rest at least this long announces the next side in it (rule 8).
SIDE_CALL_MIN_MS = 5_000
REST_LENGTH_MIN_MS = 30_000  # "Rest, 60 seconds" from here
REST_LEFT_MIN_MS = 45_000  # the rest's time left every 30 s from here
REST_LEFT_EVERY_MS = 30_000
GET_READY_MIN_MS = 25_000
TIME_LEFT_AFTER_HALF_MS = 2_000  # a time-left call comes this far past the midpoint


@dataclass(frozen=True)
class CueRequest:
    """A cue an interval asks for. `at_ms` is its offset inside the interval, or None
    for an announcement spoken before the (work) interval starts."""

    role: Role
    text: str
    segment: int
    at_ms: int | None = None
    spoken: str | None = None
    # What to say instead when an announcement has to move into the work interval
    # itself, right after its start beep (shown text, spoken text).
    fallback: tuple[str, str] | None = None
    # The role whose priority it has when time is short, if not its own (a rest's
    # time-left calls are `rest` cues that go as early as time-left calls).
    rank_as: Role | None = None

    @property
    def phrase(self) -> str:
        return self.spoken or self.text


def request(
    role: Role,
    words: Words,
    segment: int,
    *,
    at_ms: int | None = None,
    fallback: tuple[str, str] | None = None,
    rank_as: Role | None = None,
) -> CueRequest:
    spoken = words.spoken if words.spoken != words.text else None
    return CueRequest(role, words.text, segment, at_ms, spoken, fallback, rank_as)


@dataclass(frozen=True)
class Requests:
    """How one workout's segments are worded into requests."""

    words: Wording
    segments: Sequence[Segment]
    several_blocks: bool

    def all(self) -> Iterator[CueRequest]:
        for index, segment in enumerate(self.segments):
            if segment.kind is IntervalKind.WORK:
                yield from self.announcements(index, segment)
                yield from self.in_work(index, segment)
            else:
                yield from self.in_rest(index, segment)

    def skipped(self) -> Iterator[Dropped]:
        """Calls asked for that no interval has room for, whatever the speech lengths."""
        for segment in self.segments:
            if segment.kind is IntervalKind.WORK:
                yield from self._skipped_in_work(segment)

    # ---- naming the work ------------------------------------------------------------

    def move(self, exercise: Exercise) -> Words:
        """The exercise with its reps: "10 Calf Raises", "8 to 12 Push-ups"."""
        name = self.words.named(exercise.name, exercise.say)
        if exercise.reps is None:
            return name
        return self.words.with_reps(name, exercise.reps, exercise.say)

    def name(self, segment: Segment) -> Words:
        """The move with its side: "Lunge, left side"."""
        exercise = segment.exercise
        assert exercise is not None
        name = self.move(exercise)
        side = segment.side or _switch_start(exercise)
        if side is None:
            return name
        side_word = self.words.phrase(f"side_{side}")
        return self.words.phrase("name_side", name=name, side=side_word)

    def announcements(self, index: int, segment: Segment) -> Iterator[CueRequest]:
        round_call = self._round_call(segment)
        if round_call is not None:
            yield request(Role.ROUND, round_call, index)
        yield self._name_request(index, segment)
        if segment.format is BlockFormat.AMRAP:
            yield request(Role.CIRCUIT, self._circuit(segment), index)
        if segment.second_side:
            return
        exercise, cues = segment.exercise, segment.cues
        assert exercise is not None
        if cues.next_up and exercise.targets:
            targets = self.words.join([self.words.plain(t) for t in exercise.targets])
            yield request(Role.NEXT, self.words.phrase("works", targets=targets), index)
        for tip in exercise.tips[: cues.tips]:
            yield request(Role.TIP, self.words.plain(tip), index)
        if cues.modification and exercise.modification:
            text = self.words.plain(exercise.modification)
            yield request(Role.MODIFICATION, self.words.phrase("modification", text=text), index)

    def _name_request(self, index: int, segment: Segment) -> CueRequest:
        bare = self.name(segment)
        fallback = (bare.text, bare.spoken)
        before = self.segments[index - 1] if index else None
        if segment.second_side and before is not None and _long_side_rest(before):
            # Rule 8: the side alone fits a short side rest, before the start beep.
            said = self.words.phrase(f"{segment.side}_side")
            return request(Role.NAME, said, index, fallback=fallback)
        lead = "first_up" if index == 0 else "next_up"
        return request(Role.NAME, self.words.phrase(lead, name=bare), index, fallback=fallback)

    def _round_call(self, segment: Segment) -> Words | None:
        # An AMRAP's name is its block's name: calling the block too would say it twice.
        if segment.format is BlockFormat.AMRAP:
            return None
        named = self.several_blocks and segment.opens_block
        block = self.words.named(segment.block or "", segment.block_say)
        rounds = segment.rounds or 1
        if not segment.opens_round or not segment.cues.rounds or rounds < 2:
            return self.words.phrase("block", block=block) if named else None
        word = "minute" if segment.format is BlockFormat.EMOM else "round"
        key = f"block_{word}" if named else word
        fields = {"block": block} if named else {}
        return self.words.phrase(key, round=segment.round or 1, rounds=rounds, **fields)

    def _circuit(self, segment: Segment) -> Words:
        moves = self.words.join([self.move(e) for e in segment.circuit])
        return self.words.phrase(
            "amrap", duration=self.words.duration(segment.length_ms), moves=moves
        )

    # ---- inside the work --------------------------------------------------------------

    def in_work(self, index: int, segment: Segment) -> Iterator[CueRequest]:
        for role, at_ms, words in self._timed(segment):
            yield request(role, words, index, at_ms=at_ms)

    def _timed(self, segment: Segment) -> Iterator[tuple[Role, int, Words]]:
        length, cues, exercise = segment.length_ms, segment.cues, segment.exercise
        assert exercise is not None
        midpoint = length // 2
        if cues.go:
            yield Role.GO, 0, self.words.phrase("go")
        if exercise.sides is Sides.SWITCH:
            yield Role.SWITCH, midpoint, self.words.phrase("switch")
        elif cues.halfway and length >= HALFWAY_MIN_MS:
            yield Role.HALFWAY, midpoint, self.words.phrase("halfway")
        if segment.format is BlockFormat.AMRAP:
            skip = midpoint if cues.halfway else None
            yield from (call for call in self._minute_calls(length) if call[1] != skip)
        for seconds in cues.time_left:
            at = length - seconds * 1000
            if at >= midpoint + TIME_LEFT_AFTER_HALF_MS:
                yield Role.TIME_LEFT, at, self._seconds_left(seconds)
        for prompt in exercise.prompts:
            at = prompt.at_ms if prompt.at_ms >= 0 else length + prompt.at_ms
            if 0 <= at < length:
                yield Role.PROMPT, at, self.words.plain(prompt.say)

    def _seconds_left(self, seconds: int) -> Words:
        return self.words.phrase("seconds_left", duration=self.words.duration(seconds * 1000))

    def _minute_calls(self, length: int) -> Iterator[tuple[Role, int, Words]]:
        for at in range(60_000, length - 30_000, 60_000):
            left = self.words.duration(length - at)
            yield Role.TIME_LEFT, at, self.words.phrase("minutes_left", duration=left)

    def _skipped_in_work(self, segment: Segment) -> Iterator[Dropped]:
        length, exercise = segment.length_ms, segment.exercise
        assert exercise is not None
        where = f"the {_seconds(length)} s work interval"
        for seconds in segment.cues.time_left:
            if length - seconds * 1000 < length // 2 + TIME_LEFT_AFTER_HALF_MS:
                text = self._seconds_left(seconds).text
                reason = f"no room: it would fall in the first half of {where}"
                yield Dropped(Role.TIME_LEFT, text, reason)
        for prompt in exercise.prompts:
            at = prompt.at_ms if prompt.at_ms >= 0 else length + prompt.at_ms
            if not 0 <= at < length:
                reason = f"no room: {_seconds(prompt.at_ms)} s is outside {where}"
                yield Dropped(Role.PROMPT, prompt.say, reason)

    # ---- rests --------------------------------------------------------------------

    def in_rest(self, index: int, rest: Segment) -> Iterator[CueRequest]:
        length, cues = rest.length_ms, rest.cues
        if cues.rest and not rest.side_rest:
            key = "rest_for" if length >= REST_LENGTH_MIN_MS else "rest"
            said = self.words.phrase(key, duration=self.words.duration(length))
            yield request(Role.REST, said, index, at_ms=0)
        if cues.rest and length >= REST_LEFT_MIN_MS:
            # Every 30 s counted from the end, even just after the rest call: a call
            # skipped there would leave more than 30 s of silence (rule 10).
            for left in range(REST_LEFT_EVERY_MS, length, REST_LEFT_EVERY_MS):
                said = self.words.phrase("rest_left", duration=self.words.duration(left))
                yield request(Role.REST, said, index, at_ms=length - left, rank_as=Role.TIME_LEFT)
        following = self.segments[index + 1] if index + 1 < len(self.segments) else None
        if cues.get_ready and length >= GET_READY_MIN_MS and following is not None:
            said = self.words.phrase("get_ready", name=self.name(following))
            at = max(0, length - cues.get_ready * 1000)
            yield request(Role.GET_READY, said, index, at_ms=at)


def _switch_start(exercise: Exercise) -> Side | None:
    """A `sides: switch` exercise is named with the side it starts on."""
    return Side(str(exercise.first_side)) if exercise.sides is Sides.SWITCH else None


def _long_side_rest(segment: Segment) -> bool:
    return segment.side_rest and segment.length_ms >= SIDE_CALL_MIN_MS


def _seconds(ms: int) -> str:
    return f"{ms / 1000:g}"
