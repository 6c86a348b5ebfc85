"""Atomic files: a reader sees the old file or the new one, never half."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiogen.core.files import atomic_directory, atomic_output, atomic_write_text
from tests.leftovers import OLD_BYTES, assert_untouched, leftovers


def test_atomic_write_text(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "x.json"
    atomic_write_text(path, '{"a": 1}')
    atomic_write_text(path, '{"a": 2}')
    assert path.read_text(encoding="utf-8") == '{"a": 2}'
    assert leftovers(path.parent) == []


def test_atomic_output_failure_keeps_previous(previous: Path) -> None:
    with pytest.raises(ValueError), atomic_output(previous) as temp:
        temp.write_bytes(b"half a file")
        raise ValueError
    assert_untouched(previous)


def test_atomic_directory_replaces_a_folder_whole(tmp_path: Path) -> None:
    folder = tmp_path / "split"
    folder.mkdir()
    (folder / "old.mp3").write_bytes(OLD_BYTES)
    with pytest.raises(KeyboardInterrupt), atomic_directory(folder) as temp:
        (temp / "new.mp3").write_bytes(b"half")
        raise KeyboardInterrupt
    assert [p.name for p in folder.iterdir()] == ["old.mp3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["split"]
    with atomic_directory(folder) as temp:
        (temp / "new.mp3").write_bytes(b"whole")
    assert [p.name for p in folder.iterdir()] == ["new.mp3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["split"]
