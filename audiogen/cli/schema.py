"""`audiogen schema`: the JSON Schema of the workout format, for editors and scripts."""

from __future__ import annotations

import click

from audiogen.workout.json_schema import schema_text


@click.command()
def schema() -> None:
    """Print the JSON Schema of the workout format.

    The same file ships inside the package (audiogen/data/workout.schema.json). Point
    your editor's YAML language server at it with a first line like
    `# yaml-language-server: $schema=workout.schema.json` to complete and check keys.
    """
    click.echo(schema_text(), nl=False)
