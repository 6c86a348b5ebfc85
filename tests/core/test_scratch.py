"""Temporary names say whose they are; the sweep removes only provably stale ones of
audiogen's own (issue 12, item 2)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from audiogen.core.scratch import (
    STALE_AFTER_S,
    owner,
    scratch_dir,
    sweep,
    sweep_temp,
    sweep_tree,
    temp_name,
)


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _named(folder: Path, name: str, *, folder_kind: bool = False, age_s: float = 0) -> Path:
    path = folder / name
    if folder_kind:
        path.mkdir()
        (path / "inside").write_text("x")
    else:
        path.write_text("x")
    if age_s:
        then = time.time() - age_s
        os.utime(path, (then, then))
    return path


def test_temp_names_carry_the_process_and_host(tmp_path: Path) -> None:
    name = temp_name(tmp_path / "legs.mp3").name
    assert name.startswith(f".legs.mp3.{owner()}.") and name.endswith(".part")
    assert owner().startswith(f"{os.getpid()}@")


def test_sweep_removes_only_stale_temporaries_of_our_own(tmp_path: Path) -> None:
    host = owner().partition("@")[2]
    dead = _dead_pid()
    stale = [
        _named(tmp_path, f".legs.mp3.{dead}@{host}.0123abcd.part"),
        _named(tmp_path, f".legs.json.{dead}@{host}.89abcdef.part"),
        _named(tmp_path, f".legs.{dead}@{host}.00000000.part", folder_kind=True),
        _named(tmp_path, f".legs.{dead}@{host}.11111111.old", folder_kind=True),
        # Another host's, or a live process's, only once untouched for a day.
        _named(tmp_path, f".a.mp3.{os.getpid()}@{host}.22222222.part", age_s=STALE_AFTER_S + 60),
        _named(tmp_path, f".b.mp3.{dead}@elsewhere.33333333.part", age_s=STALE_AFTER_S + 60),
    ]
    kept = [
        _named(tmp_path, f".legs.mp3.{os.getpid()}@{host}.44444444.part"),  # ours, running
        _named(tmp_path, f".legs.mp3.{dead}@elsewhere.55555555.part"),  # maybe running there
        _named(tmp_path, ".legs.mp3.0123abcd.part"),  # not our pattern
        _named(tmp_path, "legs.mp3"),
        _named(tmp_path, f"notes.{dead}@{host}.66666666.part"),  # not hidden: not ours
        _named(tmp_path, f".legs.mp3.{dead}@{host}.7777.part"),  # wrong token length
    ]
    assert sorted(sweep(tmp_path)) == sorted(stale)
    assert sorted(tmp_path.iterdir()) == sorted(kept)


def test_sweep_tree_reaches_the_cache_fan_out(tmp_path: Path) -> None:
    host = owner().partition("@")[2]
    (tmp_path / "ab").mkdir()
    litter = _named(tmp_path / "ab", f".abcd.pcm.{_dead_pid()}@{host}.0123abcd.part")
    entry = _named(tmp_path / "ab", "abcd.pcm")
    assert sweep_tree(tmp_path) == [litter]
    assert entry.exists()


def test_scratch_folders_are_swept_once_their_process_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    code = (
        "import os, tempfile; from audiogen.core.scratch import scratch_prefix; "
        f"tempfile.tempdir = {str(tmp_path)!r}; "
        "print(tempfile.mkdtemp(prefix=scratch_prefix()))"
    )
    left = Path(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True).stdout.strip())  # fmt: skip
    unrelated = _named(tmp_path, "audiogen-notes")
    with scratch_dir() as mine:
        assert sweep_temp() == [left]
        assert mine.exists() and unrelated.exists()
    assert sorted(tmp_path.iterdir()) == [unrelated]
