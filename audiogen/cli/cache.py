"""`audiogen cache`: where the speech cache is, and emptying it."""

from __future__ import annotations

import click

from audiogen.cli.echo import info
from audiogen.speech.cache import clear, usage


@click.group("cache", invoke_without_command=True)
@click.pass_context
def cache_group(ctx: click.Context) -> None:
    """Show where the speech cache is and its size; `cache clear` empties it."""
    if ctx.invoked_subcommand is None:
        info = usage()
        click.echo(f"Speech cache {info.folder}: {info.entries} phrases, {_size(info.bytes)}.")


@cache_group.command("clear")
def cache_clear() -> None:
    """Delete every cached phrase and print how much space that freed."""
    freed = clear()
    info(f"Cleared {freed.folder}: freed {_size(freed.bytes)} ({freed.entries} phrases).")


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    kb = count / 1024
    return f"{kb:.1f} KB" if kb < 1024 else f"{kb / 1024:.1f} MB"
