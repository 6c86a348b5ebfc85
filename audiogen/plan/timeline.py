"""The timeline: what plays when. The plan the audio is rendered from.

Times are integer milliseconds from the start of the track; seconds appear only in
`to_json` and the readable table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from audiogen.plan.phrasebook import Titles, english_titles
from audiogen.workout.durations import format_clock


class IntervalKind(StrEnum):
    LEAD_IN = "lead-in"
    WORK = "work"
    REST = "rest"
    OUTRO = "outro"


class CueKind(StrEnum):
    SPEECH = "speech"
    BEEP = "beep"


class Role(StrEnum):
    """What a cue is for. Speech roles first, then beep roles."""

    INTRO = "intro"
    NEXT = "next"
    NAME = "name"
    TIP = "tip"
    MODIFICATION = "modification"
    ROUND = "round"
    HALFWAY = "halfway"
    SWITCH = "switch"
    TIME_LEFT = "time-left"
    CIRCUIT = "circuit"
    OUTRO = "outro"
    # Version 1.1
    GO = "go"
    REST = "rest"
    GET_READY = "get-ready"
    PROMPT = "prompt"
    EQUIPMENT = "equipment"
    COUNTDOWN = "countdown"
    START = "start"
    END = "end"


BEEP_ROLES = frozenset({Role.COUNTDOWN, Role.START, Role.END})
# Roles the spec says are never left out, whatever the time available. (An intro or
# outro too long for its slot is shortened to the title, and listed as dropped.)
NEVER_DROPPED = frozenset({Role.NAME, Role.SWITCH, Role.ROUND, Role.CIRCUIT})

# Each beep's length in milliseconds. The start beep is longer and higher than a tick,
# the end beep lower and longer, so a listener tells them apart without looking.
BEEP_MS: dict[Role, int] = {
    Role.COUNTDOWN: 150,
    Role.START: 400,
    Role.END: 500,
}


class Side(StrEnum):
    RIGHT = "right"
    LEFT = "left"


@dataclass(frozen=True)
class Interval:
    start_ms: int
    end_ms: int
    kind: IntervalKind
    exercise: str | None = None
    block: str | None = None
    round: int | None = None
    rounds: int | None = None
    side: Side | None = None

    @property
    def length_ms(self) -> int:
        return self.end_ms - self.start_ms

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "start": _seconds(self.start_ms),
            "end": _seconds(self.end_ms),
            "kind": str(self.kind),
        }
        if self.kind is IntervalKind.WORK:
            data.update(
                exercise=self.exercise,
                block=self.block,
                round=self.round,
                rounds=self.rounds,
                side=str(self.side) if self.side else None,
            )
        return data


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    kind: CueKind
    role: Role
    text: str | None = None
    # What the engine is asked to say, when it differs from the shown text.
    spoken: str | None = None

    @property
    def phrase(self) -> str:
        """The text to synthesize for a speech cue."""
        return self.spoken or self.text or ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "start": _seconds(self.start_ms),
            "end": _seconds(self.end_ms),
            "kind": str(self.kind),
            "role": str(self.role),
        }
        if self.text is not None:
            data["text"] = self.text
        if self.spoken is not None:
            # The words the voice says, where `say` or `pronounce` changed them.
            data["say"] = self.spoken
        return data


@dataclass(frozen=True)
class Dropped:
    role: Role
    text: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"role": str(self.role), "text": self.text, "reason": self.reason}


@dataclass(frozen=True)
class Timeline:
    title: str
    duration_ms: int
    intervals: tuple[Interval, ...]
    cues: tuple[Cue, ...]
    dropped: tuple[Dropped, ...] = field(default=())
    # What the output files call its parts (not in the JSON: the files show them).
    titles: Titles = field(default_factory=english_titles)

    @property
    def work_intervals(self) -> tuple[Interval, ...]:
        return tuple(i for i in self.intervals if i.kind is IntervalKind.WORK)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "duration": _seconds(self.duration_ms),
            "intervals": [i.to_json() for i in self.intervals],
            "cues": [c.to_json() for c in self.cues],
            "dropped": [d.to_json() for d in self.dropped],
        }

    def to_table(self) -> str:
        """The readable form `audiogen timeline` prints: one event a line, in time order."""
        rows = [f"{self.title}  ({format_clock(self.duration_ms)})"]
        events = [(i.start_ms, 0, _interval_row(i)) for i in self.intervals]
        events += [(c.start_ms, 1, _cue_row(c)) for c in self.cues]
        rows += [f"{format_clock(t):>10}  {text}" for t, _, text in sorted(events)]
        rows.append(f"{format_clock(self.duration_ms):>10}  end")
        rows += [f"   dropped  {d.role}: {d.text!r} ({d.reason})" for d in self.dropped]
        return "\n".join(rows)


def _interval_row(interval: Interval) -> str:
    head = f"== {interval.kind} {format_clock(interval.length_ms)}"
    if interval.kind is not IntervalKind.WORK:
        return head
    side = f" ({interval.side})" if interval.side else ""
    where = f"[{interval.block}, round {interval.round}/{interval.rounds}]"
    return f"{head}  {interval.exercise}{side}  {where}"


def _cue_row(cue: Cue) -> str:
    if cue.kind is CueKind.BEEP:
        return f"   beep {cue.role}"
    said = f"  (said: {cue.spoken})" if cue.spoken else ""
    return f"   say {cue.role}: {cue.text}{said}"


def _seconds(ms: int) -> float:
    return round(ms / 1000, 3)
