"""Project-wide checks: lint and types clean, docs in step with the code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_is_clean() -> None:
    result = run(str(BIN / "ruff"), "check", "audiogen", "tests", "scripts")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    result = run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_reference_is_up_to_date() -> None:
    result = run(sys.executable, "scripts/gen_cli_docs.py", "--check")
    assert result.returncode == 0, "docs/cli.md is stale: run scripts/gen_cli_docs.py"


def test_import_and_help_stay_light() -> None:
    """`audiogen --help` and `check` must not pay for the audio libraries."""
    modules = "audiogen.cli, audiogen.workout.loader, audiogen.plan.compiler"
    code = f"import sys, {modules}; print(sorted(sys.modules))"
    result = run(sys.executable, "-c", code)
    heavy = {"pydub", "pyttsx3", "espeakng_loader"} & set(eval(result.stdout))
    assert not heavy
