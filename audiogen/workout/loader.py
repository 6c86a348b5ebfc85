"""Load a workout file: YAML in, a validated `Workout` out, or a `WorkoutError` that says
where (file:line:column and key path), what was expected, and what to try instead.

YAML is parsed with the safe loader's rules into nodes, so every value keeps its
position; values are then checked against the schema one level at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import yaml

from audiogen.errors import Position, WorkoutError
from audiogen.workout import readers, schema
from audiogen.workout.defaults import FileDefault, apply_defaults
from audiogen.workout.durations import check_length
from audiogen.workout.fields import (
    Field,
    boolean,
    choice,
    compose,
    countdown,
    duration,
    integer,
    level,
    mapping,
    non_empty_list,
    non_negative_int,
    optional,
    or_default,
    positive_int,
    scalar,
    seconds_list,
    string,
    string_list,
    work_duration,
)
from audiogen.workout.ignored import ignored_settings
from audiogen.workout.keypath import apply_assignment
from audiogen.workout.model import (
    DEFAULT_DUCK_DB,
    DEFAULT_VOLUME_DB,
    Block,
    BlockFormat,
    CueSettings,
    Exercise,
    FirstSide,
    MusicBed,
    Sides,
    VoiceProfile,
    Workout,
)
from audiogen.workout.profiles import resolve_voice
from audiogen.workout.source import read_source

T = TypeVar("T")


@dataclass(frozen=True)
class Overrides:
    """Settings given on the command line; each replaces the file's value when set."""

    work_ms: int | None = None
    rest_ms: int | None = None
    rounds: int | None = None
    tips: int | None = None
    voice: str | None = None
    rate: int | None = None
    language: str | None = None
    # `--set KEY=VALUE` pairs, applied to the file before it is validated.
    sets: tuple[tuple[str, str], ...] = ()


def load_workout(
    path: str | Path,
    overrides: Overrides | None = None,
    *,
    defaults: Sequence[FileDefault] = (),
) -> Workout:
    """Read and validate the workout file at `path`; `defaults` (from the config file)
    apply where the file says nothing, `overrides` (the command line) over it."""
    path = Path(path)
    text = read_source(path)
    return parse_workout(
        text, source=str(path), overrides=overrides, base_dir=path.parent, defaults=defaults
    )


def parse_workout(
    text: str,
    *,
    source: str = "<workout>",
    overrides: Overrides | None = None,
    base_dir: Path | None = None,
    defaults: Sequence[FileDefault] = (),
) -> Workout:
    """Validate workout YAML given as text; `source` names it in error messages."""
    overrides = overrides or Overrides()
    _check_overrides(overrides)
    node = compose(text, source)
    for key, value in overrides.sets:
        apply_assignment(node, key, value)
    apply_defaults(node, defaults)
    root = Field(node, "", source)
    workout = _read_workout(root, overrides, base_dir or Path.cwd())
    return replace(workout, warnings=ignored_settings(root))


def _check_overrides(overrides: Overrides) -> None:
    """The command line's values obey the file's rules (`--set work=0` is refused, so
    `--work 0` is too)."""
    if overrides.work_ms is not None and overrides.work_ms < schema.MIN_WORK_MS:
        raise WorkoutError(
            "a work interval lasts at least 1 s", source="--work", hint="write 1s or more"
        )
    for option, ms in (("--work", overrides.work_ms), ("--rest", overrides.rest_ms)):
        try:
            check_length(ms or 0)
        except ValueError as exc:
            raise WorkoutError(str(exc), source=option) from None
    if overrides.language is not None:
        try:
            schema.check_language(overrides.language)
        except ValueError as exc:
            hint = schema.LANGUAGE_HINT
            raise WorkoutError(str(exc), source="--language", hint=hint) from None


# ---- the workout, block by block -------------------------------------------------


def _read_workout(root: Field, overrides: Overrides, base_dir: Path) -> Workout:
    keys = mapping(root, schema.TOP_LEVEL_KEYS, what="a workout")
    if "title" not in keys:
        raise root.error("the required key 'title' is missing", hint="add `title: My Workout`")
    defaults = _file_defaults(keys, overrides)
    return Workout(
        title=string(keys["title"]),
        blocks=_read_blocks(root, keys, defaults, overrides),
        description=optional(keys, "description", string),
        author=optional(keys, "author", string),
        equipment=tuple(optional(keys, "equipment", string_list) or ()),
        voice=_read_voice(keys.get("voice"), overrides, base_dir),
        music=_read_music(keys["music"], base_dir) if "music" in keys else None,
        source=root.source,
        language=_read_language(keys, overrides),
        voice_chosen="voice" in keys or overrides.voice is not None,
        phrases=optional(keys, "phrases", lambda f: _phrases_file(f, base_dir)),
        phrases_at=keys["phrases"].position if "phrases" in keys else None,
        intro=optional(keys, "intro", readers.template),
        outro=optional(keys, "outro", readers.template),
        pronounce=optional(keys, "pronounce", readers.pronounce) or (),
    )


