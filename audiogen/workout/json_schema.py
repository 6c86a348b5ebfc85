"""The JSON Schema of the workout format, generated from the loader's key tables.

Editors with the YAML language server read it to complete and check keys. Draft 7,
the newest draft that server supports. The shipped copy (audiogen/data/
workout.schema.json) is this output; a test keeps the two equal.
"""

from __future__ import annotations

import json
from typing import Any

from audiogen.workout import schema
from audiogen.workout.durations import DB_PATTERN, DURATION_PATTERN
from audiogen.workout.schema import Key, Kind

Schema = dict[str, Any]

_TEXT: Schema = {"type": ["string", "number"]}  # the loader reads 1984 as the text "1984"


def workout_schema() -> Schema:
    """The whole schema as a JSON-ready mapping."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "audiogen workout",
        "description": "A workout that `audiogen build` turns into a coached MP3.",
        **_object(schema.TOP_LEVEL),
        # A file has exercises (one block) or blocks, not both.
        "oneOf": [{"required": ["exercises"]}, {"required": ["blocks"]}],
        "definitions": {
            "duration": _duration(minimum=0),
            "work_duration": _duration(minimum=1),
            "exercise": _object(schema.EXERCISE),
            "block": _object(schema.BLOCK),
            "cues": _object(schema.CUES),
            "voice": _object(schema.VOICE),
            "music": _object(schema.MUSIC),
            "prompt": _prompt(),
        },
    }


def schema_text() -> str:
    """The schema as the file ships: indented JSON with a final newline."""
    return json.dumps(workout_schema(), indent=2, ensure_ascii=False) + "\n"


def _object(keys: dict[str, Key]) -> Schema:
    out: Schema = {
        "type": "object",
        "properties": {name: _property(key) for name, key in keys.items()},
        "additionalProperties": False,
    }
    required = [name for name, key in keys.items() if key.required]
    if required:
        out["required"] = required
    return out


def _property(key: Key) -> Schema:
    out: Schema = {"description": key.about, **_value(key)}
    if key.default is not None:
        out["default"] = key.default
    return out


def _value(key: Key) -> Schema:
    kind = key.kind
    if kind is Kind.WHOLE or kind is Kind.COUNT or kind is Kind.NUMBER:
        return _number(key)
    simple: dict[Kind, Schema] = {
        Kind.TEXT: _TEXT,
        Kind.TEXT_LIST: {"anyOf": [_TEXT, {"type": "array", "items": _TEXT}]},
        Kind.DURATION: {"$ref": "#/definitions/duration"},
        Kind.WORK_DURATION: {"$ref": "#/definitions/work_duration"},
        Kind.FLAG: {"type": "boolean"},
        Kind.LEVEL: {"anyOf": [{"type": "number"}, {"type": "string", "pattern": DB_PATTERN}]},
        Kind.SECONDS_LIST: _seconds_list(),
        Kind.CHOICE: {"enum": list(key.choices)},
        Kind.VOICE: {"anyOf": [_TEXT, {"$ref": "#/definitions/voice"}]},
        Kind.MUSIC: {"$ref": "#/definitions/music"},
        Kind.CUES: {"$ref": "#/definitions/cues"},
        Kind.EXERCISES: _list({"anyOf": [_TEXT, {"$ref": "#/definitions/exercise"}]}),
        Kind.BLOCKS: _list({"$ref": "#/definitions/block"}),
        Kind.REPS: {
            "anyOf": [
                {"type": "integer", "minimum": 1},
                {"type": "string", "pattern": r"^\s*\d+\s*-\s*\d+\s*$"},
            ]
        },
        Kind.PROMPTS: {"type": "array", "items": {"$ref": "#/definitions/prompt"}},
        Kind.WORDS: {"type": "object", "additionalProperties": _TEXT},
    }
    return simple[kind]


def _prompt() -> Schema:
    """{at, say}: `at` is a duration that may be negative (counted from the end)."""
    out = _object(schema.PROMPT)
    out["properties"]["at"] = {
        "description": schema.PROMPT["at"].about,
        "anyOf": [
            {"type": "number"},
            {"type": "string", "pattern": r"^\s*-?" + DURATION_PATTERN[1:]},
        ],
    }
    return out


def _number(key: Key) -> Schema:
    out: Schema = {"type": "number" if key.kind is Kind.NUMBER else "integer"}
    low = key.low if key.low is not None else {Kind.COUNT: 1, Kind.WHOLE: 0}.get(key.kind)
    if low is not None:
        # Volume must be above 0; counts and whole numbers may equal their lowest value.
        out["exclusiveMinimum" if key.kind is Kind.NUMBER else "minimum"] = low
    if key.high is not None:
        out["maximum"] = key.high
    return out


def _duration(*, minimum: int) -> Schema:
    return {
        "description": "A number of seconds, or text like 40s, 2m, 1m30s, 1:30 or 2.5s.",
        "anyOf": [
            {"type": "number", "minimum": minimum},
            {"type": "string", "pattern": DURATION_PATTERN},
        ],
    }


def _seconds_list() -> Schema:
    second: Schema = {"type": "integer", "minimum": 1}
    return {"anyOf": [second, {"type": "array", "items": second}]}


def _list(item: Schema) -> Schema:
    return {"type": "array", "items": item, "minItems": 1}
