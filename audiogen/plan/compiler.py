"""Compile a workout into a plan: the intervals in order and the cues each one asks for.

Pure: no I/O and no audio imports. The plan does not yet know how long each phrase
takes to say; `scheduler.schedule` fits the cues into time once it does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from audiogen.errors import WorkoutError
from audiogen.plan.timeline import IntervalKind, Role, Side
from audiogen.workout.durations import format_spoken
from audiogen.workout.model import Block, BlockFormat, CueSettings, Exercise, Sides, Workout
from audiogen.workout.schema import MAX_TRACK_MS

HALFWAY_MIN_MS = 30_000


@dataclass(frozen=True)
class Segment:
    """A work or rest interval, before the lead-in fixes where the workout starts."""

    kind: IntervalKind
    length_ms: int
    cues: CueSettings
    exercise: Exercise | None = None
    block: str | None = None
    round: int | None = None
    rounds: int | None = None
    side: Side | None = None
    format: BlockFormat = BlockFormat.INTERVALS
    # True when this work interval opens a round (or a block): the round call goes here.
    opens_round: bool = False
    opens_block: bool = False
    # An AMRAP interval's circuit, read out before it starts.
    circuit: tuple[Exercise, ...] = ()


@dataclass(frozen=True)
class CueRequest:
    """A cue a work interval asks for. `at_ms` is its offset inside the interval, or
    None for an announcement spoken before the interval starts."""

    role: Role
    text: str
    segment: int
    at_ms: int | None = None
    spoken: str | None = None
    # What to say instead when an announcement has to move into the work interval
    # itself, right after its start beep (shown text, spoken text).
    fallback: tuple[str, str] | None = None

    @property
    def phrase(self) -> str:
        return self.spoken or self.text


@dataclass(frozen=True)
class Plan:
    title: str
    segments: tuple[Segment, ...]
    requests: tuple[CueRequest, ...]
    intro: str
    outro: str

    @property
    def work_segment_indexes(self) -> list[int]:
        return [i for i, s in enumerate(self.segments) if s.kind is IntervalKind.WORK]

    @property
    def workout_ms(self) -> int:
        return sum(s.length_ms for s in self.segments)

    def phrases(self) -> list[str]:
        """Every distinct phrase the track may speak, in first-use order."""
        texts = [self.intro, *(r.phrase for r in self.requests), self.outro]
        texts += [r.fallback[1] for r in self.requests if r.fallback]
        return list(dict.fromkeys(texts))


def compile_plan(workout: Workout) -> Plan:
    """The intervals and the cue requests of a workout; WorkoutError past 12 hours."""
    _check_length(workout)
    segments = tuple(_segments(workout))
    requests = tuple(
        request
        for index, segment in enumerate(segments)
        if segment.kind is IntervalKind.WORK
        for request in _requests(index, segment, segments)
    )
    total = sum(s.length_ms for s in segments)
    return Plan(
        title=workout.title,
        segments=segments,
        requests=requests,
        intro=f"Welcome to {workout.title}. {format_spoken(total)} in total.",
        outro="Workout complete. Great work!",
    )


def _check_length(workout: Workout) -> None:
    if workout_length_ms(workout) > MAX_TRACK_MS:
        raise WorkoutError(
            "the workout lasts more than 12 hours, the longest track audiogen builds",
            source=workout.source,
            hint="split it into several files",
        )


def workout_length_ms(workout: Workout) -> int:
    """Length of the work and rest intervals; stops counting just past the 12-hour limit
    so an absurd `rounds` costs no time."""
    total = 0
    for segment in _segments(workout):
        total += segment.length_ms
        if total > MAX_TRACK_MS:
            break
    return total


# ---- intervals ------------------------------------------------------------------


def _segments(workout: Workout) -> Iterator[Segment]:
    last = len(workout.blocks) - 1
    for number, block in enumerate(workout.blocks):
        yield from _without_trailing_rest(_block_segments(block))
        if number < last and block.rest_after_ms > 0:
            yield Segment(IntervalKind.REST, block.rest_after_ms, block.cues, block=block.name)


def _without_trailing_rest(segments: Iterator[Segment]) -> Iterator[Segment]:
    """A block's own last rest gives way to `rest_after`. Lazy, so that counting the
    length of a huge workout can stop early."""
    held: Segment | None = None
    for segment in segments:
        if held is not None:
            yield held
        held = segment
    if held is not None and held.kind is not IntervalKind.REST:
        yield held


def _block_segments(block: Block) -> Iterator[Segment]:
    if block.format is BlockFormat.INTERVALS:
        yield from _interval_rounds(block)
    elif block.format is BlockFormat.AMRAP:
        yield _amrap(block)
    else:
        yield from _cycling(block)


def _interval_rounds(block: Block) -> Iterator[Segment]:
    for round_number in range(1, block.rounds + 1):
        for position, exercise in enumerate(block.exercises):
            opens = position == 0
            yield from _exercise(block, exercise, round_number, opens, round_number == 1 and opens)
            rest = exercise.rest_ms
            if position == len(block.exercises) - 1 and round_number < block.rounds:
                rest = block.round_rest_ms
            if rest > 0:
                yield Segment(IntervalKind.REST, rest, block.cues, block=block.name)


def _amrap(block: Block) -> Segment:
    length = block.time_ms or 0
    whole = Exercise(name=block.name, work_ms=length, rest_ms=0)
    segment = _work(block, whole, length, 1, True, opens=True)
    return replace(segment, circuit=block.exercises)


def _cycling(block: Block) -> Iterator[Segment]:
    """Tabata and EMOM: `rounds` work intervals cycling through the exercises."""
    emom = block.format is BlockFormat.EMOM
    for round_number in range(1, block.rounds + 1):
        exercise = block.exercises[(round_number - 1) % len(block.exercises)]
        length = block.every_ms if emom else exercise.work_ms
        yield _work(block, exercise, length, round_number, round_number == 1, opens=True)
        if not emom and exercise.rest_ms > 0:
            yield Segment(IntervalKind.REST, exercise.rest_ms, block.cues, block=block.name)


def _exercise(
    block: Block, exercise: Exercise, round_number: int, opens: bool, first: bool
) -> Iterator[Segment]:
    if exercise.sides is not Sides.EACH:
        yield _work(block, exercise, exercise.work_ms, round_number, first, opens=opens)
        return
    yield _work(block, exercise, exercise.work_ms, round_number, first, opens, Side.RIGHT)
    if exercise.side_rest_ms > 0:
        yield Segment(IntervalKind.REST, exercise.side_rest_ms, block.cues, block=block.name)
    yield _work(block, exercise, exercise.work_ms, round_number, False, False, Side.LEFT)


def _work(
    block: Block,
    exercise: Exercise,
    length_ms: int,
    round_number: int,
    opens_block: bool,
    opens: bool,
    side: Side | None = None,
) -> Segment:
    return Segment(
        IntervalKind.WORK,
        length_ms,
        block.cues,
        exercise=exercise,
        block=block.name,
        round=round_number,
        rounds=block.rounds if block.format is not BlockFormat.AMRAP else 1,
        side=side,
        format=block.format,
        opens_round=opens,
        opens_block=opens_block,
    )


# ---- cues -----------------------------------------------------------------------


def _requests(index: int, segment: Segment, segments: tuple[Segment, ...]) -> Iterator[CueRequest]:
    for role, text, spoken in _announcements(segment, _block_count(segments) > 1):
        fallback = None
        if role is Role.NAME:
            assert segment.exercise is not None
            bare = _name(segment.exercise, segment.side)
            fallback = (bare, _name(segment.exercise, segment.side, spoken=True))
            lead = "First up" if index == 0 else "Next up"
            text, spoken = f"{lead}: {bare}", f"{lead}: {fallback[1]}"
        yield CueRequest(role, text, index, spoken=spoken, fallback=fallback)
    for role, at_ms, text in _in_work(segment):
        yield CueRequest(role, text, index, at_ms=at_ms)


def _block_count(segments: tuple[Segment, ...]) -> int:
    return len({s.block for s in segments if s.kind is IntervalKind.WORK})


def _announcements(
    segment: Segment, several_blocks: bool
) -> Iterator[tuple[Role, str, str | None]]:
    exercise, cues = segment.exercise, segment.cues
    assert exercise is not None
    # An AMRAP's name is its block's name: calling the block too would say it twice.
    round_call = (
        None if segment.format is BlockFormat.AMRAP else _round_call(segment, several_blocks)
    )
    if round_call:
        yield Role.ROUND, round_call, None
    yield Role.NAME, _name(exercise, segment.side), _name(exercise, segment.side, spoken=True)
    if segment.format is BlockFormat.AMRAP:
        yield Role.CIRCUIT, _circuit(segment), None
    if segment.side is Side.LEFT:
        return
    if cues.next_up and exercise.targets:
        yield Role.NEXT, f"Works {_join(exercise.targets)}.", None
    for tip in exercise.tips[: cues.tips]:
        yield Role.TIP, tip, None
    if cues.modification and exercise.modification:
        yield Role.MODIFICATION, f"Easier option: {exercise.modification}", None


def _round_call(segment: Segment, several_blocks: bool) -> str | None:
    block_name = f"{segment.block}. " if several_blocks and segment.opens_block else ""
    rounds = segment.rounds or 1
    if not segment.opens_round or not segment.cues.rounds or rounds < 2:
        return block_name.rstrip(" ") or None
    word = "Minute" if segment.format is BlockFormat.EMOM else "Round"
    return f"{block_name}{word} {segment.round} of {rounds}."


def _name(exercise: Exercise, side: Side | None, *, spoken: bool = False) -> str:
    name = exercise.say if spoken and exercise.say else exercise.name
    if exercise.reps:
        name = f"{exercise.reps} {plural(name) if exercise.reps > 1 else name}"
    return f"{name}, {side} side" if side else name


def plural(name: str) -> str:
    """English plural of an exercise name's last word: "Push-up" -> "Push-ups"."""
    head, _, last = name.rpartition(" ")
    lower = last.lower()
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        last += "es"
    elif lower.endswith("y") and lower[-2:-1] not in ("a", "e", "i", "o", "u"):
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}" if head else last


