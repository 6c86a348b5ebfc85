"""Package data: files that ship inside `audiogen.data`, wherever audiogen is installed."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

_DATA = "audiogen.data"


def data_dir(name: str) -> Path:
    """A folder of shipped files (`voices`, `music`, `phrases`) as a real path.

    Wheels install as plain folders, so `as_file` hands back the folder itself; the
    context is left open on purpose, since it only extracts for zipped installs.
    """
    with as_file(files(_DATA) / name) as path:
        return Path(path)


def data_file(name: str) -> Path:
    """One shipped file (`workout.schema.json`) as a real path."""
    return data_dir(".").resolve() / name
