"""Atomic files: a reader sees the old file or the new one, never half."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from audiogen.core.files import (
    atomic_directory,
    atomic_output,
    atomic_write_text,
    interrupts_held,
)
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


@pytest.mark.parametrize("threads", [0, 1])
def test_a_ctrl_c_during_held_interrupts_arrives_after_the_block(threads: int) -> None:
    """With or without another thread to take the signal (a pool's idle thread), the
    block runs to its end and the KeyboardInterrupt comes after it."""
    idle = threading.Event()
    others = [threading.Thread(target=idle.wait, daemon=True) for _ in range(threads)]
    for other in others:
        other.start()
    steps = []
    try:
        with pytest.raises(KeyboardInterrupt):
            with interrupts_held():
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.05)  # the signal has long been delivered by now
                steps.append("renamed")
            steps.append("after")
    finally:
        idle.set()
        for other in others:
            other.join()
    assert steps == ["renamed"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