def _circuit(segment: Segment) -> str:
    moves = _join(tuple(_name(e, None) for e in segment.circuit))
    return f"As many rounds as you can in {format_spoken(segment.length_ms)}: {moves}."


def _in_work(segment: Segment) -> Iterator[tuple[Role, int, str]]:
    length, cues = segment.length_ms, segment.cues
    exercise = segment.exercise
    assert exercise is not None
    midpoint = length // 2
    if exercise.sides is Sides.SWITCH:
        yield Role.SWITCH, midpoint, "Switch sides"
    elif cues.halfway and length >= HALFWAY_MIN_MS:
        yield Role.HALFWAY, midpoint, "Halfway"
    if segment.format is BlockFormat.AMRAP:
        skip = midpoint if cues.halfway else None
        yield from (call for call in _minute_calls(length) if call[1] != skip)
    for seconds in cues.time_left:
        at = length - seconds * 1000
        if at >= midpoint + 2000:
            yield Role.TIME_LEFT, at, f"{seconds} seconds left"


def _minute_calls(length: int) -> Iterator[tuple[Role, int, str]]:
    for at in range(60_000, length - 30_000, 60_000):
        left = format_spoken(length - at)
        yield Role.TIME_LEFT, at, f"{left} left"


def _join(words: tuple[str, ...]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
