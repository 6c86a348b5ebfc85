"""Readers for the version 1.1 keys: rep ranges, prompts, `pronounce`, intro and outro
templates. Each checks one value and places its mistakes like the loader does."""

from __future__ import annotations

import re
import string as text_format

import yaml

from audiogen.workout import schema
from audiogen.workout.fields import Field, duration, mapping, scalar, sequence, string
from audiogen.workout.model import Prompt, Reps

_RANGE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")
# A word the engine mispronounces is a word: letters, digits, ' and - only.
_WORD = re.compile(r"^[\w'][\w' .-]*$")


def reps(field: Field) -> Reps:
    """A whole number of 1 or more, or a range "8-12" with the low end first."""
    value = scalar(field)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    match = _RANGE.match(value) if isinstance(value, str) else None
    if match and 1 <= int(match[1]) < int(match[2]):
        return int(match[1]), int(match[2])
    raise field.error(
        f'expected a whole number of reps or a range like "8-12", got {value!r}',
        hint='write reps: 10, or reps: "8-12" (low end first)',
    )


def prompts(field: Field) -> tuple[Prompt, ...]:
    """`[{at: 45s, say: Sink deeper}, {at: -10s, say: ...}]`."""
    return tuple(_prompt(item) for item in sequence(field, what="a list of prompts"))


def _prompt(field: Field) -> Prompt:
    keys = mapping(field, schema.PROMPT_KEYS, what="a prompt ({at: 45s, say: ...})")
    for key in schema.PROMPT_KEYS:
        if key not in keys:
            raise field.error(f"a prompt needs {key!r}", hint="write {at: 45s, say: Sink deeper}")
    return Prompt(at_ms=signed_duration(keys["at"]), say=string(keys["say"]))


def signed_duration(field: Field) -> int:
    """A duration that may be negative ("-10s": ten seconds before the end)."""
    value = scalar(field)
    negative = isinstance(value, str) and value.strip().startswith("-")
    if negative:
        stripped = yaml.ScalarNode(field.node.tag, value.strip()[1:], field.node.start_mark)
        return -duration(Field(stripped, field.path, field.source))
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        return -duration(Field(yaml.ScalarNode(field.node.tag, str(-value)), field.path, ""))
    return duration(field)


def pronounce(field: Field) -> tuple[tuple[str, str], ...]:
    """Word as written -> how it is said; longest words first, so "RDL Row" wins over
    "RDL" where both are listed."""
    keys = mapping(field, (), what="a mapping of words to how they are said", open_ended=True)
    pairs = []
    for word, value in keys.items():
        if not _WORD.match(word):
            raise value.error(f"{word!r} is not a word or phrase", hint="e.g. EMOM: E-mom")
        pairs.append((word, string(value)))
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def template(field: Field) -> str:
    """An intro or outro: text with the placeholders {title}, {minutes}, {equipment}."""
    text = string(field)
    try:
        parsed = list(text_format.Formatter().parse(text))
    except ValueError as exc:
        raise field.error(f"a {{ without its }}: {exc}", hint=_TEMPLATE_HINT) from None
    for _, name, spec, conversion in parsed:
        if name is not None and (name not in schema.TEMPLATE_FIELDS or spec or conversion):
            raise field.error(f"unknown placeholder {{{name}}}", hint=_TEMPLATE_HINT)
    return text


_TEMPLATE_HINT = "use {title}, {minutes} and {equipment}; write {{ and }} for braces"
