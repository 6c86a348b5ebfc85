"""`audiogen new`: a commented starter workout to edit."""

from __future__ import annotations

import click

from audiogen.cli.echo import info
from audiogen.workout.model import BlockFormat
from audiogen.workout.starter import starter_path, starter_text, title_for, write_starter


@click.command()
@click.argument("name", default="workout")
@click.option(
    "--format",
    "block_format",
    type=click.Choice([str(f) for f in BlockFormat]),
    default=str(BlockFormat.INTERVALS),
    show_default=True,
    help="The kind of workout to start from.",
)
@click.option("--title", help="The workout's title [default: from NAME, leg-day -> Leg Day].")
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
def new(name: str, block_format: str, title: str | None, force: bool) -> None:
    """Write a commented starter workout, NAME.yaml [default: workout.yaml].

    It passes `audiogen check` as written, and its first line points editors with the
    YAML language server at the workout schema, so they complete and check keys.
    """
    path = starter_path(name)
    text = starter_text(BlockFormat(block_format), title=title or title_for(path), path=path)
    write_starter(path, text, force=force)
    info(f"Wrote {path} ({block_format}). Edit it, then: audiogen build {path}")
