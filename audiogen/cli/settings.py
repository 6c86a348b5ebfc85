"""audiogen.toml on the command line: which keys it may hold, and what each command
takes from it. Reading the file is audiogen.core.config; here only click's side.

Keys are the long option names with underscores (`--out-dir` -> `out_dir`). A key that
is also a workout setting (work, rest, rounds, voice, tips, music, language) becomes a
default under the workout file (audiogen.workout.defaults); any other becomes the
option's default, below what is typed on the command line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import click

from audiogen.core.config import Config, find_config, read_config
from audiogen.workout.defaults import FileDefault, defaults_from
from audiogen.workout.schema import CONFIG_KEY_PATHS, LANGUAGE_HINT, check_language

_KEY = "audiogen.config"
_NOT_SETTINGS = {"help", "version"}
# `new --format` names a block format, not the audio format `build --format` means:
# `new` writes a fresh file and takes nothing from the config.
_NO_CONFIG = {"new"}


def load_settings(ctx: click.Context) -> None:
    """Read audiogen.toml, if there is one, and give each command its defaults."""
    path = find_config()
    if path is None or not isinstance(ctx.command, click.Group):
        return
    config = read_config(path)
    options = dict(_options(ctx.command))
    config.check_keys({*options, *CONFIG_KEY_PATHS})
    _check_language(config)
    ctx.meta[_KEY] = config
    ctx.default_map = _defaults_map(ctx, ctx.command, config)


def current_config() -> Config | None:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(_KEY) if ctx is not None else None


def workout_defaults() -> tuple[FileDefault, ...]:
    """The config file's workout settings, to rank below the workout file."""
    return defaults_from(current_config())


def _check_language(config: Config) -> None:
    """A language without a phrasebook is wrong whatever the workout says: refused
    once, before any work, not in each workout that leaves `language` out."""
    setting = config.get("language")
    if setting is None:
        return
    try:
        check_language(str(setting.value))
    except ValueError as exc:
        raise setting.error(str(exc), hint=LANGUAGE_HINT) from None


def config_key(option: click.Option) -> str:
    long = max(option.opts, key=len)
    return long.lstrip("-").replace("-", "_")


def _options(group: click.Group) -> Iterator[tuple[str, click.Option]]:
    for name, command in group.commands.items():
        if name in _NO_CONFIG:
            continue
        if isinstance(command, click.Group):
            yield from _options(command)
        for param in command.params:
            if isinstance(param, click.Option) and param.name not in _NOT_SETTINGS:
                yield config_key(param), param


def _defaults_map(ctx: click.Context, group: click.Group, config: Config) -> dict[str, Any]:
    """click's default_map for every command under `group`: {command: {param: value}}.
    Each value is checked with the option's own type, so a bad one is reported at its
    line in the config file rather than as if it had been typed."""
    found: dict[str, Any] = {}
    for name, command in group.commands.items():
        if name in _NO_CONFIG:
            continue
        defaults = _command_defaults(ctx, command, config)
        if isinstance(command, click.Group):
            defaults.update(_defaults_map(ctx, command, config))
        found[name] = defaults
    return found


def _command_defaults(ctx: click.Context, command: click.Command, config: Config) -> dict[str, Any]:
    defaults = {}
    for param in command.params:
        if not isinstance(param, click.Option) or param.name in _NOT_SETTINGS:
            continue
        key = config_key(param)
        setting = config.get(key)
        if setting is None or key in CONFIG_KEY_PATHS:
            continue
        try:
            param.type_cast_value(ctx, setting.value)
        except click.BadParameter as exc:
            raise setting.error(exc.message) from None
        defaults[param.name] = setting.value
    return defaults
