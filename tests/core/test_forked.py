"""run_forked: the work's bytes come back, its failures too, its changes do not."""

from __future__ import annotations

import functools
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from audiogen.core.forked import ForkedError, run_forked, run_forked_many

STATE = {"spoken": 0}
# Set to make the next fork's parent signal itself from inside the at-fork hooks.
ARMED = {"signal": False}


def _interrupt_while_forking() -> None:
    if ARMED["signal"]:
        ARMED["signal"] = False
        os.kill(os.getpid(), signal.SIGINT)


# Once per process (hooks cannot be removed); it does nothing unless armed.
os.register_at_fork(after_in_parent=_interrupt_while_forking)


def _speak() -> bytes:
    STATE["spoken"] += 1
    return f"said {STATE['spoken']}".encode()


def test_each_call_starts_from_the_parents_state() -> None:
    assert [run_forked(_speak) for _ in range(3)] == [b"said 1"] * 3
    assert STATE["spoken"] == 0


def test_a_failure_in_the_child_is_raised_in_the_parent() -> None:
    def fail() -> bytes:
        raise ValueError("no voice")

    with pytest.raises(ForkedError, match="ValueError: no voice"):
        run_forked(fail)


def test_many_children_run_side_by_side_and_answer_in_order() -> None:
    def slow(n: int) -> bytes:
        time.sleep(0.2)
        return bytes([n]) * (200_000 + n)  # more than a pipe holds: drained while running

    started = time.perf_counter()
    works = [functools.partial(slow, n) for n in range(6)]
    results = list(run_forked_many(works, parallel=3))
    assert [(r[0], len(r)) for r in results] == [(n, 200_000 + n) for n in range(6)]
    assert time.perf_counter() - started < 6 * 0.2  # not one after another


def test_a_failing_child_among_many_stops_the_rest() -> None:
    def fail() -> bytes:
        raise ValueError("no")

    works = [lambda: b"a", fail, lambda: b"c"]
    answers = run_forked_many(works, parallel=2)
    assert next(answers) == b"a"
    with pytest.raises(ForkedError, match="ValueError: no"):
        next(answers)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_ctrl_c_that_lands_during_the_fork_is_not_lost() -> None:
    """Python runs at-fork hooks after fork(); a KeyboardInterrupt raised in one is only
    printed ("Exception ignored"), so a Ctrl-C arriving then used to vanish and the
    build went on. Held off across the fork, it arrives just after."""

    def slow() -> bytes:
        time.sleep(5)
        return b"done"

    before = _children()
    ARMED["signal"] = True
    started = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        run_forked(slow)
    assert time.perf_counter() - started < 4  # interrupted, not waited for
    assert _children() == before  # and the child was stopped and reaped


def test_a_ctrl_c_taken_by_another_thread_during_the_fork_is_not_lost() -> None:
    """Blocking the signal in the main thread is not enough: the kernel hands a
    process's signal to any thread that does not block it (an idle pool thread, as the
    build has), and Python then raises it in the main thread all the same."""
    idle = threading.Event()
    other = threading.Thread(target=idle.wait, daemon=True)
    other.start()
    try:
        test_a_ctrl_c_that_lands_during_the_fork_is_not_lost()
    finally:
        idle.set()
        other.join()


def _children() -> set[int]:
    """This process's children, zombies included (from /proc: ppid is stat's 4th field)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended while we looked
        if int(fields[1]) == os.getpid():
            found.add(int(stat.parent.name))
    return found
