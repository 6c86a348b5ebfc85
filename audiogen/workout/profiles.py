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
from audiogen.workout.model import VoiceProfile

ENGINES = ("espeak", "sapi5", "nsss")
# espeak's documented speed range, words per minute; the other engines accept it too.
RATE_RANGE = (80, 450)


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
    text = path.read_text(encoding="utf-8")
    if not text.strip():
        raise WorkoutError(
            "the voice profile is empty",
            position=Position(str(path), 1, 1),
            hint="write at least `voice:`, e.g. voice: en-us",
        )
    root = Field(compose(text, str(path)), "", str(path))
    values: dict[str, Any] = {"name": path.stem}
    for key, field in mapping(root, schema.VOICE_KEYS, what="a voice profile").items():
        try:
            values[key] = _RULES[key](scalar(field), path.parent)
        except ValueError as exc:
            raise field.error(str(exc), hint=_HINTS.get(key)) from None
    return VoiceProfile(**values)


def profile_from_mapping(
    values: dict[str, Any], *, default_name: str, base_dir: Path
) -> VoiceProfile:
    """A profile from plain values (an inline `voice:` mapping); ValueError names the key."""
    checked: dict[str, Any] = {"name": default_name}
    for key, value in values.items():
        rule = _RULES.get(key)
        if rule is None:
            raise ValueError(f"unknown voice profile key {key!r}")
        try:
            checked[key] = rule(value, base_dir)
        except ValueError as exc:
            raise ValueError(f"{key}: {exc}") from None
    return VoiceProfile(**checked)


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
    if value not in ENGINES:
        raise ValueError(f"expected one of {', '.join(ENGINES)}, got {value!r}")
    return str(value)


def _rate(value: Any, _base: Path) -> int:
    low, high = RATE_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"expected words per minute, a whole number {low}-{high}; got {value!r}")
    return value


def _volume(value: Any, _base: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise ValueError(f"expected a number above 0 and at most 1, got {value!r}")
    return float(value)


def _pitch(value: Any, _base: Path) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValueError(f"expected a whole number from 0 to 100, got {value!r}")
    return value


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
    "pitch": _pitch,
    "clips": _clips,
}
_HINTS = {
    "engine": "espeak works everywhere; sapi5 is Windows' own, nsss macOS's",
    "voice": "run `audiogen voices --lang en` to list the engine's voices",
    "rate": "175 is an unhurried coach, 200 brisk",
    "volume": "1.0 is full volume",
    "pitch": "50 is the voice's normal pitch",
    "clips": "a folder path, relative to this file",
}
