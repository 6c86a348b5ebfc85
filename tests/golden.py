"""Golden timelines: each `tests/golden/*.yaml` with its expected readable timeline
(`*.txt`) beside it. `scripts/regen_golden.py` rewrites the `.txt` files when a change
is intended; review the diff before committing it.

Speech lengths come from the deterministic stand-in `strategies.speech_ms`, since
espeak's lengths vary by a few milliseconds from take to take.
"""

from __future__ import annotations

from pathlib import Path

from audiogen.plan.compiler import compile_plan
from audiogen.plan.scheduler import schedule
from audiogen.workout.loader import load_workout
from tests.strategies import speech_ms

GOLDEN_DIR = Path(__file__).parent / "golden"


def cases() -> list[Path]:
    return sorted(GOLDEN_DIR.glob("*.yaml"))


def render(path: Path) -> str:
    plan = compile_plan(load_workout(path))
    return schedule(plan, {p: speech_ms(p) for p in plan.phrases()}).to_table() + "\n"
