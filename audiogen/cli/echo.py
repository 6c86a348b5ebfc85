"""What the commands print, at the verbosity the user chose.

-q/--quiet: nothing on success, errors still on stderr. -v/--verbose: more detail.
Data a command exists to print (a timeline, a schema, JSON) is printed either way;
only the messages about the work go quiet.
"""

from __future__ import annotations

from typing import Any

import click

QUIET, NORMAL, VERBOSE = -1, 0, 1
_KEY = "audiogen.verbosity"


def verbosity() -> int:
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return NORMAL
    chosen: dict[str, click.core.ParameterSource | None] = ctx.meta.get(_KEY, {})
    if "quiet" in chosen and "verbose" in chosen:
        # Both given: the command line beats the config file; on a par, quiet wins.
        typed = click.core.ParameterSource.COMMANDLINE
        from_line = [key for key, source in chosen.items() if source is typed]
        return VERBOSE if from_line == ["verbose"] else QUIET
    return QUIET if "quiet" in chosen else VERBOSE if "verbose" in chosen else NORMAL


def info(message: str) -> None:
    """A message about the work done; silent with --quiet."""
    if verbosity() >= NORMAL:
        click.echo(message)


def detail(message: str) -> None:
    """A message only --verbose shows."""
    if verbosity() >= VERBOSE:
        click.echo(message)


def warning(message: str) -> None:
    """A setting that does nothing, say; on stderr, silent with --quiet."""
    if verbosity() >= NORMAL:
        click.secho(f"audiogen: {message}", err=True, fg="yellow")


def error(message: str) -> None:
    """A failure, on stderr, at every verbosity."""
    click.secho(f"audiogen: {message}", err=True, fg="red")


def _remember(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and param.name:
        ctx.meta.setdefault(_KEY, {})[param.name] = ctx.get_parameter_source(param.name)


def verbosity_options() -> list[click.Option]:
    """-q and -v, for the group and every command (`audiogen -q build` and
    `audiogen build -q` both work); they set the verbosity and pass no argument."""
    shared: dict[str, Any] = {"is_flag": True, "expose_value": False, "callback": _remember}
    return [
        click.Option(["-q", "--quiet"], help="Print nothing but errors.", **shared),
        click.Option(["-v", "--verbose"], help="Print more about what is done.", **shared),
    ]


def add_verbosity_options(command: click.Command) -> None:
    """Give `command` and, for a group, all its subcommands -q and -v."""
    command.params.extend(verbosity_options())
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_verbosity_options(sub)
