"""Every shipped workout and every golden file, with real speech: the track obeys the
spec's rules. (The MP3 itself is checked end to end in test_end_to_end.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from audiogen.pipeline import render_timeline
from audiogen.workout.loader import load_workout
from tests import rules
from tests.golden import cases

FILES = sorted(Path("workouts").glob("*.yaml")) + cases()


def test_each_format_has_an_example() -> None:
    text = "\n".join(p.read_text() for p in Path("workouts").glob("*.yaml"))
    for needle in ("format: tabata", "format: emom", "format: amrap", "sides: each"):
        assert needle in text


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_real_timeline_obeys_the_rules(path: Path) -> None:
    workout = load_workout(path)
    rules.check_all(workout, render_timeline(workout).timeline)
