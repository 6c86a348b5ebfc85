"""Starter workouts for `audiogen new`: one commented file per block format.

The templates ship in audiogen/data/starters/; each names the installed JSON Schema on
its first line, so an editor with the YAML language server completes keys at once.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from string import Template

import yaml

from audiogen.core.files import atomic_write_text, disk_error
from audiogen.core.resources import data_dir, data_file
from audiogen.errors import UsageError
from audiogen.workout.model import BlockFormat

SCHEMA_FILE = "workout.schema.json"


def starter_path(name: str) -> Path:
    """`legs` -> legs.yaml; a name ending in .yaml or .yml is used as it is."""
    path = Path(name)
    return path if path.suffix in (".yaml", ".yml") else path.with_name(f"{path.name}.yaml")


def title_for(path: Path) -> str:
    """A title from a file name: `leg-day.yaml` -> `Leg Day`."""
    words = re.split(r"[-_\s]+", path.stem.strip())
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "My Workout"


def starter_text(fmt: BlockFormat, *, title: str, path: Path) -> str:
    """The commented starter for `fmt`, titled `title`, to be saved at `path`."""
    template = Template((data_dir("starters") / f"{fmt}.yaml").read_text(encoding="utf-8"))
    return template.substitute(
        title=_yaml_text(title), file=path.name, schema=data_file(SCHEMA_FILE)
    )


def write_starter(path: Path, text: str, *, force: bool = False) -> None:
    """Save a starter; an existing file is kept unless `force` (a workout is the user's
    own work, never overwritten by accident)."""
    if path.exists() and not force:
        raise UsageError(f"{path} already exists", hint="choose another NAME, or add --force")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise disk_error(f"cannot make the folder {path.parent}", exc) from exc
    atomic_write_text(path, text)


def _yaml_text(text: str) -> str:
    """`text` as a YAML value: plain where YAML reads it back unchanged, else quoted."""
    try:
        plain = yaml.safe_load(text) == text and "#" not in text
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)
