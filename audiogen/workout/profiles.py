"""Voice profiles: how the coach sounds.

A workout's `voice:` is a profile name (a file in a `voices/` folder), a path to a
profile file, an inline mapping, or an engine voice id such as `en-us+f3`.

A profile file is checked key by key, and a mistake is reported like one in a workout
file: file:line:column, the key, and what was expected. An inline mapping is checked
by the same rules; the workout loader places its errors at the `voice:` key.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from audiogen.core.resources import data_dir
from audiogen.errors import Position, WorkoutError
from audiogen.workout import schema
from audiogen.workout.fields import Field, compose, mapping, scalar
from audiogen.workout.model import EngineSetting, VoiceProfile, check_rate, check_volume
from audiogen.workout.source import read_source

# The profiles that ship inside the package, so every install has them.
SHIPPED_VOICES = data_dir("voices")


def voice_dirs(base_dir: Path | None = None) -> list[Path]:
    """Where profiles are looked up, nearest first: beside the workout, the current
    folder, then the profiles shipped with audiogen."""
    candidates = [Path.cwd() / "voices", SHIPPED_VOICES]
    if base_dir is not None:
        candidates = [base_dir / "voices", base_dir.parent / "voices", *candidates]
    seen: list[Path] = []
    for folder in candidates:
        resolved = folder.resolve()
        if resolved.is_dir() and resolved not in seen:
            seen.append(resolved)
    return seen


def resolve_voice(
    spec: str | dict[str, Any] | None, *, base_dir: Path | None = None
) -> VoiceProfile:
    """Turn what the user wrote into a profile; a bare string that names no profile is
    taken as an engine voice id (the engine checks it when it starts)."""
    if spec is None:
        return VoiceProfile()
    base = base_dir or Path.cwd()
    if isinstance(spec, dict):
        return profile_from_mapping(spec, default_name="inline", base_dir=base)
    if spec.endswith((".yaml", ".yml")):
        path = Path(spec) if Path(spec).is_absolute() else base / spec
        if not path.is_file():
            raise ValueError(f"no voice profile at {path}")
        return load_profile(path)
    for folder in voice_dirs(base_dir):
        path = folder / f"{spec}.yaml"
        if path.is_file():
            return load_profile(path)
    return VoiceProfile(name=spec, voice=spec)


def load_profile(path: Path) -> VoiceProfile:
    """Read a `voices/*.yaml` profile; errors carry file:line:column like a workout's."""
    text = read_source(path)
    if not text.strip():
        raise WorkoutError(
            "the voice profile is empty",
            position=Position(str(path), 1, 1),
            hint="write at least `voice:`, e.g. voice: en-us",
        )
    root = Field(compose(text, str(path)), "", str(path))
    values: dict[str, Any] = {"name": path.stem}
    settings: list[EngineSetting] = []
    keys = mapping(root, schema.VOICE_KEYS, what="a voice profile", open_ended=True)
    for key, field in keys.items():
        value = scalar(field)
        if key not in _RULES:
            settings.append(EngineSetting(key, value, _key_position(root, key)))
            continue
        try:
            values[key] = _RULES[key](value, path.parent)
        except ValueError as exc:
            raise field.error(str(exc), hint=_HINTS.get(key)) from None
    return VoiceProfile(**values, settings=tuple(settings))


def _key_position(root: Field, key: str) -> Position | None:
    """Where `key` itself is written: an engine's complaint about it points there."""
    for key_node, _ in root.node.value:
        if key_node.value == key:
            mark = key_node.start_mark
            return Position(root.source, mark.line + 1, mark.column + 1)
    return None


def profile_from_mapping(
    values: dict[str, Any], *, default_name: str, base_dir: Path
) -> VoiceProfile:
    """A profile from plain values (an inline `voice:` mapping); ValueError names the key."""
    checked: dict[str, Any] = {"name": default_name}
    settings: list[EngineSetting] = []
    for key, value in values.items():
        rule = _RULES.get(key)
        if rule is None:
            settings.append(EngineSetting(key, value))
            continue
        try:
            checked[key] = rule(value, base_dir)
        except ValueError as exc:
            raise ValueError(f"{key}: {exc}") from None
    return VoiceProfile(**checked, settings=tuple(settings))


def list_profiles(base_dir: Path | None = None) -> list[VoiceProfile]:
    """Every profile in the voice folders, for `audiogen voices`."""
    found: dict[str, VoiceProfile] = {}
    for folder in voice_dirs(base_dir):
        for path in sorted(folder.glob("*.yaml")):
            found.setdefault(path.stem, load_profile(path))
    return list(found.values())


# --- the rules for each key ------------------------------------------------------------
# Each takes the YAML value and the folder relative paths start from, and returns the
# value to store or raises ValueError saying what was expected.


def _text(value: Any, _base: Path) -> str:
    text = str(value).strip() if isinstance(value, str | int | float) else ""
    if isinstance(value, bool) or not text:
        raise ValueError(f"expected text, got {value!r}")
    return text


def _engine(value: Any, _base: Path) -> str:
    # Which engines exist is the speech stage's to say (its registry checks the name).
    return _text(value, _base)


def _rate(value: Any, _base: Path) -> int:
    return check_rate(value)


def _volume(value: Any, _base: Path) -> float:
    return check_volume(value)


def _clips(value: Any, base: Path) -> Path:
    folder = Path(_text(value, base)).expanduser()
    folder = folder if folder.is_absolute() else base / folder
    if not folder.is_dir():
        raise ValueError(f"no clips folder at {folder}")
    return folder.resolve()


_RULES: dict[str, Callable[[Any, Path], Any]] = {
    "name": _text,
    "description": _text,
    "engine": _engine,
    "voice": _text,
    "rate": _rate,
    "volume": _volume,
    "clips": _clips,
}
_HINTS = {
    "engine": "run `audiogen voices` to list the installed engines",
    "voice": "run `audiogen voices --lang en` to list the engine's voices",
    "rate": "175 is an unhurried coach, 200 brisk",
    "volume": "1.0 is full volume",
    "clips": "a folder path, relative to this file",
}
