"""YAML values that remember where they came from.

The safe loader parses a document into nodes; a `Field` pairs a node with its key path
so that every check can report file:line:column, the path, and what was expected.
"""

from __future__ import annotations

import datetime
import difflib
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

import yaml

from audiogen.errors import Position, WorkoutError
from audiogen.workout.durations import check_length, parse_db, parse_duration
from audiogen.workout.source import (
    MAX_NUMBER_CHARS,
    MAX_TEXT_CHARS,
    compose_document,
    yaml_error,
)

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)

MIN_WORK_MS = 1_000


@dataclass(frozen=True)
class Field:
    """A YAML node with its key path, so any check on it can say where it failed."""

    node: yaml.Node
    path: str
    source: str

    @property
    def position(self) -> Position:
        mark = self.node.start_mark
        # Every node names its own source: the file, the config file for a default taken
        # from it (defaults.py), or the option for a value given with --set (keypath.py).
        if mark.name.startswith("--set"):
            return Position(mark.name, 0, 0)
        return Position(mark.name, mark.line + 1, mark.column + 1)

    def error(self, message: str, hint: str | None = None) -> WorkoutError:
        return WorkoutError(message, position=self.position, key_path=self.path, hint=hint)

    def child(self, node: yaml.Node, key: str | int) -> Field:
        path = f"{self.path}.{key}" if self.path else str(key)
        return Field(node, path, self.source)


def compose(text: str, source: str) -> yaml.Node:
    # Every node's mark names the file it came from (compose_document sets the name).
    try:
        node = compose_document(text, source)
    except yaml.YAMLError as exc:
        raise yaml_error(exc, text, source) from None
    if node is None:
        raise WorkoutError(
            "the file is empty",
            position=Position(source, 1, 1),
            hint="start with `title:` and a list of `exercises:`",
        )
    return node


def mapping(
    field: Field, allowed: tuple[str, ...], *, what: str, open_ended: bool = False
) -> dict[str, Field]:
    """The keys of a mapping node; repeated keys are errors, and so are unknown ones
    unless `open_ended` (a voice profile's engine settings are checked by the engine)."""
    if not isinstance(field.node, yaml.MappingNode):
        raise field.error(f"expected {what} as a mapping of keys, got {_describe(field.node)}")
    keys: dict[str, Field] = {}
    for key_node, value_node in field.node.value:
        key_field = field.child(key_node, str(key_node.value))
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str) or (key not in allowed and not open_ended):
            raise key_field.error(f"unknown key {key!r}", hint=suggest(str(key), allowed))
        if key in keys:
            raise key_field.error(f"the key {key!r} appears twice", hint="keep one of them")
        keys[key] = field.child(value_node, key)
    return keys


def suggest(key: str, allowed: tuple[str, ...], *, label: str = "known keys") -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    known = f"{label}: {', '.join(allowed)}"
    return f"did you mean {close[0]!r}? ({known})" if close else known


def scalar(field: Field) -> Any:
    """The plain value of a scalar node: text, a number, a boolean, a date or null.

    Other YAML types (`!!binary`, `!!set`, ...) are refused, as are numbers too long to
    be a setting and non-finite ones (`.inf`, `.nan`), before anything computes with them.
    """
    node = field.node
    if not isinstance(node, yaml.ScalarNode):
        raise field.error(f"expected a single value, got {_describe(node)}")
    if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
        raise field.error(f"this number is too long ({len(node.value)} characters)")
    try:
        value = yaml.SafeLoader("").construct_object(node)
    except (yaml.constructor.ConstructorError, ValueError) as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        raise field.error(f"this YAML value is not allowed: {problem}", hint=_TAG_HINT) from None
    if not isinstance(value, _PLAIN):
        raise field.error(f"this YAML value is not allowed: {node.tag}", hint=_TAG_HINT)
    if isinstance(value, float) and not math.isfinite(value):
        raise field.error(f"expected a finite number, got {node.value!r}")
    return value


