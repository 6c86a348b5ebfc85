"""Voice profiles: how the coach sounds.

A workout's `voice:` is a profile name (a file in a `voices/` folder), a path to a
profile file, an inline mapping, or an engine voice id such as `en-us+f3`.
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any

from . import schema
from .fields import Field, compose, mapping, scalar
from .model import VoiceProfile

_PROFILE_FIELDS = {f.name for f in dataclass_fields(VoiceProfile)}


def voice_dirs(base_dir: Path | None = None) -> list[Path]:
    """Where profiles are looked up, nearest first: beside the workout, then the project."""
    candidates = [Path.cwd() / "voices"]
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
    if isinstance(spec, dict):
        return _profile_from_mapping(spec, default_name="inline")
    if spec.endswith((".yaml", ".yml")):
        path = Path(spec) if Path(spec).is_absolute() else (base_dir or Path.cwd()) / spec
        if not path.is_file():
            raise ValueError(f"no voice profile at {path}")
        return load_profile(path)
    for folder in voice_dirs(base_dir):
        path = folder / f"{spec}.yaml"
        if path.is_file():
            return load_profile(path)
    return VoiceProfile(name=spec, voice=spec)


def load_profile(path: Path) -> VoiceProfile:
    """Read a `voices/*.yaml` profile, with positioned errors like a workout file."""
    root = Field(compose(path.read_text(encoding="utf-8"), str(path)), "", str(path))
    keys = mapping(root, schema.VOICE_KEYS, what="a voice profile")
    values = {key: scalar(field) for key, field in keys.items()}
    return _profile_from_mapping(values, default_name=path.stem)


def _profile_from_mapping(values: dict[str, Any], *, default_name: str) -> VoiceProfile:
    known = {k: v for k, v in values.items() if k in _PROFILE_FIELDS}
    known.setdefault("name", default_name)
    try:
        profile = VoiceProfile(**known)
    except TypeError as exc:
        raise ValueError(f"not a voice profile: {exc}") from None
    _check_profile(profile)
    return profile


def _check_profile(profile: VoiceProfile) -> None:
    if not isinstance(profile.voice, str) or not profile.voice:
        raise ValueError("a voice profile needs 'voice', an engine voice id such as en-us")
    if not isinstance(profile.rate, int) or not 80 <= profile.rate <= 450:
        raise ValueError(f"rate must be words per minute between 80 and 450, got {profile.rate!r}")
    if not isinstance(profile.volume, int | float) or not 0 < profile.volume <= 1:
        raise ValueError(f"volume must be between 0 and 1, got {profile.volume!r}")
    if profile.pitch is not None and not (
        isinstance(profile.pitch, int) and 0 <= profile.pitch <= 100
    ):
        raise ValueError(f"pitch must be a whole number from 0 to 100, got {profile.pitch!r}")


def list_profiles(base_dir: Path | None = None) -> list[VoiceProfile]:
    """Every profile in the voice folders, for `audiogen voices`."""
    found: dict[str, VoiceProfile] = {}
    for folder in voice_dirs(base_dir):
        for path in sorted(folder.glob("*.yaml")):
            found.setdefault(path.stem, load_profile(path))
    return list(found.values())
