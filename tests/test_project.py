"""Project-wide checks: lint and types clean, docs in step with the code."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

import audiogen

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


def test_the_layers_contract_holds() -> None:
    """pyproject.toml's import-linter contract: each stage imports only those below it."""
    result = run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_no_module_imports_itself_through_others() -> None:
    """No import cycles between modules, TYPE_CHECKING imports included."""
    graph = grimp.build_graph("audiogen")
    cycles = [
        chain
        for module in sorted(graph.modules)
        for imported in graph.find_modules_directly_imported_by(module)
        if (chain := graph.find_shortest_chain(importer=imported, imported=module))
    ]
    # A package importing its own submodules (an __init__ re-export) is not a cycle.
    cycles = [c for c in cycles if not c[-1].startswith(c[0] + ".") and c[0] != c[-1]]
    assert not cycles, cycles


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / "audiogen").rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert not long


def test_cli_reference_is_up_to_date() -> None:
    result = run(sys.executable, "scripts/gen_cli_docs.py", "--check")
    assert result.returncode == 0, "docs/cli.md is stale: run scripts/gen_cli_docs.py"


def test_import_and_help_stay_light() -> None:
    """`audiogen --help` and `check` must not pay for the audio libraries."""
    modules = "audiogen.cli, audiogen.workout.loader, audiogen.plan.compiler"
    code = f"import sys, {modules}; print(sorted(sys.modules))"
    result = run(sys.executable, "-c", code)
    heavy = {"pydub", "pyttsx3", "espeakng_loader", "inflect"} & set(eval(result.stdout))
    assert not heavy


def test_one_version_everywhere() -> None:
    """pyproject.toml, audiogen.__version__ and the CHANGELOG's latest release agree."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    changelog = (ROOT / "CHANGELOG.md").read_text()
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d\d-\d\d)$", changelog, re.M)
    assert released and released[0][0] == project["version"] == audiogen.__version__
    assert changelog.index("## [Unreleased]") < changelog.index(f"## [{released[0][0]}]")
    assert project["license"] == "MIT" and "MIT License" in (ROOT / "LICENSE").read_text()
