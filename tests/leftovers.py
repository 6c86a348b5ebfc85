"""Checks shared by the tests of atomic outputs: what a failed write may leave behind."""

from __future__ import annotations

from pathlib import Path

OLD_BYTES = b"an earlier good file"


def leftovers(directory: Path) -> list[str]:
    """Temporary files audiogen left in `directory`."""
    return [p.name for p in directory.iterdir() if p.name.endswith(".part")]


def assert_untouched(path: Path) -> None:
    assert path.read_bytes() == OLD_BYTES
    assert leftovers(path.parent) == []
