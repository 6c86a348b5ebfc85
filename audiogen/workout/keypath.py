"""`--set KEY=VALUE`: change one setting of a workout by its key path before it is
validated, so a value given on the command line is checked exactly like the file's.

Key paths are dotted, with 1-based list positions: `cues.tips`, `blocks.2.rounds`,
`exercises.3.work`.
"""

from __future__ import annotations

import yaml

from audiogen.errors import UsageError
from audiogen.workout.source import compose_document, yaml_error

SET_MARK = "--set"


def parse_assignment(text: str) -> tuple[str, str]:
    """`blocks.2.rounds=3` -> (`blocks.2.rounds`, `3`)."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise UsageError(
            f"{SET_MARK} {_shown(text)}: error: expected KEY=VALUE",
            hint="for example --set cues.tips=0",
        )
    return key.strip(), value.strip()


def apply_assignment(root: yaml.Node, key: str, value: str) -> None:
    """Replace (or add) the node at `key` with `value` parsed as YAML."""
    parts = key.split(".")
    # Positions in errors about this value, and about any mapping made to hold it, then
    # name the option, not the file.
    mark = yaml.Mark(f"{SET_MARK} {_shown(key)}={_shown(value)}", 0, 0, 0, None, 0)
    try:
        parent = root
        for depth, part in enumerate(parts[:-1]):
            path = ".".join(parts[: depth + 1])
            parent = _child(parent, part, path, create=not parts[depth + 1].isdigit(), mark=mark)
        _assign(parent, parts[-1], _value_node(key, value, mark.name), key)
    except _PathError as exc:
        raise UsageError(f"{mark.name}: error at {exc.path}: {exc}", hint=exc.hint) from None


class _PathError(Exception):
    """The key path does not fit the workout; `apply_assignment` names the option."""

    def __init__(self, path: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.hint = hint


def _value_node(key: str, value: str, name: str) -> yaml.Node:
    try:
        node = compose_document(value, name)
    except yaml.YAMLError as exc:
        raise yaml_error(exc, value, name) from None
    if node is None:
        raise _PathError(key, "give a value after '='", hint=f"--set {key}=VALUE")
    return node


def _shown(text: str, limit: int = 40) -> str:
    """`text` as an error message may show it: control characters escaped, cut short."""
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text[:limit])
    return shown + ("..." if len(text) > limit else "")


def _name_mapping(node: yaml.ScalarNode) -> yaml.MappingNode:
    """An exercise written as a bare name, as `{name: ...}`, so keys can be set on it."""
    pairs = [(_key_node("name", node), node)]
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs, node.start_mark, node.end_mark)


def _child(node: yaml.Node, part: str, path: str, *, create: bool, mark: yaml.Mark) -> yaml.Node:
    if isinstance(node, yaml.SequenceNode):
        index = _index(node, part, path)
        item: yaml.Node = node.value[index]
        if isinstance(item, yaml.ScalarNode):
            item = node.value[index] = _name_mapping(item)
        return item
    if not isinstance(node, yaml.MappingNode):
        raise _PathError(path, "there is no mapping here to set a key in")
    for key_node, value_node in node.value:
        if key_node.value == part:
            found: yaml.Node = value_node
            return found
    if not create:
        raise _PathError(path, f"the workout has no {part!r} list here")
    child = yaml.MappingNode("tag:yaml.org,2002:map", [], mark, mark)
    node.value.append((_key_node(part, child), child))
    return child


def _assign(node: yaml.Node, part: str, value: yaml.Node, path: str) -> None:
    if isinstance(node, yaml.SequenceNode):
        node.value[_index(node, part, path)] = value
        return
    if not isinstance(node, yaml.MappingNode):
        raise _PathError(path, "there is no mapping here to set a key in")
    for position, (key_node, _) in enumerate(node.value):
        if key_node.value == part:
            node.value[position] = (key_node, value)
            return
    node.value.append((_key_node(part, value), value))


def _index(node: yaml.SequenceNode, part: str, path: str) -> int:
    count = len(node.value)
    if not part.isdigit() or not 1 <= int(part) <= count:
        raise _PathError(path, f"expected a position from 1 to {count} in this list, got {part!r}")
    return int(part) - 1


def _key_node(name: str, near: yaml.Node) -> yaml.ScalarNode:
    return yaml.ScalarNode("tag:yaml.org,2002:str", name, near.start_mark, near.end_mark)
