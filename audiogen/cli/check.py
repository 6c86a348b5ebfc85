"""`audiogen check`: validate files, one summary line each (or JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from audiogen.batch import check_workout, exit_code, find_workouts
from audiogen.cli.echo import error, info, warning
from audiogen.cli.options import WORKOUTS, count, language_option
from audiogen.cli.settings import workout_defaults
from audiogen.plan.compiler import track_minutes
from audiogen.workout.durations import format_clock
from audiogen.workout.loader import Overrides


@click.command()
@click.argument("workouts", type=WORKOUTS, nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON, for scripts.")
@language_option
@click.pass_context
def check(
    ctx: click.Context, workouts: tuple[Path, ...], as_json: bool, language: str | None
) -> None:
    """Validate WORKOUTS (files, or folders of them) and print a one-line summary of
    each. Exit code 2 if any is not valid; each mistake is also reported on stderr."""
    overrides = Overrides(language=language)
    results = [
        check_workout(path, workout_defaults(), overrides) for path in find_workouts(workouts)
    ]
    for result in results:
        if result.error is not None:
            error(str(result.error))
        elif not as_json:
            for notice in result.warnings:
                warning(str(notice))
            minutes = count(track_minutes(result.track_ms), "minute")
            info(
                f"{result.path}: ok, {count(result.blocks, 'block')}, "
                f"{count(result.intervals, 'interval')} ({result.work_intervals} work), "
                f"{format_clock(result.workout_ms)} of work and rest, "
                f"track {format_clock(result.track_ms)} (about {minutes})"
            )
    code = exit_code(r.exit_code for r in results)
    if as_json:
        files = [r.to_json() for r in results]
        click.echo(json.dumps({"ok": code == 0, "files": files}, indent=2, ensure_ascii=False))
    ctx.exit(code)
