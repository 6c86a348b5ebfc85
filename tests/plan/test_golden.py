"""One parametrized test over the golden timelines (see tests/golden.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import cases, render


@pytest.mark.parametrize("path", cases(), ids=lambda p: p.stem)
def test_timeline_matches_the_golden_file(path: Path) -> None:
    expected = path.with_suffix(".txt").read_text()
    hint = f"run scripts/regen_golden.py if {path.stem} changed on purpose"
    assert render(path) == expected, hint
