"""A normal install, not an editable one: the wheel carries everything it needs.

Built from a copy of the repository and installed into a fresh virtual environment
outside the checkout (its dependencies borrowed from the test environment, so the test
needs no network), then used from another folder, as a `pipx install` user would.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str | Path, cwd: Path) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh venv with audiogen installed from its wheel."""
    tmp = tmp_path_factory.mktemp("install")
    files = run("git", "ls-files", "-z", cwd=ROOT).split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (tmp / "src" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, tmp / "src" / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    run(
        *pip, "wheel", "--no-deps", "--no-build-isolation", "-w", tmp / "dist", tmp / "src", cwd=tmp
    )
    venv.EnvBuilder(with_pip=False).create(tmp / "venv")
    python = tmp / "venv" / "bin" / "python"
    wheel = next((tmp / "dist").glob("audiogen-*.whl"))
    run(*pip, "--python", python, "install", "--no-deps", wheel, cwd=tmp)
    # The dependencies come from this environment: a path, not its .pth files, so the
    # editable checkout of audiogen here stays invisible there.
    site = Path(
        run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp
        ).strip()
    )
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python.parent


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Path) -> None:
    where = run(
        installed / "python", "-c", "import audiogen; print(audiogen.__file__)", cwd=installed
    )
    assert str(installed.parent) in where and str(ROOT) not in where


def test_the_shipped_profiles_come_with_the_wheel(installed: Path, tmp_path: Path) -> None:
    listing = run(installed / "audiogen", "voices", cwd=tmp_path)
    assert all(name in listing for name in ("coach", "british", "energetic"))


def test_a_shipped_profile_works_from_another_folder(installed: Path, tmp_path: Path) -> None:
    workout = shutil.copy(ROOT / "workouts" / "quick-legs.yaml", tmp_path / "legs.yaml")
    table = run(installed / "audiogen", "timeline", workout, "--voice", "british", cwd=tmp_path)
    assert "Air Squat" in table and "Alternating Side Lunge" in table


def test_the_python_api_is_importable(installed: Path, tmp_path: Path) -> None:
    code = "import audiogen; audiogen.load_workout; audiogen.build_workout; print('ok')"
    assert run(installed / "python", "-c", code, cwd=tmp_path).strip() == "ok"


def test_new_and_schema_work_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    """The starters and the JSON Schema are package data: `new` writes a file that
    passes `check` and names the installed schema, which `schema` prints."""
    run(installed / "audiogen", "new", "legs", "--format", "amrap", cwd=tmp_path)
    run(installed / "audiogen", "check", "legs.yaml", cwd=tmp_path)
    modeline = (tmp_path / "legs.yaml").read_text().splitlines()[0]
    shipped = Path(modeline.split("$schema=", 1)[1])
    assert str(installed.parent) in str(shipped)
    assert run(installed / "audiogen", "schema", cwd=tmp_path) == shipped.read_text()
