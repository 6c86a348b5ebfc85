"""run_forked: the work's bytes come back, its failures too, its changes do not."""

from __future__ import annotations

import pytest

from audiogen.core.forked import ForkedError, run_forked

STATE = {"spoken": 0}


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
