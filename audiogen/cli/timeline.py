"""`audiogen timeline`: the cue timeline as a table or JSON, without audio."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from audiogen.cli.options import WORKOUT, overrides_from, warn, workout_options
from audiogen.cli.settings import workout_defaults
from audiogen.pipeline import render_timeline
from audiogen.workout.loader import load_workout


@click.command()
@click.argument("workout", type=WORKOUT)
@workout_options
@click.option("--json", "as_json", is_flag=True, help="Print the timeline as JSON.")
@click.option("--no-cache", is_flag=True, help="Synthesize every phrase anew; skip the cache.")
def timeline(workout: Path, as_json: bool, no_cache: bool, **options: Any) -> None:
    """Print WORKOUT's cue timeline without writing any audio."""
    model = load_workout(workout, overrides_from(options), defaults=workout_defaults())
    warn(model)
    rendered = render_timeline(model, cache=not no_cache)
    if as_json:
        click.echo(json.dumps(rendered.timeline.to_json(), indent=2))
    else:
        click.echo(rendered.timeline.to_table())
