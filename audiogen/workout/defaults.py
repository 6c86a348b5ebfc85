"""Defaults from the config file, which rank below the workout file.

Precedence, lowest first: built-in defaults, audiogen.toml, the workout file, the
command line. A config key that is also a workout setting (schema.CONFIG_KEY_PATHS) is
written into the parsed file wherever the file says nothing, as if the user had written
it there: it is then validated like the file's own values, and a mistake in it points
at its line in audiogen.toml.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from audiogen.core.config import Config, Setting
from audiogen.workout.schema import CONFIG_KEY_PATHS

_MAP = "tag:yaml.org,2002:map"


@dataclass(frozen=True)
class FileDefault:
    """A value for `key_path` (`cues.tips`) where the workout file has none."""

    key_path: str
    value: str | int | float | bool
    source: str
    line: int


def defaults_from(config: Config | None) -> tuple[FileDefault, ...]:
    """The workout settings among the config file's keys."""
    if config is None:
        return ()
    found = []
    for key, key_path in CONFIG_KEY_PATHS.items():
        setting = config.get(key)
        if setting is None or isinstance(setting.value, list):
            continue  # a list is no workout setting's value: the loader would say so
        value = setting.value
        if isinstance(value, str) and key in ("music", "voice"):
            value = _resolve_path(setting, value)
        found.append(FileDefault(key_path, value, str(setting.path), setting.line))
    return tuple(found)


def apply_defaults(root: yaml.Node, defaults: Iterable[FileDefault]) -> None:
    """Add each default to the parsed file where the file does not set it."""
    for default in defaults:
        mark = yaml.Mark(default.source, 0, default.line - 1, 0, None, 0)
        node = yaml.SafeDumper(io.StringIO()).represent_data(default.value)
        node.start_mark = node.end_mark = mark
        _set_if_missing(root, default.key_path.split("."), node)


def _set_if_missing(node: yaml.Node, parts: list[str], value: yaml.Node) -> None:
    if not isinstance(node, yaml.MappingNode):
        return  # not a mapping: the loader reports what is wrong with the file
    for key_node, child in node.value:
        if key_node.value == parts[0]:
            if len(parts) > 1:
                _set_if_missing(child, parts[1:], value)
            return
    for part in reversed(parts[1:]):
        value = yaml.MappingNode(_MAP, [(_key(part, value), value)], value.start_mark)
    node.value.append((_key(parts[0], value), value))


def _key(name: str, near: yaml.Node) -> yaml.ScalarNode:
    return yaml.ScalarNode("tag:yaml.org,2002:str", name, near.start_mark, near.end_mark)


def _resolve_path(setting: Setting, value: str) -> str:
    """A file named in the config is relative to the config file's folder, wherever
    the workout is; a voice that is a profile name stays a name."""
    is_file = setting.key == "music" or value.endswith((".yaml", ".yml"))
    return str(setting.path.parent / Path(value).expanduser()) if is_file else value
