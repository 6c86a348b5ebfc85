"""Settings a block's format does not use: warned about with their position, never
silently dropped (a v1 file that has them stays valid, so they are not errors)."""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from audiogen.workout import schema
from audiogen.workout.fields import Field, mapping, scalar, sequence
from audiogen.workout.model import BlockFormat, Notice

# Block keys each format ignores, and why.
_BLOCK: dict[BlockFormat, tuple[tuple[str, ...], str]] = {
    BlockFormat.INTERVALS: (("every", "time"), "only emom (every) and amrap (time) use it"),
    BlockFormat.TABATA: (
        ("every", "time", "round_rest"),
        "a tabata block is work and rest intervals only",
    ),
    BlockFormat.EMOM: (
        ("work", "rest", "round_rest", "time"),
        "an emom block's intervals each last `every` (default 1m), with no rests",
    ),
    BlockFormat.AMRAP: (
        ("work", "rest", "rounds", "round_rest", "every"),
        "an amrap block is one work interval of `time`",
    ),
}
# Exercise keys each format ignores.
_EXERCISE: dict[BlockFormat, tuple[tuple[str, ...], str]] = {
    BlockFormat.INTERVALS: ((), ""),
    BlockFormat.TABATA: (("side_rest",), "a tabata exercise is one interval, with no side rest"),
    BlockFormat.EMOM: (
        ("work", "rest", "side_rest"),
        "an emom block's intervals each last `every`, with no rests",
    ),
    BlockFormat.AMRAP: (
        ("work", "rest", "sides", "side_rest", "first_side", "tips", "modification",
         "targets", "prompts"),
        "an amrap reads out its circuit (names and reps) only",
    ),
}  # fmt: skip


def ignored_settings(root: Field) -> tuple[Notice, ...]:
    """A notice for every setting of a (valid) workout that its block's format ignores."""
    keys = mapping(root, schema.TOP_LEVEL_KEYS, what="a workout")
    blocks = [{"exercises": keys["exercises"]}] if "exercises" in keys else []
    if "blocks" in keys:
        items = sequence(keys["blocks"], what="blocks")
        blocks = [mapping(item, schema.BLOCK_KEYS, what="a block") for item in items]
    return tuple(notice for block in blocks for notice in _in_block(block))


def _in_block(keys: dict[str, Field]) -> Iterator[Notice]:
    fmt = BlockFormat(str(scalar(keys["format"]))) if "format" in keys else BlockFormat.INTERVALS
    names, why = _BLOCK[fmt]
    yield from (_notice(keys[k], k, why) for k in names if k in keys)
    for item in sequence(keys["exercises"], what="exercises"):
        yield from _in_exercise(item, fmt)


def _in_exercise(field: Field, fmt: BlockFormat) -> Iterator[Notice]:
    if not isinstance(field.node, yaml.MappingNode):
        return
    keys = mapping(field, schema.EXERCISE_KEYS, what="an exercise")
    names, why = _EXERCISE[fmt]
    yield from (_notice(keys[k], k, why) for k in names if k in keys)
    sides = str(scalar(keys["sides"])) if "sides" in keys else None
    if fmt is not BlockFormat.AMRAP:
        if fmt is not BlockFormat.INTERVALS and sides == "each":
            why = f"a {fmt} exercise is one interval; use `sides: switch`"
            yield _unused(keys["sides"], f"'sides: each' is ignored here: {why}")
        if "side_rest" in keys and sides != "each" and fmt is BlockFormat.INTERVALS:
            yield _unused(keys["side_rest"], "side_rest is only used with `sides: each`")
        if "first_side" in keys and sides is None:
            yield _unused(keys["first_side"], "first_side is only used with `sides:`")


def _notice(field: Field, key: str, why: str) -> Notice:
    return _unused(field, f"{key!r} is ignored here: {why}")


def _unused(field: Field, message: str) -> Notice:
    return Notice(message, field.position, field.path)