def _read_language(keys: dict[str, Field], overrides: Overrides) -> str:
    # The file's own value is checked even where --language replaces it, as --voice does.
    in_file = optional(keys, "language", _language)
    return overrides.language or in_file or "en"


def _language(field: Field) -> str:
    try:
        return schema.check_language(str(scalar(field)))
    except ValueError as exc:
        raise field.error(str(exc), hint=schema.LANGUAGE_HINT) from None


def _phrases_file(field: Field, base_dir: Path) -> Path:
    path = base_dir / string(field)
    if not path.is_file():
        raise field.error(
            f"no phrasebook at {path}", hint="the path is relative to the workout file"
        )
    return path


def _read_music(field: Field, base_dir: Path) -> MusicBed:
    keys = mapping(field, schema.MUSIC_KEYS, what="music settings")
    if "file" not in keys:
        raise field.error("music needs a 'file'", hint="add `file: music/loop.ogg`")
    path = base_dir / string(keys["file"])
    if not path.is_file():
        hint = "the path is relative to the workout file"
        raise keys["file"].error(f"no music file at {path}", hint=hint)
    return MusicBed(
        file=path,
        volume_db=or_default(optional(keys, "volume", level), DEFAULT_VOLUME_DB),
        duck_db=or_default(optional(keys, "duck", level), DEFAULT_DUCK_DB),
    )


@dataclass(frozen=True)
class _Defaults:
    """What a block inherits from the file (and the file from built-in defaults)."""

    work_ms: int
    rest_ms: int
    rounds: int | None
    round_rest_ms: int | None
    cues: CueSettings


def _file_defaults(keys: dict[str, Field], overrides: Overrides) -> _Defaults:
    cues = _read_cues(keys["cues"], CueSettings()) if "cues" in keys else CueSettings()
    return _Defaults(
        work_ms=optional(keys, "work", work_duration) or schema.DEFAULT_WORK_MS,
        rest_ms=or_default(optional(keys, "rest", duration), schema.DEFAULT_REST_MS),
        rounds=optional(keys, "rounds", positive_int),
        round_rest_ms=optional(keys, "round_rest", duration),
        cues=_override_cues(cues, overrides),
    )


def _read_blocks(
    root: Field, keys: dict[str, Field], defaults: _Defaults, overrides: Overrides
) -> tuple[Block, ...]:
    if "exercises" in keys and "blocks" in keys:
        raise keys["blocks"].error(
            "a file has either 'exercises' (one block) or 'blocks', not both",
            hint="move the top-level exercises into a block under 'blocks'",
        )
    if "exercises" in keys:
        return (_read_block_body({"exercises": keys["exercises"]}, defaults, overrides, None),)
    if "blocks" not in keys:
        raise root.error(
            "the workout has no 'exercises' or 'blocks'",
            hint="add `exercises:` with a list of exercise names",
        )
    items = non_empty_list(keys["blocks"], what="blocks")
    return tuple(_read_block(item, defaults, overrides, n) for n, item in enumerate(items, 1))


def _read_block(field: Field, defaults: _Defaults, overrides: Overrides, number: int) -> Block:
    keys = mapping(field, schema.BLOCK_KEYS, what="a block")
    if "exercises" not in keys:
        raise field.error("a block needs 'exercises'", hint="add `exercises: [Squat, Lunge]`")
    return _read_block_body(keys, defaults, overrides, number)


def _read_block_body(
    keys: dict[str, Field], defaults: _Defaults, overrides: Overrides, number: int | None
) -> Block:
    fmt = or_default(
        optional(keys, "format", lambda f: choice(f, BlockFormat)), BlockFormat.INTERVALS
    )
    block_defaults = _block_defaults(keys, defaults, overrides, fmt)
    exercises = tuple(
        _read_exercise(item, block_defaults, overrides, fmt)
        for item in non_empty_list(keys["exercises"], what="exercises")
    )
    rest_ms = block_defaults.rest_ms
    return Block(
        # An unnamed block is named by the plan, in the workout's language.
        name=optional(keys, "name", string) or None,
        exercises=exercises,
        format=fmt,
        rounds=block_defaults.rounds or 1,
        round_rest_ms=or_default(block_defaults.round_rest_ms, rest_ms),
        rest_after_ms=or_default(optional(keys, "rest_after", duration), rest_ms),
        cues=block_defaults.cues,
        every_ms=optional(keys, "every", work_duration) or 60_000,
        time_ms=_amrap_time(keys, fmt),
        say=optional(keys, "say", string),
        number=number,
    )


_FORMAT_DEFAULTS: dict[BlockFormat, tuple[int, int, int]] = {
    BlockFormat.TABATA: (20_000, 10_000, 8),
}


