"""A build's files as one unit: all replaced together, under a lock on their folder, or
none of them (issue 12, item 8)."""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

import pytest

from audiogen.core.files import atomic_outputs


def _set(folder: Path) -> list[Path]:
    return [folder / "t.json", folder / "t.vtt", folder / "t.mp3"]


def _write_all(temps: dict[Path, Path], text: str) -> None:
    for target, temp in temps.items():
        if temp.is_dir():
            (temp / "part.mp3").write_text(text)
        else:
            temp.write_text(f"{text} {target.suffix}")


def test_all_files_and_folders_are_replaced_together(tmp_path: Path) -> None:
    files, folder = _set(tmp_path), tmp_path / "t"
    with atomic_outputs(files, [folder]) as temps:
        _write_all(temps, "old")
    with atomic_outputs(files, [folder]) as temps:
        _write_all(temps, "new")
        assert all(p.read_text().startswith("old") for p in files)  # not before the end
    assert [p.read_text() for p in files] == ["new .json", "new .vtt", "new .mp3"]
    assert (folder / "part.mp3").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t", "t.json", "t.mp3", "t.vtt"]


@pytest.mark.parametrize("error", [ValueError, KeyboardInterrupt])
def test_a_failure_replaces_nothing_and_leaves_no_temporary(
    tmp_path: Path, error: type[BaseException]
) -> None:
    files = _set(tmp_path)
    with atomic_outputs(files) as temps:
        _write_all(temps, "old")
    with pytest.raises(error), atomic_outputs(files, [tmp_path / "t"]) as temps:
        _write_all(temps, "new")
        raise error
    assert [p.read_text() for p in files] == ["old .json", "old .vtt", "old .mp3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.json", "t.mp3", "t.vtt"]


def test_the_renames_wait_for_the_folders_lock(tmp_path: Path) -> None:
    """Another build committing into the folder holds its lock: ours waits, so the two
    sets are never interleaved."""
    files = _set(tmp_path)
    descriptor = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    done = threading.Event()

    def build() -> None:
        with atomic_outputs(files) as temps:
            _write_all(temps, "new")
        done.set()

    worker = threading.Thread(target=build)
    worker.start()
    try:
        assert not done.wait(0.5)
        assert not any(p.exists() for p in files)
    finally:
        os.close(descriptor)  # releases the lock
    worker.join(10)
    assert done.is_set()
    assert [p.read_text() for p in files] == ["new .json", "new .vtt", "new .mp3"]
