"""Compile a workout into a plan: the intervals in order and the cues each one asks for,
worded in the workout's language.

Pure apart from reading the phrasebook: no audio imports. The plan does not yet know
how long each phrase takes to say; `scheduler.schedule` fits the cues into time once
it does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import yaml

from audiogen.errors import WorkoutError
from audiogen.plan.phrasebook import Phrasebook, PhrasebookError, Titles, load_phrasebook
from audiogen.plan.requests import CueRequest, Requests
from audiogen.plan.segments import Segment, segments, workout_length_ms
from audiogen.plan.timeline import Dropped, IntervalKind
from audiogen.plan.wording import Wording, Words
from audiogen.workout.model import Block, Workout
from audiogen.workout.schema import MAX_TRACK_MS

__all__ = [
    "CueRequest", "Plan", "Segment", "compile_plan", "track_minutes", "workout_length_ms",
]  # fmt: skip

# Rule 11: the lead-in never lasts longer than this, and an outro (which rule 6 keeps
# short) is never longer than this.
LEAD_IN_MAX_MS = 30_000
OUTRO_MAX_MS = 10_000


@dataclass(frozen=True)
class Plan:
    title: str
    segments: tuple[Segment, ...]
    requests: tuple[CueRequest, ...]
    # The intro and outro for each track length (in whole minutes) the lead-in and
    # outro may bring about: the scheduler picks those that match the track it builds.
    intros: tuple[tuple[int, Words], ...]
    outros: tuple[tuple[int, Words], ...]
    # Said instead when the intro or outro is too long for its slot (rule 11).
    short_intro: Words
    short_outro: Words
    # What the output files call the intervals, from the same phrasebook as the speech.
    titles: Titles
    equipment: Words | None = None
    language: str = "en"
    # Calls no interval has room for whatever the speech lengths (rule 5's "says what
    # it left out"): a time-left call in the first half, a prompt past the end.
    skipped: tuple[Dropped, ...] = ()

    @property
    def work_segment_indexes(self) -> list[int]:
        return [i for i, s in enumerate(self.segments) if s.kind is IntervalKind.WORK]

    @property
    def workout_ms(self) -> int:
        return sum(s.length_ms for s in self.segments)

    def phrases(self) -> list[str]:
        """Every distinct phrase the track may speak, in first-use order."""
        texts = [words.spoken for _, words in self.intros]
        texts += [w.spoken for w in (self.short_intro, self.equipment) if w is not None]
        texts += [r.phrase for r in self.requests]
        texts += [words.spoken for _, words in self.outros] + [self.short_outro.spoken]
        texts += [r.fallback[1] for r in self.requests if r.fallback]
        return list(dict.fromkeys(texts))


def track_minutes(ms: int) -> int:
    """A track's length as the intro says it: rounded to the nearest minute, at least 1."""
    return max(1, (ms + 30_000) // 60_000)


def compile_plan(workout: Workout) -> Plan:
    """The intervals and the cue requests of a workout; WorkoutError past 12 hours or
    for a phrasebook that cannot be used."""
    _check_length(workout)
    words = Wording(_phrasebook(workout), workout.pronounce)
    workout = _named_blocks(workout, words.book)
    found = tuple(segments(workout))
    several = len({s.block for s in found if s.kind is IntervalKind.WORK}) > 1
    asked = Requests(words, found, several)
    plan = Plan(
        title=workout.title,
        segments=found,
        requests=tuple(asked.all()),
        intros=(),
        outros=(),
        short_intro=words.plain(f"{workout.title}."),
        short_outro=words.plain(f"{workout.title}."),
        titles=words.book.titles,
        language=workout.language,
        skipped=tuple(asked.skipped()),
    )
    return _with_intro(plan, workout, words)


def _phrasebook(workout: Workout) -> Phrasebook:
    try:
        return load_phrasebook(workout.language, workout.phrases)
    except PhrasebookError as exc:
        hint = "keep each phrase's {fields} as in the built-in phrasebook (docs/format.md)"
        where = f"{workout.phrases}: " if workout.phrases else ""
        raise WorkoutError(
            f"{where}{exc}", position=workout.phrases_at, key_path="phrases", hint=hint
        ) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise WorkoutError(
            f"cannot read the phrasebook: {exc}", position=workout.phrases_at, key_path="phrases"
        ) from None


def _named_blocks(workout: Workout, book: Phrasebook) -> Workout:
    """The workout with each block the file left unnamed named in its language ("Block 2";
    "Workout" for top-level `exercises`): the name is spoken in round calls and shown."""

    def named(block: Block) -> Block:
        if block.name is not None:
            return block
        if block.number is None:
            return replace(block, name=book.say("unnamed_workout"))
        return replace(block, name=book.say("unnamed_block", number=block.number))

    return replace(workout, blocks=tuple(named(block) for block in workout.blocks))


def _with_intro(plan: Plan, workout: Workout, words: Wording) -> Plan:
    """The intro for every length the finished track may have, and the equipment line."""
    lowest = plan.workout_ms
    highest = lowest + LEAD_IN_MAX_MS + OUTRO_MAX_MS
    candidates = range(track_minutes(lowest), track_minutes(highest) + 1)
    equipment = words.join([words.plain(item) for item in workout.equipment])
    title = words.plain(workout.title)

    def filled(template: str | None, key: str, minutes: int) -> Words:
        length = words.duration(minutes * 60_000)
        if template is not None:
            return words.template(template, title=title, minutes=length, equipment=equipment)
        fields = {"title": title, "minutes": length} if key == "welcome" else {}
        return words.phrase(key, **fields)

    line = None
    if workout.equipment and workout.intro is None:
        line = words.phrase("equipment", equipment=equipment)
    return replace(
        plan,
        intros=tuple((m, filled(workout.intro, "welcome", m)) for m in candidates),
        outros=tuple((m, filled(workout.outro, "outro", m)) for m in candidates),
        equipment=line,
    )


def _check_length(workout: Workout) -> None:
    if workout_length_ms(workout) > MAX_TRACK_MS:
        raise WorkoutError(
            "the workout lasts more than 12 hours, the longest track audiogen builds",
            source=workout.source,
            hint="split it into several files",
        )
