"""The config file, audiogen.toml: defaults for any command-line option.

Looked for in the current folder, else in the user's config folder (platformdirs:
~/.config/audiogen on Linux). Keys are the long option names with underscores, at the
top level. This module reads and locates them; which keys exist and what they mean is
the command line's business (audiogen.cli.settings).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from audiogen.errors import ConfigError

CONFIG_NAME = "audiogen.toml"
Value = str | int | float | bool | list[str | int | float | bool]


@dataclass(frozen=True)
class Setting:
    """One key of the config file, with where it was written."""

    key: str
    value: Value
    path: Path
    line: int

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def error(self, message: str, hint: str | None = None) -> ConfigError:
        return ConfigError(f"{self.where}: error at {self.key}: {message}", hint=hint)


@dataclass(frozen=True)
class Config:
    path: Path
    settings: tuple[Setting, ...] = ()

    def get(self, key: str) -> Setting | None:
        return next((s for s in self.settings if s.key == key), None)

    def check_keys(self, known: Iterable[str]) -> None:
        """ConfigError at the first key that is no option's name, with the nearest."""
        names = sorted(known)
        for setting in self.settings:
            if setting.key not in names:
                close = difflib.get_close_matches(setting.key, names, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise setting.error(
                    f"unknown key {setting.key!r}", hint=f"{hint}(known keys: {', '.join(names)})"
                )


def user_config_path() -> Path:
    return Path(platformdirs.user_config_dir("audiogen")) / CONFIG_NAME


def find_config(folder: Path | None = None) -> Path | None:
    """audiogen.toml in `folder` (the current one), else the user's; None if neither."""
    for path in ((folder or Path.cwd()) / CONFIG_NAME, user_config_path()):
        if path.is_file():
            return path
    return None


def read_config(path: Path) -> Config:
    """Parse the file; ConfigError (exit 2) for bad TOML or a table where values go."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: error: this is not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: error: cannot read the file: {exc}") from None
    lines = text.splitlines()
    settings = []
    for key, value in data.items():
        setting = Setting(key, value, path, _line_of(key, lines))
        if isinstance(value, dict) or (isinstance(value, list) and _has_tables(value)):
            raise setting.error(
                "expected a value, got a table",
                hint='options go at the top level: `bitrate = "128k"`, not under [sections]',
            )
        settings.append(setting)
    return Config(path, tuple(settings))


def _has_tables(value: list[object]) -> bool:
    return any(isinstance(item, dict | list) for item in value)


def _line_of(key: str, lines: list[str]) -> int:
    """The line where `key` is set (1-based); tomllib keeps no positions."""
    quoted = rf"[\"']?{re.escape(key)}[\"']?"
    # `key = ...`, or `[key]` for a table
    pattern = re.compile(rf"^\s*(?:{quoted}\s*=|\[\s*{quoted}\s*\])")
    return next((n for n, line in enumerate(lines, 1) if pattern.match(line)), 1)