_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_PLAIN = (str, int, float, bool, type(None), datetime.date)
_TAG_HINT = "workout files use plain YAML values; remove the !! tag"


def optional(keys: dict[str, Field], key: str, read: Callable[[Field], T]) -> T | None:
    return read(keys[key]) if key in keys else None


def or_default(value: T | None, default: T) -> T:
    return default if value is None else value


def string(field: Field) -> str:
    value = scalar(field)
    if isinstance(value, bool) or value is None:
        raise field.error(f"expected text, got {_describe(field.node)}")
    # The text as written: `1.50` stays `1.50`, not the float's `1.5`.
    text = str(field.node.value).strip()
    if not text:
        raise field.error("expected text, got an empty value")
    if len(text) > MAX_TEXT_CHARS:
        raise field.error(f"this text is {len(text)} characters long; at most {MAX_TEXT_CHARS}")
    control = next((c for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n"), None)
    if control is not None:
        raise field.error(
            f"the text contains the control character U+{ord(control):04X}",
            hint="remove escapes such as \\e, \\a or \\0 from the text",
        )
    return text


def string_list(field: Field) -> list[str]:
    if isinstance(field.node, yaml.ScalarNode):
        return [string(field)]
    return [string(item) for item in sequence(field, what="a list of text")]


def sequence(field: Field, *, what: str) -> list[Field]:
    if not isinstance(field.node, yaml.SequenceNode):
        raise field.error(
            f"expected {what}, got {_describe(field.node)}", hint="use `- item` lines"
        )
    return [field.child(node, n) for n, node in enumerate(field.node.value, 1)]


def non_empty_list(field: Field, *, what: str) -> list[Field]:
    items = sequence(field, what=f"a list of {what}")
    if not items:
        raise field.error(f"expected at least one item in {what}")
    return items


def duration(field: Field) -> int:
    try:
        return check_length(parse_duration(scalar(field)))
    except ValueError as exc:
        raise field.error(
            f"expected a duration; {exc}", hint="write 40, 40s, 2m, 1m30s, 1:30 or 2.5s"
        ) from None


def level(field: Field) -> float:
    """A level in dB, like `-18dB`."""
    try:
        return parse_db(scalar(field))
    except ValueError as exc:
        raise field.error(f"expected a level in dB; {exc}", hint="write it like -18dB") from None


def work_duration(field: Field) -> int:
    ms = duration(field)
    if ms < MIN_WORK_MS:
        raise field.error("a work interval lasts at least 1 s", hint="write 1s or more")
    return ms


def integer(field: Field, low: int, high: int | None = None) -> int:
    value = scalar(field)
    too_high = high is not None and isinstance(value, int) and value > high
    if isinstance(value, bool) or not isinstance(value, int) or value < low or too_high:
        upper = f" and {high}" if high is not None else ""
        bound = f"between {low}{upper}" if high is not None else f"of {low} or more"
        raise field.error(f"expected a whole number {bound}, got {_describe(field.node)}")
    return value


def positive_int(field: Field) -> int:
    return integer(field, 1)


def non_negative_int(field: Field) -> int:
    return integer(field, 0)


def countdown(field: Field) -> int:
    return integer(field, 0, 10)


def seconds_list(field: Field) -> tuple[int, ...]:
    items = [field] if isinstance(field.node, yaml.ScalarNode) else sequence(field, what="a list")
    return tuple(sorted({integer(item, 1) for item in items}, reverse=True))


def boolean(field: Field) -> bool:
    value = scalar(field)
    if not isinstance(value, bool):
        raise field.error(f"expected true or false, got {_describe(field.node)}")
    return value


def choice(field: Field, enum: type[E]) -> E:
    value = str(scalar(field))
    names = tuple(str(member) for member in enum)
    if value not in names:
        raise field.error(
            f"expected one of {', '.join(names)}, got {value!r}",
            hint=suggest(value, names, label="choices"),
        )
    return enum(value)


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return repr(node.value) if node.value != "" else "nothing"
