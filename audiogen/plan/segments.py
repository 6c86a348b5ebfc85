"""The intervals of a workout in order, from the spec's table of formats.

Pure and lazy: counting the length of an absurd workout can stop early.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from audiogen.plan.timeline import IntervalKind, Side
from audiogen.workout.model import Block, BlockFormat, CueSettings, Exercise, Sides, Workout
from audiogen.workout.schema import MAX_TRACK_MS


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
    # The block's `say`, for its round call.
    block_say: str | None = None
    # A rest between the two sides of a `sides: each` exercise.
    side_rest: bool = False

    @property
    def second_side(self) -> bool:
        """The second of an exercise's two sides (the first is its `first_side`)."""
        first = self.exercise.first_side if self.exercise else None
        return self.side is not None and str(self.side) != str(first)


def segments(workout: Workout) -> Iterator[Segment]:
    last = len(workout.blocks) - 1
    for number, block in enumerate(workout.blocks):
        yield from _without_trailing_rest(_block_segments(block))
        if number < last and block.rest_after_ms > 0:
            yield _rest(block, block.rest_after_ms)


def workout_length_ms(workout: Workout) -> int:
    """Length of the work and rest intervals; stops counting just past the 12-hour limit
    so an absurd `rounds` costs no time."""
    total = 0
    for segment in segments(workout):
        total += segment.length_ms
        if total > MAX_TRACK_MS:
            break
    return total


def _rest(block: Block, length_ms: int, *, side_rest: bool = False) -> Segment:
    return Segment(IntervalKind.REST, length_ms, block.cues, block=block.name, side_rest=side_rest)


def _without_trailing_rest(items: Iterator[Segment]) -> Iterator[Segment]:
    """A block's own last rest gives way to `rest_after`."""
    held: Segment | None = None
    for segment in items:
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
                yield _rest(block, rest)


def _amrap(block: Block) -> Segment:
    length = block.time_ms or 0
    # compile_plan names unnamed blocks before it asks for segments; counting the
    # workout's length needs no names.
    whole = Exercise(name=block.name or "", work_ms=length, rest_ms=0, say=block.say)
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
            yield _rest(block, exercise.rest_ms)


def _exercise(
    block: Block, exercise: Exercise, round_number: int, opens: bool, first: bool
) -> Iterator[Segment]:
    if exercise.sides is not Sides.EACH:
        yield _work(block, exercise, exercise.work_ms, round_number, first, opens=opens)
        return
    one = Side(str(exercise.first_side))
    two = Side.LEFT if one is Side.RIGHT else Side.RIGHT
    yield _work(block, exercise, exercise.work_ms, round_number, first, opens, one)
    if exercise.side_rest_ms > 0:
        yield _rest(block, exercise.side_rest_ms, side_rest=True)
    yield _work(block, exercise, exercise.work_ms, round_number, False, False, two)


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
        block_say=block.say,
    )
