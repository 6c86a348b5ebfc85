"""The validated workout: what the loader produces and the compiler reads.

Every setting is resolved here (exercise, then block, then file, then built-in
defaults), so later stages never look anything up twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from audiogen.errors import Position


class BlockFormat(StrEnum):
    INTERVALS = "intervals"
    TABATA = "tabata"
    EMOM = "emom"
    AMRAP = "amrap"


class Sides(StrEnum):
    SWITCH = "switch"
    EACH = "each"


class FirstSide(StrEnum):
    RIGHT = "right"
    LEFT = "left"


DEFAULT_GET_READY_S = 10


@dataclass(frozen=True)
class CueSettings:
    """Which cues are spoken. Defaults are what a coach would say in a normal session."""

    tips: int = 2
    modification: bool = False
    next_up: bool = True
    halfway: bool = True
    time_left: tuple[int, ...] = (10,)
    countdown: int = 3
    rounds: bool = True
    # Version 1.1: "Go!" after each start beep; "Rest" (with its length, and its time
    # left in long rests) after each end beep; a get-ready reminder this many seconds
    # before work that follows a long rest (0 = off).
    go: bool = False
    rest: bool = True
    get_ready: int = DEFAULT_GET_READY_S


# Speaking rate in words per minute: espeak's documented range, which every engine maps.
RATE_RANGE = (80, 450)


@dataclass(frozen=True)
class EngineSetting:
    """A profile key only its engine understands (espeak's `pitch`, say). The engine
    checks it; `position` places its mistakes in the profile file."""

    key: str
    value: str | int | float | bool
    position: Position | None = None


@dataclass(frozen=True)
class VoiceProfile:
    """How the coach sounds: an engine, one of its voices, and settings.

    The common settings (rate, volume) are checked here, once; engine-specific ones
    are carried as they were written and checked by the engine they belong to.
    """

    name: str = "default"
    engine: str = "espeak"
    voice: str = "en-us"
    rate: int = 175
    volume: float = 1.0
    description: str = ""
    # A folder of recorded phrases played instead of synthesized ones (see clips.py).
    clips: Path | None = None
    settings: tuple[EngineSetting, ...] = ()
    # Where the voice was chosen (the workout's `voice:` key, or --voice): an engine's
    # complaint about it is placed there.
    chosen_at: Position | None = None

    def __post_init__(self) -> None:
        check_rate(self.rate)
        check_volume(self.volume)

    def setting(self, key: str) -> str | int | float | bool | None:
        return next((s.value for s in self.settings if s.key == key), None)


def check_rate(value: object) -> int:
    """The rate if it is words per minute in range; ValueError saying what was expected."""
    low, high = RATE_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"expected words per minute, a whole number {low}-{high}; got {value!r}")
    return value


def check_volume(value: object) -> float:
    """The volume if it is above 0 and at most 1; ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise ValueError(f"expected a number above 0 and at most 1, got {value!r}")
    return float(value)


# A rep count: a whole number, or a range written "8-12" (low, high).
Reps = int | tuple[int, int]


@dataclass(frozen=True)
class Prompt:
    """Words spoken at an offset into each of an exercise's work intervals; a negative
    offset counts back from the interval's end."""

    at_ms: int
    say: str


@dataclass(frozen=True)
class Exercise:
    name: str
    work_ms: int
    rest_ms: int
    tips: tuple[str, ...] = ()
    modification: str | None = None
    targets: tuple[str, ...] = ()
    reps: Reps | None = None
    sides: Sides | None = None
    side_rest_ms: int = 5000
    say: str | None = None
    prompts: tuple[Prompt, ...] = ()
    first_side: FirstSide = FirstSide.RIGHT


@dataclass(frozen=True)
class Block:
    # None when the file gives none: the plan names it in the workout's language
    # ("Block 2", or "Workout" for a file's top-level `exercises`).
    name: str | None
    exercises: tuple[Exercise, ...]
    format: BlockFormat = BlockFormat.INTERVALS
    rounds: int = 1
    round_rest_ms: int = 0
    rest_after_ms: int = 0
    cues: CueSettings = field(default_factory=CueSettings)
    every_ms: int = 60_000
    time_ms: int | None = None
    say: str | None = None
    # Its place under `blocks:`, from 1; None for a file's top-level `exercises`.
    number: int | None = None


DEFAULT_VOLUME_DB = -18.0
DEFAULT_DUCK_DB = -12.0


@dataclass(frozen=True)
class MusicBed:
    """Background music: the file, its level under the voice, and the extra duck
    under speech (both in dB, negative)."""

    file: Path
    volume_db: float = DEFAULT_VOLUME_DB
    duck_db: float = DEFAULT_DUCK_DB


@dataclass(frozen=True)
class Notice:
    """A warning about a setting the workout accepts but does not use, and where it is."""

    message: str
    position: Position | None = None
    key_path: str = ""

    def __str__(self) -> str:
        where = f"{self.position}: " if self.position else ""
        at = f" at {self.key_path}" if self.key_path else ""
        return f"{where}warning{at}: {self.message}"


@dataclass(frozen=True)
class Workout:
    title: str
    blocks: tuple[Block, ...]
    description: str | None = None
    author: str | None = None
    equipment: tuple[str, ...] = ()
    voice: VoiceProfile = field(default_factory=VoiceProfile)
    music: MusicBed | None = None
    source: str = "<workout>"
    # Version 1.1. `voice_chosen` is False when neither the file nor the command line
    # names a voice: the speech stage then picks the default voice of `language`.
    language: str = "en"
    voice_chosen: bool = False
    phrases: Path | None = None
    phrases_at: Position | None = None
    intro: str | None = None
    outro: str | None = None
    # Word as written -> how it is said, longest first (see plan/wording.py).
    pronounce: tuple[tuple[str, str], ...] = ()
    warnings: tuple[Notice, ...] = ()
