#!/usr/bin/env python3
"""Rewrite tests/golden/*.txt from their YAML files (see tests/golden.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.golden import cases, render


def main() -> None:
    for path in cases():
        path.with_suffix(".txt").write_text(render(path))
        print(f"wrote {path.with_suffix('.txt')}")


if __name__ == "__main__":
    main()