def _block_defaults(
    keys: dict[str, Field], inherited: _Defaults, overrides: Overrides, fmt: BlockFormat
) -> _Defaults:
    work, rest, rounds = _FORMAT_DEFAULTS.get(
        fmt, (inherited.work_ms, inherited.rest_ms, inherited.rounds)
    )
    cues = _read_cues(keys["cues"], inherited.cues) if "cues" in keys else inherited.cues
    return _Defaults(
        work_ms=_pick(overrides.work_ms, fmt, optional(keys, "work", work_duration), work),
        rest_ms=_pick(overrides.rest_ms, fmt, optional(keys, "rest", duration), rest),
        rounds=_pick(overrides.rounds, fmt, optional(keys, "rounds", positive_int), rounds),
        round_rest_ms=or_default(optional(keys, "round_rest", duration), inherited.round_rest_ms),
        cues=_override_cues(cues, overrides),
    )


def _pick(override: int | None, fmt: BlockFormat, from_file: T | None, inherited: T) -> T | int:
    """The command line wins for `intervals` blocks; otherwise the file, then inheritance."""
    if override is not None and fmt is BlockFormat.INTERVALS:
        return override
    return or_default(from_file, inherited)


def _amrap_time(keys: dict[str, Field], fmt: BlockFormat) -> int | None:
    if fmt is not BlockFormat.AMRAP:
        return optional(keys, "time", work_duration)
    if "time" not in keys:
        raise keys["exercises"].error(
            "an amrap block needs 'time'", hint="add `time: 10m` to the block"
        )
    return work_duration(keys["time"])


def _read_exercise(
    field: Field, defaults: _Defaults, overrides: Overrides, fmt: BlockFormat
) -> Exercise:
    if isinstance(field.node, yaml.ScalarNode):
        return Exercise(name=string(field), work_ms=defaults.work_ms, rest_ms=defaults.rest_ms)
    keys = mapping(field, schema.EXERCISE_KEYS, what="an exercise (a name, or a mapping)")
    if "name" not in keys:
        raise field.error("an exercise needs a 'name'", hint="add `name: Front Squat`")
    return Exercise(
        name=string(keys["name"]),
        work_ms=_pick(
            overrides.work_ms, fmt, optional(keys, "work", work_duration), defaults.work_ms
        ),
        rest_ms=_pick(overrides.rest_ms, fmt, optional(keys, "rest", duration), defaults.rest_ms),
        tips=tuple(optional(keys, "tips", string_list) or ()),
        modification=optional(keys, "modification", string),
        targets=tuple(optional(keys, "targets", string_list) or ()),
        reps=optional(keys, "reps", readers.reps),
        sides=optional(keys, "sides", lambda f: choice(f, Sides)),
        side_rest_ms=or_default(optional(keys, "side_rest", duration), schema.DEFAULT_SIDE_REST_MS),
        say=optional(keys, "say", string),
        prompts=optional(keys, "prompts", readers.prompts) or (),
        first_side=or_default(
            optional(keys, "first_side", lambda f: choice(f, FirstSide)), FirstSide.RIGHT
        ),
    )


def _read_cues(field: Field, inherited: CueSettings) -> CueSettings:
    keys = mapping(field, schema.CUE_KEYS, what="cue settings")
    readers: dict[str, Callable[[Field], Any]] = {
        "tips": non_negative_int,
        "modification": boolean,
        "next_up": boolean,
        "halfway": boolean,
        "time_left": seconds_list,
        "countdown": countdown,
        "rounds": boolean,
        "go": boolean,
        "rest": boolean,
        "get_ready": lambda f: integer(f, 0, 120),
    }
    return replace(inherited, **{key: readers[key](value) for key, value in keys.items()})


def _override_cues(cues: CueSettings, overrides: Overrides) -> CueSettings:
    return cues if overrides.tips is None else replace(cues, tips=overrides.tips)


def _read_voice(field: Field | None, overrides: Overrides, base_dir: Path) -> VoiceProfile:
    profile = VoiceProfile()
    if field is not None:
        try:
            profile = resolve_voice(_voice_spec(field), base_dir=base_dir)
        except ValueError as exc:
            raise field.error(str(exc), hint=_VOICE_HINT) from None
        profile = replace(profile, chosen_at=field.position)
    if overrides.voice is not None:
        try:
            profile = resolve_voice(overrides.voice, base_dir=Path.cwd())
        except ValueError as exc:
            raise WorkoutError(str(exc), source="--voice", hint=_VOICE_HINT) from None
        profile = replace(profile, chosen_at=Position("--voice", 0, 0))
    return profile if overrides.rate is None else replace(profile, rate=overrides.rate)


_VOICE_HINT = "run `audiogen voices` to see the profiles and engine voices"


def _voice_spec(field: Field) -> str | dict[str, Any]:
    if isinstance(field.node, yaml.MappingNode):
        keys = mapping(field, schema.VOICE_KEYS, what="a voice")
        return {key: scalar(value) for key, value in keys.items()}
    return string(field)
